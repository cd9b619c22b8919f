import { describe, expect, it } from "vitest";
import { loadHumanEval, runHumanEval, type HumanEvalTask } from "../../../stdlib/code/humaneval.js";
import type { TestReport } from "../../../stdlib/code/sandbox.js";
import { pool } from "./pool.js";

const tasks = loadHumanEval();

const summary = (t: HumanEvalTask, r: TestReport) => `${t.task_id}: ${r.status} ${r.passed}/${r.total} ${JSON.stringify(r.failures.slice(0, 2))} ${JSON.stringify(r.exception)} ${r.stderr.slice(-300)}`;

describe("HumanEval through the sandbox", () => {
  if (!tasks) {
    it.skip("HumanEval data absent (../shared/data/humaneval/HumanEval.jsonl.gz): skipped", () => undefined);
    return;
  }

  it("has 164 tasks", () => {
    expect(tasks).toHaveLength(164);
  });

  it("every canonical solution passes and a `return None` variant of each does not", async () => {
    const started = Date.now();
    const runs = await pool(tasks, 2, async (task) => {
      const good = await runHumanEval(task, task.canonical_solution, { timeoutMs: 20_000 });
      const broken = await runHumanEval(task, "    return None\n", { timeoutMs: 20_000 });
      return { task, good, broken };
    });
    const badGood = runs.filter((r) => r.good.status !== "passed" || r.good.passed !== r.good.total || r.good.total === 0);
    const badBroken = runs.filter((r) => r.broken.status !== "failed" && r.broken.status !== "error");
    expect(badGood.map((r) => summary(r.task, r.good))).toEqual([]);
    expect(badBroken.map((r) => summary(r.task, r.broken))).toEqual([]);
    console.log(`HumanEval: ${runs.length} canonical + ${runs.length} broken runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 170_000);
});
