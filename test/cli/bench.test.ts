// `tgc bench`: every task's protocol offline on the public data (skipped where ../shared/data is absent), the
// same protocol through OpenAI's wire format with the cost table checked against the usage the server reported,
// and the one-line errors for a missing data set or an unknown task.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeServer, type RecordedRequest } from "../engines/fake-providers.js";
import { root, stackTrace, tgc, tgcAsync } from "./run-cli.js";
import type { BenchSummary } from "../../src/cli/commands/bench.js";

const shared = join(root, "../shared/data");
const tmp = () => mkdtempSync(join(tmpdir(), "tgc-bench-"));
const summaryIn = (runs: string): BenchSummary => {
  const dir = join(runs, "bench");
  const [only] = readdirSync(dir);
  return JSON.parse(readFileSync(join(dir, only!, "summary.json"), "utf8")) as BenchSummary;
};

let server: FakeServer | undefined;
afterEach(async () => server?.close());

describe.skipIf(!existsSync(shared))("tgc bench on the public data, offline", () => {
  for (const task of ["object-counting", "word-sorting", "gsm8k"]) {
    it(`${task}: runs the protocol end to end with --engine sim --limit 10 and prints its table`, () => {
      const runs = tmp();
      const r = tgc(["bench", task, "--engine", "sim", "--limit", "10", "--runs-dir", runs, "--no-cache"]);
      expect(r.stderr).not.toMatch(stackTrace);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("SIMULATED");
      expect(r.stdout).toMatch(/accuracy\s+10\s+\d\.\d{3}\s+\d\.\d{3} \(1 seed\)\s+0\.\d{3} → 0\.\d{3}/);
      expect(r.stdout).toMatch(/before: test set\s+10\s/);
      expect(r.stdout).toMatch(/training \(1 seed\)\s+\d+/);
      const s = summaryIn(runs);
      expect(s).toMatchObject({ task, simulated: true, limit: 10, seeds: [0], testExamples: 10, engines: { student: "sim", teacher: "sim" } });
      expect(s.published?.source).toMatch(/arXiv 2406\.07496/);
      expect(existsSync(join(s.runs[0]!, "events.jsonl"))).toBe(true);
      const html = readFileSync(join(s.runs[0]!, "..", "summary.html"), "utf8");
      expect(html).toContain(`<h1>tgc bench ${task}:`);
      expect(readFileSync(join(s.runs[0]!, "..", "summary.md"), "utf8")).toContain(`- seed 0: ${s.runs[0]}`);
      expect(html).toContain('<p class="sim">SIMULATED');
      expect(html).not.toMatch(/<script|https?:\/\//);
    });
  }

  it("humaneval: optimizes each problem's solution on its own against its docstring's examples, scored by its hidden tests", () => {
    const runs = tmp();
    const r = tgc(["bench", "humaneval", "--engine", "sim", "--limit", "10", "--runs-dir", runs, "--no-cache"]);
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pass@1\s+10\s+\d\.\d{3}\s+\d\.\d{3} \(1 seed\)\s+0\.260 → 0\.360/);
    expect(r.stdout).toMatch(/test-time optimization and scoring \(1 seed\)\s+\d+/);
    const s = summaryIn(runs);
    expect(s).toMatchObject({ task: "humaneval", testTime: true, testExamples: 10 });
    expect(s.published?.title).toMatch(/LeetCode Hard, a different data set/);
    const events = readFileSync(join(s.runs[0]!, "events.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; example?: number });
    expect(events.filter((e) => e.type === "example_finished").map((e) => e.example)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("humaneval: runs through OpenAI's wire format; its cost is the usage the server reported", async () => {
    server = await startOpenAIServer({ apiKey: "sk-bench-test" });
    // Every solution returns None: the public tests fail, so each problem takes its 5 steps of critique and update.
    server.setDefault((req: RecordedRequest) => {
      const all = JSON.stringify(req.body);
      const text = all.includes("This step is the update") ? "<IMPROVED_VARIABLE>```python\ndef solve():\n    return None\n```</IMPROVED_VARIABLE>" : all.includes("backward pass") ? "Return the value the tests expect." : "```python\ndef solve():\n    return None\n```";
      return { kind: "reply", text, usage: { input: 300, output: 30 } };
    });
    const runs = tmp();
    const r = await tgcAsync(["bench", "humaneval", "--engine", "openai:gpt-4o", "--limit", "2", "--runs-dir", runs, "--cache-dir", tmp(), "--yes"], { OPENAI_API_KEY: "sk-bench-test", OPENAI_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    const t = summaryIn(runs).phases["test-time"]!;
    expect(t.calls).toBe(server.requests.length);
    expect(t.cost).toBeCloseTo((t.calls * (300 * 2.5 + 30 * 10)) / 1e6, 10);
    expect(r.stdout).toMatch(/pass@1\s+2\s+0\.000\s+0\.000 \(1 seed\)/);
  }, 60_000);

  it("object-counting: the simulator's training improves the test score (it follows the instructions it learns)", () => {
    const runs = tmp();
    expect(tgc(["bench", "object-counting", "--engine", "sim", "--limit", "10", "--runs-dir", runs, "--no-cache"]).code).toBe(0);
    const s = summaryIn(runs);
    expect(s.after[0]!).toBeGreaterThan(s.before);
  });
});

/** 250 counting questions written here, in BIG-Bench Hard's JSON shape: the protocol's split needs 250. */
function countingData(): string {
  const dir = tmp();
  mkdirSync(join(dir, "bbh"));
  const examples = Array.from({ length: 250 }, (_, i) => ({ input: `I have ${(i % 7) + 1} apples and a chair. How many fruits do I have?`, target: String((i % 7) + 1) }));
  writeFileSync(join(dir, "bbh/object_counting.json"), JSON.stringify({ examples }));
  return dir;
}


describe("tgc bench", () => {
  it("multiple-choice: optimizes and votes on each of the user's questions (--dataset), scoring zero-shot and voted answers", () => {
    const runs = tmp();
    const r = tgc(["bench", "multiple-choice", "--engine", "sim", "--dataset", "questions=examples/data/science.jsonl", "--limit", "10", "--seeds", "2", "--runs-dir", runs, "--no-cache"]);
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("optimizing each of the 6 examples on its own, with 2 seeds (0, 1)");
    expect(r.stdout).toMatch(/accuracy\s+6\s+\d\.\d{3}\s+\d\.\d{3} ± \d\.\d{3} \(2 seeds\)\s+0\.510 → 0\.550/);
    const s = summaryIn(runs);
    expect(s).toMatchObject({ task: "multiple-choice", testTime: true, testExamples: 6, seeds: [0, 1] });
    expect(Object.keys(s.phases)).toEqual(["test-time"]);
    // Each seed's run folder: every question's vote, and the spend of that seed alone.
    for (const folder of s.runs) {
      const events = readFileSync(join(folder, "events.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string });
      expect(events.filter((e) => e.type === "vote")).toHaveLength(6);
    }
    const spent = s.runs.map((f) => (JSON.parse(readFileSync(join(f, "final.json"), "utf8")) as { usage: { total: { calls: number } } }).usage.total.calls);
    expect(spent.reduce((a, b) => a + b, 0)).toBe(s.phases["test-time"]!.calls);
    // Two test-time runs side by side: the rows say examples, not a held-out test set.
    const other = tmp();
    expect(tgc(["bench", "multiple-choice", "--engine", "sim", "--dataset", "questions=examples/data/science.jsonl", "--limit", "3", "--runs-dir", other, "--no-cache"]).code).toBe(0);
    const compared = tgc(["bench", "--compare", ...[runs, other].map((r) => join(r, "bench", readdirSync(join(r, "bench"))[0]!))]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/\n\s+examples\s+6\s+3\n/);
    expect(compared.stdout).toMatch(/accuracy after\s+\d\.\d{3} ± \d\.\d{3}\s+\d\.\d{3}\n/);
    // The task's own data path, absent: the error says where to put the file or how to give it.
    expect(tgc(["bench", "multiple-choice", "--engine", "sim", "--data", tmp()]).stderr).toMatch(/^tgc bench: multiple-choice reads its data set 'questions' from a file you give: --dataset questions=FILE \(or put it at .*choice\/questions\.jsonl\)\n$/);
    expect(tgc(["bench", "multiple-choice", "--dataset", "answers=x.jsonl"]).stderr).toBe("tgc bench: --dataset answers: the task reads no data set 'answers'; it reads questions\n");
  });

  it("runs a test-time task through OpenAI's wire format with a different sample for each seed; its cost is the usage the server reported", async () => {
    server = await startOpenAIServer({ apiKey: "sk-bench-test" });
    server.setDefault((req: RecordedRequest) => {
      const all = JSON.stringify(req.body);
      const text = all.includes("This step is the update") ? "<IMPROVED_VARIABLE>Step 1: check the units.\nAnswer: B</IMPROVED_VARIABLE>" : all.includes("Score") || all.includes("valuate") ? "The units are not checked.\nScore: 6/10" : "Step 1: read.\nAnswer: A";
      return { kind: "reply", text, usage: { input: 200, output: 20 } };
    });
    const runs = tmp();
    const args = ["bench", "multiple-choice", "--engine", "openai:gpt-4o", "--dataset", "questions=examples/data/science.jsonl", "--limit", "2", "--seeds", "2", "--runs-dir", runs, "--cache-dir", tmp(), "--yes"];
    const r = await tgcAsync(args, { OPENAI_API_KEY: "sk-bench-test", OPENAI_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    const calls = server.requests.length;
    const s = summaryIn(runs);
    const t = s.phases["test-time"]!;
    expect(t.calls).toBe(calls);
    expect(t.inputTokens).toBe(200 * calls);
    // With the cache on, the second seed still asks what the first asked: a seed is a sample of its own.
    const spent = s.runs.map((f) => (JSON.parse(readFileSync(join(f, "final.json"), "utf8")) as { usage: { total: { calls: number; cacheHits: number } } }).usage.total);
    const counts = spent.map((u) => `${u.calls} calls, ${u.cacheHits} from the cache`);
    expect(counts[1]).toBe(counts[0]);
    expect(spent[0]!.calls).toBeGreaterThan(0);
    // gpt-4o: 2.50 USD per million input tokens, 10 per million output tokens.
    expect(t.cost).toBeCloseTo((calls * (200 * 2.5 + 20 * 10)) / 1e6, 10);
  }, 60_000);

  it("runs a protocol through OpenAI's wire format; its cost table is the usage the server reported", async () => {
    server = await startOpenAIServer({ apiKey: "sk-bench-test" });
    server.setDefault((req: RecordedRequest) => {
      const all = JSON.stringify(req.body);
      const text = all.includes("This step is the update") ? "<IMPROVED_VARIABLE>Count only what the question asks about. End with 'Answer: N'.</IMPROVED_VARIABLE>" : all.includes("Score") || all.includes("evaluate") ? "Fine.\nScore: 9/10" : "Answer: 3";
      return { kind: "reply", text, usage: { input: 100, output: 10 } };
    });
    const runs = tmp();
    const r = await tgcAsync(["bench", "object-counting", "--engine", "openai:gpt-4o-mini", "--data", countingData(), "--limit", "3", "--runs-dir", runs, "--no-cache"], { OPENAI_API_KEY: "sk-bench-test", OPENAI_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("SIMULATED");
    const calls = server.requests.length;
    const s = summaryIn(runs);
    const total = Object.values(s.phases).reduce((t, p) => ({ calls: t.calls + p.calls, inputTokens: t.inputTokens + p.inputTokens, outputTokens: t.outputTokens + p.outputTokens, cost: t.cost + (p.cost ?? NaN) }), { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0 });
    expect(total.calls).toBe(calls);
    expect(total.inputTokens).toBe(100 * calls);
    expect(total.outputTokens).toBe(10 * calls);
    // gpt-4o-mini: 0.15 USD per million input tokens, 0.60 per million output tokens.
    expect(total.cost).toBeCloseTo((calls * (100 * 0.15 + 10 * 0.6)) / 1e6, 10);
    expect(s.phases.before!.calls).toBe(3);
    expect(s.engines).toEqual({ student: "openai:gpt-4o-mini", teacher: "openai:gpt-4o-mini" });
    expect(r.stdout).toMatch(new RegExp(`total\\s+${calls}\\s+0\\s+${(100 * calls).toLocaleString("en-US")}`));
  }, 60_000);

  it("sets two bench runs side by side with --compare", () => {
    const data = countingData();
    const runs = [tmp(), tmp()];
    expect(tgc(["bench", "object-counting", "--engine", "sim", "--data", data, "--limit", "4", "--runs-dir", runs[0]!, "--no-cache"]).code).toBe(0);
    expect(tgc(["bench", "object-counting", "--engine", "sim", "--data", data, "--limit", "4", "--seeds", "2", "--runs-dir", runs[1]!, "--no-cache"]).code).toBe(0);
    const folders = runs.map((r) => join(r, "bench", readdirSync(join(r, "bench"))[0]!));
    const r = tgc(["bench", "--compare", ...folders]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SIMULATED runs among these");
    expect(r.stdout).toMatch(/seeds\s+1\s+2/);
    expect(r.stdout).toMatch(/accuracy before\s+(\d\.\d{3})\s+\1/);
    expect(tgc(["bench", "--compare", folders[0]!]).stderr).toBe("tgc bench: --compare takes two bench folders, not 1\n");
    expect(tgc(["bench", "--compare", folders[0]!, join(tmp(), "none")]).stderr).toMatch(/cannot read .*summary\.json: no such file/);
  });

  it("stops at a budget like tgc run (exit 3) whichever phase reaches it; each seed's run folder records what it spent", () => {
    const early = tgc(["bench", "object-counting", "--engine", "sim", "--data", countingData(), "--limit", "5", "--max-calls", "3", "--runs-dir", tmp(), "--no-cache"]);
    expect(early.code).toBe(3);
    expect(early.stderr).toBe("tgc bench: scoring the test set before training stopped at a budget (--max-cost, --max-calls or --max-tokens)\n");
    const runs = tmp();
    expect(tgc(["bench", "object-counting", "--engine", "sim", "--data", countingData(), "--limit", "5", "--seeds", "2", "--runs-dir", runs, "--no-cache"]).code).toBe(0);
    const s = summaryIn(runs);
    const spent = s.runs.map((r) => (JSON.parse(readFileSync(join(r, "final.json"), "utf8")) as { usage: { total: { calls: number } } }).usage.total.calls);
    expect(spent.reduce((a, b) => a + b, 0)).toBe(s.phases.training!.calls);
    expect(tgc(["bench", "object-counting", "--engine", "sim", "--teacher", "bogus:thing", "--data", join(tmp(), "none")]).stderr).toMatch(/^tgc bench: --teacher bogus:thing: expected sim/);
  });

  it("stops at a budget like tgc run (exit 3), naming the run folder it leaves", () => {
    const r = tgc(["bench", "object-counting", "--engine", "sim", "--data", countingData(), "--limit", "5", "--max-calls", "20", "--runs-dir", tmp(), "--no-cache"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tgc bench: training with seed 0 stopped at a budget \(--max-cost, --max-calls or --max-tokens\); its run folder: .*object-counting\n$/);
  });

  it("says where to put a missing data set, in one line, before any call", () => {
    const r = tgc(["bench", "gsm8k", "--engine", "sim", "--data", join(tmp(), "nothing")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/gsm8k needs gsm8k\/train\.jsonl, which is not in .*nothing: put the public data sets there/);
  });

  it("names the tasks when given an unknown one", () => {
    const r = tgc(["bench", "leetcode"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tgc bench: no task 'leetcode'; the tasks are: gsm8k, humaneval, multiple-choice, object-counting, word-sorting\n");
  });
});

describe("estimates before spending", () => {
  it("tgc run --estimate prints calls, tokens and cost per engine and phase, and calls nothing", () => {
    const r = tgc(["run", "examples/prompt-optimization.tg", "--estimate"], root, { OPENAI_API_KEY: "" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/student \(openai:gpt-4o-mini\)\s+forward\s+12\s/);
    expect(r.stdout).toMatch(/teacher \(openai:gpt-4o\)\s+update\s+4\s/);
    expect(r.stdout).toMatch(/total\s+67\s+[\d,]+\s+[\d,]+\s+0\.\d{4}/);
    expect(r.stdout).toContain("An estimate");
    expect(tgc(["run", "examples/prompt-optimization.tg", "--estimate", "--engine", "sim"]).stdout).toMatch(/total\s+67\s+[\d,]+\s+[\d,]+\s+0\.0000/);
  });

  it("tgc bench prints the estimate first, stops there with --estimate, and without a terminal refuses a run above the threshold", () => {
    const data = countingData();
    const est = tgc(["bench", "object-counting", "--engine", "openai:gpt-4o", "--data", data, "--limit", "5", "--estimate"], root, { OPENAI_API_KEY: "" });
    expect(est.code).toBe(0);
    expect(est.stdout).toMatch(/the estimate, 1 seed, 5 test examples/);
    expect(est.stdout).toMatch(/total\s+47\s/);
    const refused = tgc(["bench", "object-counting", "--engine", "openai:gpt-4o", "--data", data, "--limit", "5", "--confirm-above", "0.01", "--runs-dir", tmp()], root, { OPENAI_API_KEY: "sk-never-used" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^tgc bench: this would spend about 0\.\d\d USD, above 0\.01 USD; pass --yes to go ahead\n$/);
  });

  it("estimates the calls a simulated bench run then makes", () => {
    const runs = tmp();
    const r = tgc(["bench", "object-counting", "--engine", "sim", "--data", countingData(), "--limit", "5", "--runs-dir", runs, "--no-cache"]);
    expect(r.code).toBe(0);
    const estimated = Number(/^ {2}total\s+([\d,]+)/m.exec(r.stdout)![1]!.replace(/,/g, ""));
    const s = summaryIn(runs);
    const made = Object.values(s.phases).reduce((a, p) => a + p.calls, 0);
    // An upper bound: examples with nothing to fix send no gradients, and unchanged values are not scored again.
    expect(made).toBeLessThanOrEqual(estimated);
    expect(made).toBeGreaterThan(estimated / 3);
  });
});
