// The estimate counts the calls a run makes by the runtime's own rules: checked against runs that make them.
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { loadDataset, memoryDataHost } from "../../src/runtime/data.js";
import { estimateRun, type RunEstimate } from "../../src/runtime/estimate.js";
import { ofType, replying, runSource } from "./harness.js";

const files = { "d.jsonl": ["1", "2", "3", "4", "5"].map((q) => JSON.stringify({ q: `What is ${q} + ${q}?`, a: String(2 * Number(q)) })).join("\n") };

/** A model that always finds something to fix, so every example sends its gradients and every step updates. */
const critic = replying((r) =>
  r.context.purpose === "update" ? "<IMPROVED_VARIABLE>Answer with a number.</IMPROVED_VARIABLE>" : r.context.purpose === "loss" ? "It is wrong.\nScore: 2/10" : "Some text.",
);

function estimateOf(source: string): RunEstimate {
  const host = memoryHost({ "main.tg": source, ...files });
  const { checked } = check("main.tg", source, host);
  const graph = lowerToGraph(checked);
  const datasets = new Map([...graph.data.keys()].map((k) => [k, loadDataset(graph.data.get(k)!, memoryDataHost(files), graph.data).examples]));
  return estimateRun(graph, datasets);
}

const callsBy = (est: RunEstimate) => {
  const out: Record<string, number> = {};
  for (const phases of est.values()) for (const [p, u] of phases) out[p] = (out[p] ?? 0) + u.calls;
  return out;
};

describe("estimateRun", () => {
  it("counts the calls a run makes: forward, loss and backward per example, an update per step, initializers", async () => {
    const source = `
      engine student = sim()
      engine teacher = sim()
      data d = jsonl("d.jsonl") { q: text, a: text }
      trainable system: "a system prompt" = "Answer."
      frozen intro: "an introduction" = call student { user: "Say hello." }
      fn solve(q: text) -> text {
        let draft = call student { system: system, user: q }
        call student { system: "Check the draft.", user: "{intro}\\n{q}\\n{draft}" }
      }
      loss judge(ex) = rubric teacher on solve(ex.q) given ex.a "Right?"
      optimize system using tgd(engine: teacher) { data: d, batch: 2, epochs: 2, minimize: judge }`;
    const { events } = await runSource(source, { engine: critic, files });
    const actual: Record<string, number> = {};
    for (const c of ofType(events, "call")) actual[c.purpose] = (actual[c.purpose] ?? 0) + 1;
    const est = callsBy(estimateOf(source));
    // 2 epochs of 5 examples in batches of 2: 6 steps, 10 examples; two calls each, one initializer.
    expect(est).toEqual({ initialization: 1, forward: 20, loss: 10, backward: 30, update: 6 });
    expect(actual).toEqual({ forward: est.initialization! + est.forward!, loss: est.loss, backward: est.backward, update: est.update });
  });

  it("counts validation before training and after every step, and tokens from the texts' lengths", () => {
    const est = estimateOf(`
      import { exact_number } from "std/metrics"
      engine e = openai("gpt-4o-mini")
      data d = jsonl("d.jsonl") { q: text, a: text }
      trainable system: "a system prompt" = "${"Think. ".repeat(100)}"
      fn solve(q: text) -> text { call e { system: system, user: q } }
      loss judge(ex) = rubric e on solve(ex.q) given ex.a "Right?"
      optimize system using tgd(engine: e) { data: d, batch: 5, steps: 3, minimize: judge, validate: d by exact_number(solve(ex.q), ex.a) }`.replace('import { exact_number } from "std/metrics"', 'extern fn exact_number(r: text, a: text) -> metric'));
    const validation = est.get("e")!.get("validation")!;
    // One step (5 examples in a batch of 5, one epoch), so validation runs twice over 5 examples.
    expect(validation.calls).toBe(10);
    // The system prompt (700 characters) and a question (about 14) per call, about 4 characters a token.
    expect(validation.inputTokens / validation.calls).toBeCloseTo((700 + 14) / 4, -1);
    expect(est.get("e")!.get("update")!.calls).toBe(1);
  });

  it("counts a test-time optimization over a data set: each example's initializers, steps, vote and score", async () => {
    const source = `
      import { exact_number } from "std/metrics"
      engine student = sim()
      engine teacher = sim()
      data d = jsonl("d.jsonl") { q: text, a: text }
      frozen intro: "an introduction" = call student { user: "Say hello." }
      frozen asked(ex): "the question" = call student { user: "Restate {ex.q}" }
      trainable answer(ex): "an answer" = call student { system: intro, user: asked }
      optimize answer using tgd(engine: teacher) {
        each: d
        steps: 2
        minimize: rubric teacher on answer given ex.q "Right?"
        vote: call student { user: "Which number does this give? {answer}" }
        score: exact_number(answer, ex.a)
      }`;
    const { events } = await runSource(source, { engine: critic, files });
    const actual: Record<string, number> = {};
    for (const c of ofType(events, "call")) actual[c.purpose] = (actual[c.purpose] ?? 0) + 1;
    const est = callsBy(estimateOf(source.replace('import { exact_number } from "std/metrics"', "extern fn exact_number(r: text, a: text) -> metric")));
    // 5 examples: two initializers each (one global before), 2 steps of a loss, a backward message and an update,
    // and a vote reading the 3 values.
    expect(est).toEqual({ initialization: 11, loss: 10, backward: 10, update: 10, validation: 15 });
    expect(actual).toEqual({ forward: est.initialization! + est.validation!, loss: est.loss, backward: est.backward, update: est.update });
  });
});
