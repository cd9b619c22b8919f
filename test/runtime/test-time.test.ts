// Test-time optimization over a data set (`each:`): every example's variables start anew from their initializers,
// are optimized on that example alone, and are scored before and after; nothing carries from one to the next.
import { describe, expect, it } from "vitest";
import { stdlibNatives } from "../../stdlib/index.js";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import type { Checkpoint } from "../../src/runtime/checkpoint.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram } from "../../src/runtime/run.js";
import { evaluateProgram } from "../../src/runtime/evaluate.js";
import { memoryData, ofType, replying, runSource } from "./harness.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const files = { "d.jsonl": '{"q": "2 + 2", "a": "4"}\n{"q": "3 + 3", "a": "6"}\n{"q": "5 + 5", "a": "10"}\n' };

/**
 * A model that first answers 0; the gradient passes on the number the loss expected, and the update writes it in.
 * What each prompt holds is therefore visible in what the model replies.
 */
const model = replying((r) => {
  const text = r.messages.map((m) => m.content).join("\n");
  switch (r.context.purpose) {
    case "forward":
      return "I think 0.";
    case "backward":
      return `Use ${/Expected (\d+)/.exec(text)?.[1] ?? "?"}.`;
    case "update":
      return `<IMPROVED_VARIABLE>I think ${/Use (\d+)\./.exec(text)?.[1] ?? "?"}.</IMPROVED_VARIABLE>`;
    default:
      return "Some text.";
  }
});

const program = `
  import { exact_number } from "std/metrics"
  engine e = sim()
  data d = jsonl("d.jsonl") { q: text, a: text }
  trainable style: "how to answer" = "Be brief."
  frozen prompt(ex): "the question put to the model" = "Solve {ex.q}. {style}"
  trainable answer(ex): "an answer to the question" = call e { user: prompt }
  optimize answer, style using tgd(engine: e, momentum: 2) {
    each: d
    steps: 3
    stop_when_solved: true
    minimize: "Expected {ex.a}." unless exact_number(answer, ex.a)
    score: exact_number(answer, ex.a)
  }`;

