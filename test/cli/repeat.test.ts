// `tgc run --repeat N`: the optimization N times with consecutive seeds, the metric's mean and spread.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tgc } from "./run-cli.js";

describe("tgc run --repeat", () => {
  it("runs once per seed, each in its own folder, and reports the metric's mean and spread and each run's values", () => {
    const runs = mkdtempSync(join(tmpdir(), "tgc-repeat-"));
    const r = tgc(["run", "examples/prompt-optimization.tg", "--engine", "sim", "--repeat", "3", "--seed", "1", "--runs-dir", runs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("running examples/prompt-optimization.tg 3 times, seeds 1 to 3");
    for (const seed of [1, 2, 3]) expect(r.stdout).toMatch(new RegExp(`^  seed ${seed}: completed, best validation \\d\\.\\d{3} \\(`, "m"));
    expect(r.stdout).toMatch(/^best validation: mean \d\.\d{3}, spread \(standard deviation\) \d\.\d{3}, min \d\.\d{3}, max \d\.\d{3} over 3 runs$/m);
    expect(r.stdout.match(/^seed \d\n {2}system$/gm)).toHaveLength(3);
    // Each run has its folder, its seed, and the data in the order that seed gives.
    const folders = readdirSync(runs).map((f) => join(runs, f));
    expect(folders).toHaveLength(3);
    const seeds = folders.map((f) => (JSON.parse(readFileSync(join(f, "config.json"), "utf8")) as { seed: number }).seed).sort();
    expect(seeds).toEqual([1, 2, 3]);
    const firstBatch = (f: string) => readFileSync(join(f, "events.jsonl"), "utf8").split("\n").find((l) => l.includes('"step_started"'));
    expect(new Set(folders.map(firstBatch)).size).toBeGreaterThan(1);
    // Each run records what its own calls used, though the three share their engines.
    for (const f of folders) {
      const calls = readFileSync(join(f, "events.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.includes('"type":"call"'))
        .map((l) => JSON.parse(l) as { usage: { inputTokens: number }; cached: boolean });
      const usage = (JSON.parse(readFileSync(join(f, "final.json"), "utf8")) as { usage?: { total: { calls: number; cacheHits: number; inputTokens: number } } }).usage;
      expect(usage?.total.calls).toBe(calls.filter((c) => !c.cached).length);
      expect(usage?.total.calls).toBeGreaterThan(0);
      expect(usage?.total.inputTokens).toBe(calls.filter((c) => !c.cached).reduce((n, c) => n + c.usage.inputTokens, 0));
    }
  });

  it("wants --repeat for --seed, and refuses --repeat with --resume or --out", () => {
    expect(tgc(["run", "examples/quickstart.tg", "--seed", "3"]).code).toBe(2);
    expect(tgc(["run", "examples/quickstart.tg", "--repeat", "2", "--out", "x.tg"]).code).toBe(2);
  });
});
