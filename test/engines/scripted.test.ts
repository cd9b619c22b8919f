import { describe, expect, it } from "vitest";
import { EngineError, type EngineRequest, type Message } from "../../src/engines/engine.js";
import { parseScript, ScriptedEngine } from "../../src/engines/scripted.js";

const request = (purpose: "forward" | "loss", content: string): EngineRequest =>
  purpose === "forward"
    ? { messages: [{ role: "user", content }], options: {}, context: { purpose, system: undefined, user: content, role: "r" } }
    : { messages: [{ role: "user", content }], options: {}, context: { purpose, targets: [], context: [], criteria: content } };

describe("scripted engine", () => {
  it("answers with the first matching rule, using replies in turn and repeating the last", async () => {
    const parsed = parseScript({
      rules: [
        { purpose: "forward", match: "/ball|stone/i", replies: ["one", "two"] },
        { purpose: "forward", reply: "fallback" },
        { purpose: "loss", match: "strict", reply: "strict critique" },
      ],
    });
    if (!("rules" in parsed)) throw new Error(parsed.problems.join());
    const e = new ScriptedEngine("scripted:test", parsed.rules);
    const texts = [];
    for (const q of ["A Ball", "a stone", "a ball", "nothing"]) texts.push((await e.complete(request("forward", q))).text);
    expect(texts).toEqual(["one", "two", "two", "fallback"]);
    expect((await e.complete(request("loss", "be strict"))).text).toBe("strict critique");
  });

  it("fails clearly when no rule matches", async () => {
    const e = new ScriptedEngine("scripted:test", [{ purpose: "forward", reply: "x" }]);
    await expect(e.complete(request("loss", "judge this"))).rejects.toThrow(EngineError);
    await expect(e.complete(request("loss", "judge this"))).rejects.toThrow(/no scripted reply matches this loss request/);
  });

  it("reports every problem of a malformed rules file", () => {
    const parsed = parseScript({ rules: [{ purpose: "sideways", reply: "x" }, { match: 3 }, "nope"] });
    expect("problems" in parsed && parsed.problems).toEqual([
      "rule 1: purpose must be one of forward, agent, loss, backward, update, condense, propose",
      "rule 2: match must be a string",
      'rule 2: give either "reply" (a string), "replies" (a non-empty list of strings) or "tool_calls"',
      "rule 3: expected an object",
    ]);
    expect(parseScript([])).toEqual({ problems: ['expected an object with a "rules" list'] });
    const badRegex = parseScript({ rules: [{ match: "/(/", reply: "x" }] });
    expect("problems" in badRegex && badRegex.problems[0]).toMatch(/^rule 1: match is not a valid regular expression/);
  });

  const agentTurn = (messages: Message[]): EngineRequest => ({
    messages,
    tools: [{ name: "lookup", description: "Looks a word up.", parameters: [{ name: "word", type: "text" }] }],
    options: {},
    context: { purpose: "agent", system: undefined, user: "define tarn", role: "r", tools: [], trajectory: [], turnsLeft: 3 },
  });

  it("calls tools in an agent's turn, with ids in order, and answers once a result is in", async () => {
    const parsed = parseScript({
      rules: [
        { purpose: "agent", match: "a small mountain lake", reply: "A tarn is a small mountain lake." },
        { purpose: "agent", reply: "Let me look.", tool_calls: [{ name: "lookup", arguments: { word: "tarn" } }, { name: "lookup", arguments: { word: "lake" } }] },
      ],
    });
    if (!("rules" in parsed)) throw new Error(parsed.problems.join());
    const e = new ScriptedEngine("scripted:test", parsed.rules);
    const first = await e.complete(agentTurn([{ role: "user", content: "define tarn" }]));
    expect(first).toMatchObject({
      text: "Let me look.",
      finishReason: "tool_calls",
      toolCalls: [
        { id: "call_1", name: "lookup", arguments: { word: "tarn" } },
        { id: "call_2", name: "lookup", arguments: { word: "lake" } },
      ],
    });
    const answered = await e.complete(
      agentTurn([
        { role: "user", content: "define tarn" },
        { role: "assistant", content: "Let me look.", toolCalls: first.toolCalls! },
        { role: "tool", toolCallId: "call_1", name: "lookup", content: "a small mountain lake" },
        { role: "tool", toolCallId: "call_2", name: "lookup", content: "a body of water" },
      ]),
    );
    expect(answered).toMatchObject({ text: "A tarn is a small mountain lake.", finishReason: "stop" });
    expect(answered.toolCalls).toBeUndefined();
    // Ids go on counting: every call of a run has its own.
    expect((await e.complete(agentTurn([{ role: "user", content: "again" }]))).toolCalls!.map((c) => c.id)).toEqual(["call_3", "call_4"]);
  });

  it("refuses tool calls in a request that offers no tools", async () => {
    const e = new ScriptedEngine("scripted:test", [{ tool_calls: [{ name: "lookup", arguments: {} }] }]);
    await expect(e.complete(request("forward", "q"))).rejects.toThrow("scripted rule 1 calls tools, but this forward request offers none");
  });

  it("reports what is wrong with tool_calls", () => {
    const parsed = parseScript({
      rules: [
        { purpose: "agent", tool_calls: [] },
        { tool_calls: [{ name: "", arguments: [] }, "x", { name: "f", args: {} }] },
        { tool_calls: [{ name: "f" }], replies: ["a"] },
        { tool_calls: [{ name: "f" }], reply: 3 },
        { purpose: "agent", tool_calls: [{ name: "f" }] },
      ],
    });
    expect("problems" in parsed && parsed.problems).toEqual([
      'rule 1: tool_calls must be a non-empty list of { "name": "...", "arguments": { ... } }',
      "rule 2: tool_calls[1]: name must be a non-empty string",
      "rule 2: tool_calls[1]: arguments must be an object of the tool's parameters",
      'rule 2: tool_calls[2]: expected an object { "name": "...", "arguments": { ... } }',
      "rule 2: tool_calls[3]: unknown field 'args' (expected name, arguments)",
      'rule 3: tool_calls go with "reply" (or alone), not with "replies"',
      "rule 4: reply must be a string",
    ]);
  });

  it("embeds deterministically: the same text the same unit vector, texts sharing words nearer", async () => {
    const e = new ScriptedEngine("scripted:test", []);
    const { vectors, usage } = await e.embed(["the mountain lake", "The mountain lake!", "a lake in the mountains", "tax law"]);
    const dot = (a: readonly number[], b: readonly number[]) => a.reduce((n, x, i) => n + x * b[i]!, 0);
    expect(vectors[0]).toEqual(vectors[1]);
    expect(dot(vectors[0]!, vectors[0]!)).toBeCloseTo(1);
    expect(dot(vectors[0]!, vectors[2]!)).toBeGreaterThan(dot(vectors[0]!, vectors[3]!));
    expect(usage.outputTokens).toBe(0);
  });
});
