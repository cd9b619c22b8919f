// The agent's loop: tool calls checked against the tools and run (.tg functions with their arguments set, natives),
// mistakes answered as tool errors so the model can repair them, the step limit, the trajectory as a value, and the
// backward pass that reads the trajectory step by step.
import { describe, expect, it } from "vitest";
import type { Engine, EngineReply, EngineRequest, ToolCall } from "../../src/engines/engine.js";
import { trajectoryText } from "../../src/runtime/agent.js";
import { ofType, runSource } from "./harness.js";

type Turn = Extract<EngineRequest["context"], { purpose: "agent" }>;

/** An engine whose agent turns come from `plan` (tool calls or a final text); other purposes get a fixed reply. */
function agentEngine(plan: (turn: Turn) => string | ToolCall[], other: (r: EngineRequest) => string = () => "Fine.\nScore: 10/10"): Engine {
  return {
    id: "planned",
    simulated: true,
    complete: async (r): Promise<EngineReply> => {
      const usage = { inputTokens: 1, outputTokens: 1 };
      if (r.context.purpose !== "agent") return { text: other(r), usage, finishReason: "stop" };
      const next = plan(r.context);
      return typeof next === "string" ? { text: next, usage, finishReason: "stop" } : { text: "", toolCalls: next, usage, finishReason: "tool_calls" };
    },
  };
}

const call = (name: string, args: Record<string, unknown>, id = "c1"): ToolCall => ({ id, name, arguments: args });

const program = (maxSteps = 4, loss = `rubric e on solve("What do 3 pens at 1.5 each cost?") "Right?"`) => `
  import { calculate } from "std/tools"
  engine e = sim()
  frozen prices: "a price list" = "pen: 1.5"
  trainable instruction: "the agent's instruction" = "Use the tools."
  fn price(item: text, count: number) -> text "The price of some items" { "{item} x{count} from {prices}" }
  fn solve(q: text) -> trajectory { agent e { system: instruction, user: q, tools: [price, calculate], max_steps: ${maxSteps} } }
  loss judge = ${loss}
  optimize instruction using tgd(engine: e) { steps: 1, minimize: judge }`;

