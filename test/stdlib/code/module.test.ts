// The std/code natives as a program calls them: a share of tests passed, and all-or-nothing (pass@1).
import { describe, expect, it } from "vitest";
import { code } from "../../../stdlib/code/module.js";

const tests = "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(3) == 6\n    assert candidate(0) == 0\n";
const half = "```python\ndef dbl(x):\n    return 2 * x if x < 2 else x\n```";
const right = "def dbl(x):\n    return 2 * x\n";

describe("std/code metrics", () => {
  it("counts a partly right solution as a share of the tests, and as unsolved", async () => {
    expect(await code.python_tests_passed!([half, tests, "dbl"])).toBeCloseTo(2 / 3);
    expect(await code.python_tests_all_passed!([half, tests, "dbl"])).toBe(0);
  });
  it("counts a right solution as solved", async () => {
    expect(await code.python_tests_all_passed!([right, tests, "dbl"])).toBe(1);
  });
  it("scores a JavaScript solution all or nothing", async () => {
    const js = 'import assert from "node:assert";\nassert.strictEqual(candidate(1), 2);\nassert.strictEqual(candidate(3), 6);\n';
    expect(await code.javascript_tests_all_passed!(["function dbl(x) { return x + 1; }", js, "dbl"])).toBe(0);
    expect(await code.javascript_tests_all_passed!(["function dbl(x) { return 2 * x; }", js, "dbl"])).toBe(1);
  });
});
