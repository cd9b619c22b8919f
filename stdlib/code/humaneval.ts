// HumanEval (OpenAI, 164 Python tasks): read from `../shared/data/humaneval/HumanEval.jsonl.gz` beside the repo, and
// run a task's completion through the sandbox.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { runTests, type RunTestsOptions, type TestReport } from "./sandbox.js";

export interface HumanEvalTask {
  task_id: string;
  /** The signature and docstring. */
  prompt: string;
  /** The reference body. */
  canonical_solution: string;
  /** `def check(candidate): assert ...` */
  test: string;
  entry_point: string;
}

/** The repo's root: this file is `stdlib/code/humaneval.ts`. */
const repoRoot = () => fileURLToPath(new URL("../../", import.meta.url));

export const humanEvalPath = () => resolve(repoRoot(), "../shared/data/humaneval/HumanEval.jsonl.gz");

/** The tasks, or undefined when the data file is absent. */
export function loadHumanEval(path: string = humanEvalPath()): HumanEvalTask[] | undefined {
  if (!existsSync(path)) return undefined;
  const raw = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as HumanEvalTask);
}

/** Runs a task's completion (the body after the prompt; the canonical solution by default) against its tests. */
export function runHumanEval(
  task: HumanEvalTask,
  completion: string = task.canonical_solution,
  opts: Omit<RunTestsOptions, "language" | "solution" | "tests" | "entryPoint"> = {},
): Promise<TestReport> {
  return runTests({ ...opts, language: "python", solution: task.prompt + completion, tests: task.test, entryPoint: task.entry_point });
}
