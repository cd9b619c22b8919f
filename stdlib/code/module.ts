// The natives of std/code (declared in code.tg): a solution's tests as a loss or a metric, and a docstring's
// examples as tests.
import type { NativeFunction } from "../../src/runtime/natives.js";
import { docstringExamples } from "./examples.js";
import { feedback, runTests, type Language, type TestReport } from "./sandbox.js";

/** The code in a reply: the last fenced block if there is one (models often wrap code in ```python fences), else all. */
export function codeOf(reply: string): string {
  const blocks = [...reply.matchAll(/```[A-Za-z0-9_+-]*\n([\s\S]*?)```/g)];
  return blocks.length ? blocks[blocks.length - 1]![1]! : reply;
}

/** The share of tests that failed: 0 when all passed, 1 when none ran (the solution could not run, or was stopped). */
export function failedShare(report: TestReport): number {
  if (report.status === "passed") return 0;
  if (report.total === 0 || report.status !== "failed") return 1;
  return (report.total - report.passed) / report.total;
}

const run = (language: Language) => async ([solution, tests, entryPoint]: readonly string[]) =>
  runTests({ language, solution: codeOf(solution!), tests: tests!, ...(entryPoint ? { entryPoint } : {}) });

const asLoss = (language: Language): NativeFunction => async (args) => {
  const report = await run(language)(args);
  return { critique: feedback(report), loss: failedShare(report) };
};

export const code: Record<string, NativeFunction> = {
  python_tests: asLoss("python"),
  javascript_tests: asLoss("javascript"),
  python_tests_passed: async (args) => 1 - failedShare(await run("python")(args)),
  javascript_tests_passed: async (args) => 1 - failedShare(await run("javascript")(args)),
  python_tests_all_passed: async (args) => ((await run("python")(args)).status === "passed" ? 1 : 0),
  javascript_tests_all_passed: async (args) => ((await run("javascript")(args)).status === "passed" ? 1 : 0),
  examples_as_tests: ([prompt, entryPoint]) => docstringExamples(prompt ?? "", entryPoint ?? ""),
};
