// The run loop: interruption, and the record it leaves.
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import type { Engine, EngineRequest } from "../../src/engines/engine.js";
import { LimitedEngine, Limiter } from "../../src/engines/limits.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram } from "../../src/runtime/run.js";
import { ofType, replying, runSource } from "./harness.js";

const tagged = (v: string) => `<IMPROVED_VARIABLE>${v}</IMPROVED_VARIABLE>`;

describe("interrupting a run", () => {
  it("stops at the next step when aborted, and reports what completed", async () => {
    const source = `engine e = sim()
      trainable v: "a value" = "x"
      loss l = rubric e on v "judge"
      optimize v using tgd(engine: e) { steps: 5 minimize: l }`;
    const graph = lowerToGraph(check("main.tg", source, memoryHost({ "main.tg": source })).checked);
    const abort = new AbortController();
    let updates = 0;
    const engine = replying((r) => {
      if (r.context.purpose === "update") {
        updates++;
        if (updates === 2) abort.abort();
        return tagged(`value ${updates}`);
      }
      return r.context.purpose === "loss" ? "Bad.\nScore: 1/10" : "Change it.";
    });
    const events: RunEvent[] = [];
    const result = await runProgram({
      graph,
      engines: new Map([["e", engine]]),
      natives: new Map(),
      data: { resolve: (p) => p, read: () => undefined },
      emit: (e) => events.push(e),
      program: "main.tg",
      signal: abort.signal,
    });
    expect(result.status).toBe("interrupted");
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["value 1", "value 2"]);
    expect(ofType(events, "step_started")).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "interrupted", values: { v: "value 2" } });
  });
});

describe("concurrency", () => {
  it("gives the same events and values whatever the order in which replies arrive", async () => {
    const source = `engine e = sim()
      data d = jsonl("d.jsonl") { q: text, a: text }
      trainable system: "a system prompt" = "Answer."
      trainable style: "a style guide" = "Be brief."
      fn solve(q: text) -> text {
        let draft = call e { system: system, user: q }
        call e { system: style, user: draft }
      }
      loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
      loss brief(ex) = rubric e on solve(ex.q) "is it brief?"
      optimize system, style using tgd(engine: e) { data: d, batch: 4, minimize: judge + 0.5 * brief }`;
    const data = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => JSON.stringify({ q: `I have ${"a cat, ".repeat(i)}and a dog. How many animals do I have?`, a: String(i + 1) })).join("\n");
    const graph = lowerToGraph(check("main.tg", source, memoryHost({ "main.tg": source })).checked);
    // Replies arrive after pseudo-random delays, so completion order differs from start order.
    let seed = 7;
    const delayed = (concurrency: number): Engine => {
      const sim = new SimEngine();
      const jittery = {
        id: "sim",
        simulated: true,
        complete: async (r: EngineRequest) => {
          seed = (seed * 48271) % 2147483647;
          await new Promise((resolve) => setTimeout(resolve, seed % 7));
          return sim.complete(r);
        },
      };
      return new LimitedEngine(jittery, new Limiter({ concurrency }));
    };
    const run = async (concurrency: number) => {
      const events: RunEvent[] = [];
      const result = await runProgram({
        graph,
        engines: new Map([["e", delayed(concurrency)]]),
        natives: new Map(),
        data: { resolve: (p) => p, read: () => data },
        emit: (e) => events.push(e),
        program: "main.tg",
      });
      return { events: JSON.stringify(events), values: [...result.values] };
    };
    const sequential = await run(1);
    const parallel = await run(16);
    expect(parallel.values).toEqual(sequential.values);
    expect(parallel.events).toBe(sequential.events);
  });
});

