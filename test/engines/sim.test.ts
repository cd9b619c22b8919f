import { describe, expect, it } from "vitest";
import type { EngineRequest, RequestContext } from "../../src/engines/engine.js";
import { applyEdit, checks, decodeEdits, encodeEdit } from "../../src/engines/sim/checks.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import { extractTagged } from "../../src/runtime/prompts/tags.js";

const sim = new SimEngine();
const ask = async (context: RequestContext) => (await sim.complete({ messages: [{ role: "user", content: "x" }], options: {}, context } as EngineRequest)).text;

describe("the simulator", () => {
  it("is deterministic and depends on its input", async () => {
    const a = await ask({ purpose: "forward", system: "Answer.", user: "What is 2 + 3?", role: "r" });
    expect(await ask({ purpose: "forward", system: "Answer.", user: "What is 2 + 3?", role: "r" })).toBe(a);
    expect(await ask({ purpose: "forward", system: "Answer briefly.", user: "What is 2 + 3?", role: "r" })).not.toBe(a);
  });

  it("follows the instructions it recognizes in the prompt", async () => {
    const user = "I have a flute, two lamps, and a drum. How many musical instruments do I have?";
    const plain = await ask({ purpose: "forward", system: "Answer.", user, role: "r" });
    expect(plain).not.toMatch(/^Step 1/m);
    expect(plain).not.toMatch(/^Answer:/m);
    const instructed = await ask({
      purpose: "forward",
      system: 'Work step by step. List every item with its quantity. End with a final line of the form "Answer: <value>".',
      user,
      role: "r",
    });
    expect(instructed).toMatch(/^Step 1:/m);
    expect(instructed).toMatch(/^Answer: 2$/m); // flute and drum; the lamps are not instruments
  });

  it("asked to complete a Python function, writes no code and says so in code that runs", async () => {
    const user = 'def halve(x: int) -> int:\n    """Half of x, rounded down.\n    >>> halve(5)\n    2\n    """\n';
    const reply = await ask({ purpose: "forward", system: "Complete the Python function.", user, role: "r" });
    expect(reply).toBe('```python\ndef halve(x: int) -> int:\n    """Half of x, rounded down.\n    >>> halve(5)\n    2\n    """\n    raise NotImplementedError("the simulator writes no code")\n```');
    // Not for prose that merely mentions a function.
    expect(await ask({ purpose: "forward", system: "Answer.", user: "What does def do in Python?", role: "r" })).not.toContain("NotImplementedError");
  });

  it("critiques concretely, quoting the text it judges, with a score", async () => {
    const reply = await ask({
      purpose: "loss",
      targets: [{ label: "answer", text: "It falls for a while and then lands on the ground." }],
      context: [{ label: "question", text: "A ball is dropped from 20 m. How long until it lands? (g = 9.8 m/s^2)" }],
      criteria: "Point out every gap.",
    });
    expect(reply).toContain('"It falls for a while and then lands on the…"');
    expect(reply).toMatch(/never states a final answer/);
    expect(reply).toMatch(/Score: \d+\/10/);
  });

  it("turns a critique into a change for the variable, and the update applies exactly that change", async () => {
    const critique = 'It never states a final answer on a line of its own: it ends with "so it lands after 2 s".';
    const gradient = await ask({
      purpose: "backward",
      variable: "It falls from 20 m, so it lands after 2 s.",
      variableRole: "an answer",
      relation: "evaluated",
      output: "It falls from 20 m, so it lands after 2 s.",
      outputRole: "answer",
      feedback: [critique],
      prompt: undefined,
    });
    expect(gradient).toContain('Suggested change: append "Answer: 2"');
    const updated = await ask({
      purpose: "update",
      variable: "It falls from 20 m, so it lands after 2 s.",
      variableRole: "an answer",
      gradients: [gradient],
      pastValues: [],
      pastGradients: [],
      rejected: [],
      constraints: [],
      examples: [],
      maxChange: undefined,
    });
    expect(extractTagged(updated, "IMPROVED_VARIABLE")).toBe("It falls from 20 m, so it lands after 2 s.\nAnswer: 2");
  });

  it("suggests the missing instruction for a prompt, and strengthens one that is present", async () => {
    const feedback = ["The evaluation found: It gives its reasoning in one block (\"x\") instead of numbered steps, so a mistake is hard to locate."];
    const base = { purpose: "backward" as const, variableRole: "system prompt", relation: "prompt" as const, output: "x", outputRole: "reply", feedback, prompt: { system: "s", user: "u" } };
    expect(await ask({ ...base, variable: "Answer." })).toContain('Suggested change: append "Work step by step and number each step."');
    expect(await ask({ ...base, variable: "Work step by step and number each step." })).toContain("replace");
  });

  it("round-trips every kind of edit through gradient text", () => {
    const edits = [
      { op: "append", text: 'say "hi" \\ {x}' },
      { op: "prepend", text: "Given: 20 m." },
      { op: "replace", from: "a", to: "b" },
      { op: "number-steps" },
    ] as const;
    expect(decodeEdits(edits.map(encodeEdit).join("\n"))).toEqual(edits);
    expect(applyEdit("One. Two.\nAnswer: 3", { op: "number-steps" })).toBe("Step 1: One.\nStep 2: Two.\nAnswer: 3");
  });

  it("has a distinct phrase and instruction for each check", () => {
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const c of checks) expect(c.followedBy(c.instruction), c.id).toBe(true);
  });

  it("follows an instruction to raise or lower a named weight, on that weight's line only", async () => {
    const variable = "PTV: uniform 70.2 Gy, weight 100\nrectum: max 50 Gy, weight 100\nbladder: max 50 Gy, weight 100";
    const feedback = ["Decision: …\n- Raise the PTV weight (now 100) or its dose.\n- Lower the bladder weight (now 100).\n- Raise the femoral heads weight (now 100)."];
    const gradient = await ask({ purpose: "backward", variable, variableRole: "objectives", relation: "evaluated", output: variable, outputRole: "plan", feedback, prompt: undefined });
    expect(gradient).not.toContain("Address this");
    const updated = await ask({ purpose: "update", variable, variableRole: "objectives", gradients: [gradient], pastValues: [], pastGradients: [], rejected: [], constraints: [], examples: [], maxChange: undefined });
    expect(extractTagged(updated, "IMPROVED_VARIABLE")).toBe("PTV: uniform 70.2 Gy, weight 200\nrectum: max 50 Gy, weight 100\nbladder: max 50 Gy, weight 50");
  });
});