describe("an agent", () => {
  it("offers its tools, runs each call, and hands the results back until the model answers", async () => {
    const engine = agentEngine((t) =>
      t.trajectory.length === 0 ? [call("price", { item: "pen", count: 3 }, "a"), call("calculate", { expression: "3 * 1.5" }, "b")] : "Answer: 4.5",
    );
    const { events, engine: rec } = await runSource(program(), { engine });
    const first = rec.requests.find((r) => r.context.purpose === "agent")!;
    expect(first.tools?.map((t) => t.name)).toEqual(["price", "calculate"]);
    expect(first.tools![0]).toEqual({ name: "price", description: "The price of some items", parameters: [{ name: "item", type: "text" }, { name: "count", type: "number" }] });
    const steps = ofType(events, "agent_step");
    expect(steps.map((s) => [s.tool, s.result, s.failed])).toEqual([
      ["price", "pen x3 from pen: 1.5", false],
      ["calculate", "4.5", false],
    ]);
    // The second turn carries the calls and their results as the conversation.
    const second = rec.requests.filter((r) => r.context.purpose === "agent")[1]!;
    expect(second.messages.slice(-3)).toEqual([
      { role: "assistant", content: "", toolCalls: [call("price", { item: "pen", count: 3 }, "a"), call("calculate", { expression: "3 * 1.5" }, "b")] },
      { role: "tool", toolCallId: "a", name: "price", content: "pen x3 from pen: 1.5" },
      { role: "tool", toolCallId: "b", name: "calculate", content: "4.5" },
    ]);
    expect(ofType(events, "agent_finished")[0]).toMatchObject({ steps: 2, answer: "Answer: 4.5", exhausted: false });
    // Each turn's record is what that turn sent, not the conversation as it grew afterwards.
    const turns = ofType(events, "call").filter((c) => c.purpose === "agent");
    expect(turns.map((c) => c.messages.length)).toEqual([2, 5]);
    expect(turns[0]!.toolCalls).toHaveLength(2);
  });

  it("answers a call's mistakes as tool errors, so the model can repair it, and never stops the run", async () => {
    const mistakes = [
      call("weigh", { item: "pen" }),
      call("price", { item: "pen" }),
      call("price", { item: "pen", count: "three" }),
      call("calculate", { __malformed: '{"expression": 3 *' }),
      call("calculate", { expression: "3 x 1.5" }),
    ];
    const engine = agentEngine((t) => (t.trajectory.length < mistakes.length ? [mistakes[t.trajectory.length]!] : "Answer: 4.5"));
    const { events, result } = await runSource(program(8), { engine });
    expect(result.status).toBe("completed");
    expect(ofType(events, "agent_step").map((s) => [s.failed, s.result])).toEqual([
      [true, "unknown tool 'weigh'; the tools are: price, calculate"],
      [true, "missing argument 'count' (number)"],
      [true, 'argument \'count\' must be a number, not "three"'],
      [true, 'the arguments are not valid JSON: {"expression": 3 *'],
      [true, "expected an operator (+ - * /), found 'x' at position 3; write * to multiply"],
    ]);
  });

  it("stops offering calls at its step limit and asks for an answer", async () => {
    const engine = agentEngine((t) => (t.turnsLeft > 0 ? [call("calculate", { expression: "1 + 1" }, `c${t.trajectory.length}`)] : "Answer: 2"));
    const { events, engine: rec } = await runSource(program(2), { engine });
    expect(ofType(events, "agent_step")).toHaveLength(2);
    expect(ofType(events, "agent_finished")[0]).toMatchObject({ steps: 2, answer: "Answer: 2", exhausted: true });
    const last = rec.requests.filter((r) => r.context.purpose === "agent").at(-1)!;
    expect(last.messages.at(-1)).toEqual({ role: "user", content: "You have made 2 tool calls, as many as allowed. Answer now, without calling a tool." });
  });

  it("is a trajectory the loss reads whole, and `.answer` is its answer alone", async () => {
    const engine = agentEngine((t) => (t.trajectory.length ? "Answer: 4.5" : [call("calculate", { expression: "3 * 1.5" })]));
    const loss = `rubric e on solve("q?") given solve("q?").answer "Right?"`;
    const { engine: rec } = await runSource(program(4, loss), { engine });
    const judged = rec.requests.find((r) => r.context.purpose === "loss")!.context as Extract<EngineRequest["context"], { purpose: "loss" }>;
    expect(judged.targets[0]!.text).toBe(trajectoryText([{ call: call("calculate", { expression: "3 * 1.5" }), result: "4.5", failed: false }], "Answer: 4.5"));
    expect(judged.targets[0]!.text).toBe('Step 1: calculate(expression: "3 * 1.5") → returned: 4.5\nFinal answer:\nAnswer: 4.5');
    expect(judged.context[0]!.text).toBe("Answer: 4.5");
  });

  it("sends the instruction a gradient that reads the trajectory step by step", async () => {
    const engine = agentEngine(
      (t) => (t.trajectory.length ? "Answer: 9" : [call("calculate", { expression: "3 x 1.5" })]),
      (r) => (r.context.purpose === "loss" ? "At step 1 the call failed and the agent guessed.\nScore: 2/10" : "Say: correct failed calls."),
    );
    const { engine: rec, events } = await runSource(program(), { engine });
    const back = rec.requests.find((r) => r.context.purpose === "backward" && r.context.process?.kind === "agent")!;
    expect(back.context).toMatchObject({ relation: "prompt", variable: "Use the tools." });
    const text = back.messages.at(-1)!.content;
    expect(text).toContain("Step 1: calculate(expression: \"3 x 1.5\") → error:");
    expect(text).toContain("At which step did the agent first go wrong (name the step by its number)");
    expect(ofType(events, "gradient").some((g) => g.toLabel === "instruction")).toBe(true);
  });
});

describe("the simulator as an agent", () => {
  it("learns, step by step, to use its calculator and then to correct a failed call (examples/agent.tg's story)", async () => {
    const { events } = await runSource(program(4, `rubric e on solve("Mia buys 3 pens at 1.50 dollars each. How much?") given "4.5" "Right?"`).replace("steps: 1", "steps: 3, stop_when_solved: true").replace('= "Use the tools."', '= "Help with sums."'));
    const updates = ofType(events, "update").map((u) => u.after);
    expect(updates[0]).toContain("Use the tools for every lookup and computation");
    expect(updates[1]).toContain("When a tool reports an error, read it, correct the call and try again.");
    expect(ofType(events, "solved")).toHaveLength(1);
    expect(ofType(events, "agent_step").at(-1)).toMatchObject({ tool: "calculate", arguments: { expression: "3 * 1.50" }, result: "4.5", failed: false });
  });
});