describe("each: test-time optimization over a data set", () => {
  it("optimizes every example from its own start and scores its first and final values", async () => {
    const { events, result, engine } = await runSource(program, { engine: model, files });
    expect(result.status).toBe("completed");
    expect(result.examples.get(0)).toEqual([
      { example: 0, values: { answer: "I think 4.", style: "Be brief.", prompt: "Solve 2 + 2. Be brief." }, before: 0, after: 1 },
      { example: 1, values: { answer: "I think 6.", style: "Be brief.", prompt: "Solve 3 + 3. Be brief." }, before: 0, after: 1 },
      { example: 2, values: { answer: "I think 10.", style: "Be brief.", prompt: "Solve 5 + 5. Be brief." }, before: 0, after: 1 },
    ]);
    expect(ofType(events, "each_finished")).toEqual([{ type: "each_finished", optimization: 0, examples: 3, before: 0, after: 1 }]);
    // Each example: started, its per-example variables initialized (the prompt before the answer that reads it),
    // one step that fixes it, a second that finds it solved.
    const outline = events.flatMap((e) =>
      e.type === "example_started" ? [`start ${e.example}`] : e.type === "variable_initialized" ? [`init ${e.name}`] : e.type === "solved" ? ["solved"] : e.type === "example_finished" ? [`end ${e.example}`] : [],
    );
    expect(outline).toEqual(["init style", ...[0, 1, 2].flatMap((i) => [`start ${i}`, "init prompt", "init answer", "solved", `end ${i}`])]);
    // A variable without a parameter is shared: every example starts from it, and it keeps its value after the block.
    expect(result.values.get("style")).toBe("Be brief.");
    expect(result.values.has("answer")).toBe(false);
    // Momentum remembers an example's own past values only: example 1's update never sees example 0's answer.
    const updates = engine.requests.filter((r) => r.context.purpose === "update").map((r) => r.messages.map((m) => m.content).join("\n"));
    expect(updates).toHaveLength(3);
    expect(updates[1]).not.toContain("I think 4.");
    expect(updates[2]).not.toContain("I think 6.");
  });

  it("reads the example in every step, the vote and the score", async () => {
    const { events } = await runSource(program.replace("stop_when_solved: true", "vote: answer").replace("optimize answer, style", "optimize answer"), { engine: model, files });
    const votes = ofType(events, "vote");
    expect(votes.map((v) => v.winner)).toEqual(["I think 4.", "I think 6.", "I think 10."]);
    expect(ofType(events, "step_started").map((s) => s.examples)).toEqual([[0], [0], [0], [1], [1], [1], [2], [2], [2]]);
  });

  it("resumed from any checkpoint, ends with the events and results of a run never stopped", async () => {
    // Here the shared target changes within every example too, so a resume must restore where examples start it.
    const changing = program.replace(
      'minimize: "Expected {ex.a}." unless exact_number(answer, ex.a)',
      'minimize: ("Expected {ex.a}." unless exact_number(answer, ex.a)) + ("Expected 1." unless exact_number(style, "1"))',
    );
    const std = (name: string) => readFileSync(join(import.meta.dirname, `../../stdlib/${name}.tg`), "utf8");
    const all = { "main.tg": changing, "std/metrics": std("metrics"), ...files };
    const { checked } = check("main.tg", changing, memoryHost(all));
    const graph = lowerToGraph(checked);
    const run = async (resume?: Checkpoint) => {
      const events: RunEvent[] = [];
      const checkpoints: Checkpoint[] = [];
      const result = await runProgram({
        graph,
        engines: new Map([["e", model]]),
        natives: stdlibNatives,
        data: memoryData(all),
        emit: (e) => events.push(e),
        program: "main.tg",
        checkpoint: (c) => checkpoints.push(JSON.parse(JSON.stringify(c)) as Checkpoint),
        ...(resume ? { resume } : {}),
      });
      return { events, checkpoints, result };
    };
    const whole = await run();
    // Every example starts the shared style anew, whatever the one before made of it.
    expect(ofType(whole.events, "update").filter((u) => u.variable === "style").map((u) => [u.before, u.after])).toEqual([
      ["Be brief.", "I think 1."],
      ["Be brief.", "I think 1."],
      ["Be brief.", "I think 1."],
    ]);
    expect(whole.checkpoints.length).toBeGreaterThan(6);
    expect(whole.checkpoints.some((c) => c.each && c.step > 0)).toBe(true);
    for (const c of whole.checkpoints) {
      const resumed = await run(c);
      expect([...whole.events.slice(0, c.events), ...resumed.events]).toEqual(whole.events);
      if (c.optimization === 0 && !c.finished) expect(resumed.result.examples.get(0)).toEqual(whole.result.examples.get(0));
    }
  });

  it("is scored without a run (tgc eval): every example's values as they start, or as a run ended them", async () => {
    const std = (name: string) => readFileSync(join(import.meta.dirname, `../../stdlib/${name}.tg`), "utf8");
    const all = { "main.tg": program, "std/metrics": std("metrics"), ...files };
    const graph = lowerToGraph(check("main.tg", program, memoryHost(all)).checked);
    const evaluate = (exampleValues?: Map<number, Map<number, Record<string, string>>>) =>
      evaluateProgram({ graph, engines: new Map([["e", model]]), natives: stdlibNatives, data: memoryData(all), emit: () => {}, dataset: "d", ...(exampleValues ? { exampleValues } : {}) });
    const zeroShot = await evaluate();
    expect(zeroShot.status === "completed" && zeroShot.metrics.map((m) => m.scores)).toEqual([[0, 0, 0]]);
    // The run ended example 1 right; the others are scored as they start.
    const ended = await evaluate(new Map([[0, new Map([[1, { answer: "I think 6.", prompt: "Solve 3 + 3. Be brief.", style: "Be brief." }]])]]));
    expect(ended.status === "completed" && ended.metrics.map((m) => m.scores)).toEqual([[0, 1, 0]]);
  });
});
