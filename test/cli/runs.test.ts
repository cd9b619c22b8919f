// tgc runs: every run folder, newest first, with how it ended, how far it got, its best metric and what it spent.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackTrace, tgc } from "./run-cli.js";

const PROGRAM = "examples/prompt-optimization.tg";
const tmp = () => mkdtempSync(join(tmpdir(), "tgc-runs-"));

/** The table's row for a folder, split into its columns. */
const row = (stdout: string, name: string) => stdout.split("\n").find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);

describe("tgc runs", () => {
  const runs = tmp();
  const budget = tgc(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs, "--max-calls", "20", "--quiet"]);
  const [budgetRun] = readdirSync(runs);
  // A run killed before it finished: the budget run's folder without final.json, under a later name.
  const killedRun = `${budgetRun!.slice(0, 19)}-zz-killed`;
  cpSync(join(runs, budgetRun!), join(runs, killedRun), { recursive: true });
  rmSync(join(runs, killedRun, "final.json"));
  const kept = (JSON.parse(readFileSync(join(runs, killedRun, "checkpoint.json"), "utf8")) as { events: number }).events;
  const events = readFileSync(join(runs, killedRun, "events.jsonl"), "utf8").split("\n").slice(0, kept + 5);
  writeFileSync(join(runs, killedRun, "events.jsonl"), events.join("\n") + "\n"); // killed a few events after its checkpoint
  const completed = tgc(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs, "--quiet"]);
  const completedRun = readdirSync(runs).find((n) => n !== budgetRun && n !== killedRun)!;
  const list = tgc(["runs", "--runs-dir", runs]);

  it("the runs end as the test needs: one stopped at the budget (exit 3), one completed", () => {
    expect(budget.code).toBe(3);
    expect(completed.code).toBe(0);
  });

  it("lists every run, newest first, with a header", () => {
    expect(list.code).toBe(0);
    expect(list.stderr).toBe("");
    const lines = list.stdout.split("\n");
    expect(lines[0]).toMatch(/^run\s+status\s+steps\s+best metric\s+calls\s+cost\s+resumes$/);
    const order = [completedRun, killedRun, budgetRun!].map((n) => lines.findIndex((l) => l.startsWith(`${n} `)));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(list.stdout).toContain("3 runs in");
  });

  it("shows the completed run's status, steps, best validation score, calls and cost", () => {
    expect(row(list.stdout, completedRun)).toEqual([completedRun, "completed", "4", "validation 1", "37", "$0.00", "0"]);
  });

  it("shows the run stopped at its budget, and how far it got", () => {
    const r = row(list.stdout, budgetRun!)!;
    expect(r[1]).toBe("budget");
    expect(Number(r[2])).toBeLessThan(4);
    expect(Number(r[4])).toBeLessThanOrEqual(20);
  });

  it("says incomplete for a run without final.json (still going, or killed)", () => {
    expect(row(list.stdout, killedRun)![1]).toBe("incomplete");
  });

  it("counts resumes", () => {
    const resumed = tgc(["run", PROGRAM, "--resume", join(runs, budgetRun!), "--quiet"]);
    expect(resumed.code).toBe(0);
    const after = tgc(["runs", "--runs-dir", runs]);
    // 37 calls make the run uninterrupted; the call the budget stopped in the middle of a step is paid again.
    expect(row(after.stdout, budgetRun!)).toEqual([budgetRun, "completed", "4", "validation 1", "38", "$0.00", "1"]);
  });

  it("says so when there are no runs", () => {
    const empty = tmp();
    const r = tgc(["runs", "--runs-dir", empty]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no runs in .*\(tgc run writes a folder there for each run\)\n$/);
    const missing = tgc(["runs", "--runs-dir", join(empty, "nope")]);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toMatch(/^no runs: .*nope does not exist yet/);
  });

  it("a --runs-dir that is a file is a one-line error", () => {
    const r = tgc(["runs", "--runs-dir", join(runs, budgetRun!, "config.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tgc runs: .*config\.json is not a folder\n$/);
    expect(r.stderr).not.toMatch(stackTrace);
  });
});