describe("warming the provider's prompt cache", () => {
  it("sends the batch's first example through alone before the others", async () => {
    const source = `engine e = sim()
      data d = jsonl("d.jsonl") { q: text }
      trainable system: "a system prompt" = "Answer."
      fn solve(q: text) -> text { call e { system: system, user: q } }
      loss judge(ex) = rubric e on solve(ex.q) "judge"
      optimize system using tgd(engine: e) { data: d, batch: 3, minimize: judge }`;
    const graph = lowerToGraph(check("main.tg", source, memoryHost({ "main.tg": source })).checked);
    const data = ["one", "two", "three"].map((q) => JSON.stringify({ q: `Question ${q}?` })).join("\n");
    const run = async (warmCache: boolean) => {
      const started: string[] = [];
      const sim = new SimEngine();
      const engine: Engine = {
        id: "sim",
        simulated: true,
        complete: async (r) => {
          const text = r.messages.map((m) => m.content).join(" ");
          started.push(`${r.context.purpose}:${/Question (\w+)/.exec(text)?.[1] ?? "-"}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return sim.complete(r);
        },
      };
      await runProgram({ graph, engines: new Map([["e", engine]]), natives: new Map(), data: { resolve: (p) => p, read: () => data }, emit: () => {}, program: "main.tg", warmCache });
      return started;
    };
    // The update (after every example) quotes several examples' gradients: look at the examples' own calls.
    const warm = (await run(true)).filter((s) => !s.startsWith("update"));
    const lead = warm[0]!.split(":")[1]!;
    const isLead = (s: string) => s.endsWith(`:${lead}`);
    const firstOther = warm.findIndex((s) => !isLead(s) && !s.endsWith(":-"));
    const lastLead = warm.map((s, i) => (isLead(s) ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(warm.filter(isLead).slice(0, 3)).toEqual([`forward:${lead}`, `loss:${lead}`, `backward:${lead}`]);
    expect(lastLead).toBeLessThan(firstOther);
    // Without it, the examples' forward calls all start together.
    const cold = await run(false);
    expect(cold.slice(0, 3).sort()).toEqual(["forward:one", "forward:three", "forward:two"]);
  });
});

describe("validation", () => {
  it("is not paid again when no variable changed in a step", async () => {
    const source = `import { exact_number } from "std/metrics"
      engine e = sim()
      data d = jsonl("d.jsonl") { q: text, a: text }
      trainable system: "a system prompt" = "Answer."
      fn solve(q: text) -> text { call e { system: system, user: q } }
      loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
      optimize system using tgd(engine: e) { data: d, batch: 1, epochs: 3, minimize: judge, validate: d by exact_number(solve(ex.q), ex.a), keep best }`;
    // The critic finds nothing to fix once the answer has a final line: later steps change nothing.
    const engine = replying((r) => (r.context.purpose === "loss" ? "Nothing to fix.\nScore: 10/10" : "Answer: 1"));
    const { events, engine: rec } = await runSource(source, { engine, files: { "d.jsonl": '{"q": "1?", "a": "1"}\n' } });
    const validations = ofType(events, "validation");
    expect(validations.map((v) => v.unchanged ?? false)).toEqual([false, true, true, true]);
    // One forward call for the baseline validation; the steps' own forward calls; none for unchanged validation.
    expect(rec.requests.filter((r) => r.context.purpose === "forward")).toHaveLength(1 + 3);
  });
});

describe("early stopping", () => {
  const source = (patience: number) => `import { exact_number } from "std/metrics"
    engine e = sim()
    data d = jsonl("d.jsonl") { q: text, a: text }
    trainable system: "a system prompt" = "Answer."
    fn solve(q: text) -> text { call e { system: system, user: q } }
    loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
    optimize system using tgd(engine: e) { data: d, epochs: 5, minimize: judge, validate: d by exact_number(solve(ex.q), ex.a), patience: ${patience} }`;
  const files = { "d.jsonl": '{"q": "1?", "a": "1"}\n{"q": "2?", "a": "2"}\n' };

  it("ends the optimization once validation has not improved for `patience` steps", async () => {
    // Every update changes the prompt, but the model's answers never improve: validation stays at 0.5.
    let n = 0;
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "update") return `<IMPROVED_VARIABLE>Answer, version ${++n}.</IMPROVED_VARIABLE>`;
      if (c.purpose === "forward") return "Answer: 1";
      return c.purpose === "loss" ? "Wrong.\nScore: 2/10" : "Change it.";
    });
    const { events } = await runSource(source(3), { engine, files });
    expect(ofType(events, "validation").map((v) => v.score)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(ofType(events, "early_stopped")).toEqual([{ type: "early_stopped", step: 3, patience: 3, best: 0.5, bestStep: 0 }]);
    expect(ofType(events, "step_started")).toHaveLength(3); // of 10 scheduled
  });

  it("counts from the last step that improved", async () => {
    // Step 1's prompt makes the model answer each question right; nothing after improves on it.
    let n = 0;
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "update") return `<IMPROVED_VARIABLE>${++n === 1 ? "Repeat the number." : `Version ${n}.`}</IMPROVED_VARIABLE>`;
      if (c.purpose === "forward") return c.system === "Repeat the number." ? `Answer: ${c.user.replace("?", "")}` : "Answer: 1";
      return c.purpose === "loss" ? "Wrong.\nScore: 2/10" : "Change it.";
    });
    const { events } = await runSource(source(2), { engine, files });
    expect(ofType(events, "validation").map((v) => v.score)).toEqual([0.5, 1, 0.5, 0.5]);
    expect(ofType(events, "early_stopped")).toEqual([{ type: "early_stopped", step: 3, patience: 2, best: 1, bestStep: 1 }]);
  });
});

describe("test-time optimization with a majority vote", () => {
  it("ends with the latest value that gave the most common answer", async () => {
    const values = ["Reasoning 1.\nAnswer: B", "Reasoning 2.\nAnswer: B", "Reasoning 3.\nAnswer: C"];
    let updates = 0;
    const engine = replying((r) =>
      r.context.purpose === "forward"
        ? "Reasoning 0.\nAnswer: A"
        : r.context.purpose === "update"
          ? `<IMPROVED_VARIABLE>${values[updates++]}</IMPROVED_VARIABLE>`
          : r.context.purpose === "loss"
            ? "Weak.\nScore: 4/10"
            : "Improve it.",
    );
    const { events, result } = await runSource(
      `import { choices, chosen_letter, reasoning_critique } from "std/choice"
       engine e = sim()
       frozen question: "a question with options" = choices("Q?", "right", "w1", "w2", "w3")
       trainable answer: "an answer ending with 'Answer: <letter>'" = call e { user: question }
       optimize answer using tgd(engine: e) {
         steps: 3
         minimize: reasoning_critique(e, answer, question)
         vote: chosen_letter(answer, "Q?", "right", "w1", "w2", "w3")
       }`,
      { engine },
    );
    const vote = ofType(events, "vote")[0]!;
    expect(vote.answers.map((a) => a.answer)).toEqual(["A", "B", "B", "C"]);
    expect(vote.winner).toBe("B");
    expect(vote.chosenStep).toBe(2);
    expect(result.values.get("answer")).toBe("Reasoning 2.\nAnswer: B");
  });
});

describe("a loss computed by native code", () => {
  it("runs the tests, hands their critique to the solution, and reaches zero when they pass", async () => {
    const fixed = "```python\ndef double(x):\n    return 2 * x\n```";
    const engine = replying((r) => (r.context.purpose === "update" ? `<IMPROVED_VARIABLE>${fixed}</IMPROVED_VARIABLE>` : "Multiply by two instead of adding one."));
    const { events, result } = await runSource(
      `import { python_tests } from "std/code"
       engine e = sim()
       frozen tests: "tests" = "assert double(2) == 4\\nassert double(5) == 10"
       trainable solution: "a Python function double(x)" = "def double(x):\\n    return x + 1"
       optimize solution using tgd(engine: e) { steps: 5, minimize: python_tests(solution, tests, ""), stop_when_solved: true }`,
      { engine },
    );
    const losses = ofType(events, "loss");
    expect(losses[0]!.text).toMatch(/^2 of 2 tests failed\. `assert double\(2\) == 4` failed: got 3\./);
    expect(losses[0]!.loss).toBe(1);
    const gradient = ofType(events, "gradient")[0]!;
    expect(gradient.toLabel).toBe("solution");
    expect(losses[1]!.loss).toBe(0);
    expect(ofType(events, "update")).toHaveLength(1); // nothing left to fix at step 2
    expect(ofType(events, "solved")).toEqual([{ type: "solved", step: 2 }]);
    expect(ofType(events, "step_started")).toHaveLength(2); // the run ended when the tests passed
    expect(result.values.get("solution")).toBe(fixed);
  });
});

describe("data problems", () => {
  it("reports a split too big for its data set once, though two of its parts are used", async () => {
    const source = `import { exact_number } from "std/metrics"
      engine e = sim()
      data all = jsonl("d.jsonl") { q: text, a: text }
      split all { train: 3, val: 2 }
      trainable system: "a system prompt" = "Answer."
      fn solve(q: text) -> text { call e { system: system, user: q } }
      loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
      optimize system using tgd(engine: e) { data: train, minimize: judge, validate: val by exact_number(solve(ex.q), ex.a) }`;
    const { result, engine } = await runSource(source, { files: { "d.jsonl": '{"q": "1?", "a": "1"}\n{"q": "2?", "a": "2"}\n' } });
    expect(result.status).toBe("failed");
    expect(result.diagnostics.map((d) => d.message)).toEqual(["the split of 'all' asks for 5 examples, and it has 2"]);
    expect(engine.requests).toEqual([]); // nothing paid
  });
});
