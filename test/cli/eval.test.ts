// `tgc eval`: a program's validation metrics on a data set, for its own values or a run's.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackTrace, tgc } from "./run-cli.js";

const PROGRAM = "examples/prompt-optimization.tg";

describe("tgc eval", () => {
  it("scores the program's own values with its validation metric, as a table", () => {
    const r = tgc(["eval", PROGRAM, "--data", "val", "--engine", "sim"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("examples/prompt-optimization.tg on 'val' (3 examples), scoring the program's own values");
    expect(r.stdout).toContain("SIMULATED (sim): these scores mean nothing about quality");
    expect(r.stdout).toMatch(/^metric\s+mean\s+full marks$/m);
    expect(r.stdout).toMatch(/^exact_number\(solve\(ex\.question\), ex\.answer\)\s+\d\.\d{3}\s+\d \/ 3$/m);
  });

  it("scores the values a run ended with, each example's score in --json", () => {
    const runs = mkdtempSync(join(tmpdir(), "tgc-eval-"));
    expect(tgc(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs, "--quiet"]).code).toBe(0);
    const folder = join(runs, readdirSync(runs)[0]!);
    const own = JSON.parse(tgc(["eval", PROGRAM, "--data", "val", "--engine", "sim", "--json"]).stdout) as { metrics: { scores: number[]; mean: number }[] };
    const r = tgc(["eval", PROGRAM, "--data", "val", "--engine", "sim", "--json", "--from", folder]);
    expect(r.code).toBe(0);
    const trained = JSON.parse(r.stdout) as { examples: number; values: string; metrics: { metric: string; scores: number[]; mean: number }[] };
    expect(trained.examples).toBe(3);
    expect(trained.values).toContain("the values of");
    expect(trained.metrics).toHaveLength(1);
    expect(trained.metrics[0]!.metric).toBe("exact_number(solve(ex.question), ex.answer)");
    // Without --engine, a run's values are scored with the engine the run used (sim here): no key is needed.
    const sameEngine = tgc(["eval", PROGRAM, "--data", "val", "--from", folder], undefined, { OPENAI_API_KEY: "" });
    expect(sameEngine.code).toBe(0);
    expect(sameEngine.stdout).toContain("SIMULATED (sim)");
    expect(trained.metrics[0]!.scores).toHaveLength(3);
    expect(trained.metrics[0]!.mean).toBeCloseTo(trained.metrics[0]!.scores.reduce((a, b) => a + b, 0) / 3, 9);
    // The simulated training changed the prompt, and the simulator's answers with it.
    expect(trained.metrics[0]!.scores).not.toEqual(own.metrics[0]!.scores);
  });

  it("scores an each: block's data with its score metric, every example's values as they start: the run's before", () => {
    const r = tgc(["eval", "examples/multiple-choice.tg", "--data", "questions", "--engine", "sim", "--json"]);
    expect(r.code).toBe(0);
    const [metric] = (JSON.parse(r.stdout) as { metrics: { metric: string; mean: number; scores: number[] }[] }).metrics;
    expect(metric!.metric).toBe("choice_correct(answer, ex.question, ex.correct, ex.wrong1, ex.wrong2, ex.wrong3)");
    const runs = mkdtempSync(join(tmpdir(), "tgc-eval-"));
    const run = tgc(["run", "examples/multiple-choice.tg", "--engine", "sim", "--runs-dir", runs, "--json"]);
    const befores = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; before?: number }).filter((e) => e.type === "example_finished").map((e) => e.before);
    expect(metric!.scores).toEqual(befores);
  });

  it("names the data sets when one is unknown, and needs a metric to score with", () => {
    const unknown = tgc(["eval", PROGRAM, "--data", "test", "--engine", "sim"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("tgc eval: examples/prompt-optimization.tg declares no data set 'test' (its data sets: train, val)\n");
    const noMetric = tgc(["eval", "examples/quickstart.tg", "--data", "x"]);
    expect(noMetric.code).toBe(2);
    const missing = tgc(["eval", PROGRAM]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--data <name>' not specified");
    for (const r of [unknown, noMetric, missing]) expect(r.stderr).not.toMatch(stackTrace);
  });
});
