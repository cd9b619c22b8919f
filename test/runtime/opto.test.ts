// The whole-graph optimizer: one call per step, for every variable, from the executed graph and the feedback.
import { describe, expect, it } from "vitest";
import { ofType, rejectedValueProgram, replying, runSource } from "./harness.js";

const source = (optimizer: string) => `engine e = sim()
  data d = jsonl("d.jsonl") { q: text, a: text }
  trainable system: "a system prompt" = "Answer."
  trainable style: "a style guide" = "Be brief."
  fn solve(q: text) -> text {
    let draft = call e { system: system, user: q }
    call e { system: style, user: draft }
  }
  loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
  optimize system, style using ${optimizer} { data: d, batch: 2, epochs: 1, minimize: judge }`;
const files = { "d.jsonl": '{"q": "1+1?", "a": "2"}\n{"q": "2+2?", "a": "4"}\n' };

describe("opto", () => {
  it("makes one call per step that sees every example's execution and proposes both variables", async () => {
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "propose") return '<VARIABLE name="system">Answer with the number.</VARIABLE>\n<VARIABLE name="style">Keep the number.</VARIABLE>';
      if (c.purpose === "loss") return "The answer is missing.\nScore: 3/10";
      return "some text";
    });
    const { events, engine: rec } = await runSource(source("opto(engine: e, momentum: 1)"), { engine, files });
    const purposes = rec.requests.map((r) => r.context.purpose);
    expect(purposes.filter((p) => p === "backward" || p === "update")).toEqual([]);
    expect(purposes.filter((p) => p === "propose")).toHaveLength(1);
    const propose = rec.requests.find((r) => r.context.purpose === "propose")!.context;
    if (propose.purpose !== "propose") throw new Error("no propose request");
    expect(propose.variables.map((v) => [v.name, v.value, v.relation])).toEqual([
      ["system", "Answer.", "prompt"],
      ["style", "Be brief.", "prompt"],
    ]);
    // Each example's execution: the calls with their inputs and values, and the loss.
    expect(propose.traces).toHaveLength(2);
    expect(propose.traces[0]).toMatch(/call to e: system \[\d+\], user \[\d+\]\nsome text/);
    expect(propose.traces[0]).toContain("The answer is missing.");
    expect(propose.feedback).toEqual(["The answer is missing.\nScore: 3/10", "The answer is missing.\nScore: 3/10"]);
    const prompt = rec.requests.find((r) => r.context.purpose === "propose")!.messages.map((m) => m.content).join("\n");
    expect(prompt).toContain('<TRAINABLE name="style" role="a style guide">');
    expect(ofType(events, "update").map((u) => [u.variable, u.after])).toEqual([
      ["system", "Answer with the number."],
      ["style", "Keep the number."],
    ]);
  });

  it("asks again when a reply holds no usable block, and keeps a variable the reply leaves out", async () => {
    let attempts = 0;
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "propose") return ++attempts === 1 ? "I would change the system prompt." : '<VARIABLE name="system">Answer with the number.</VARIABLE>';
      return c.purpose === "loss" ? "Missing.\nScore: 3/10" : "text";
    });
    const { events } = await runSource(source("opto(engine: e)"), { engine, files });
    expect(ofType(events, "reply_malformed")).toMatchObject([{ purpose: "propose", attempt: 1, problem: 'no <VARIABLE name="…"> block for a target' }]);
    expect(ofType(events, "update").map((u) => u.variable)).toEqual(["system"]);
    expect(ofType(events, "update_skipped")).toMatchObject([{ variable: "style", reason: "the optimizer proposed no change to it" }]);
  });

  it("runs with the simulator, and costs fewer calls per step than TGD on the same program", async () => {
    const opto = await runSource(source("opto(engine: e)"), { files });
    const tgd = await runSource(source("tgd(engine: e)"), { files });
    const optimizerCalls = (r: typeof opto) => r.engine.requests.filter((q) => !["forward", "loss"].includes(q.context.purpose)).length;
    expect(opto.result.status).toBe("completed");
    expect(optimizerCalls(opto)).toBe(1);
    expect(optimizerCalls(tgd)).toBeGreaterThan(optimizerCalls(opto));
  });

  it("asks again when a proposal is a value validation already rejected", async () => {
    const { source: program, files } = rejectedValueProgram("opto");
    const proposals = ["GAMMA", "GAMMA", "DELTA"];
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "propose") return `<VARIABLE name="system">${proposals.shift()}</VARIABLE>`;
      if (c.purpose === "forward") return c.system === "GAMMA" ? "Answer: 9" : "Answer: 1";
      return c.purpose === "loss" ? "Could be clearer.\nScore: 5/10" : "x";
    });
    const { events } = await runSource(program, { engine, files });
    expect(ofType(events, "reply_malformed")).toMatchObject([{ purpose: "propose", problem: "proposes a value validation rejected for system (score 0)" }]);
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["GAMMA", "DELTA"]);
  });
});
