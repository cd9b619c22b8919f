import { existsSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedback, runTests, type Language, type TestReport } from "../../../stdlib/code/sandbox.js";

const PY_TESTS = "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(3) == 6\n    assert candidate(0) == 0\n";
const JS_TESTS = 'import assert from "node:assert";\nassert.strictEqual(candidate(1), 2);\nassert.strictEqual(candidate(3), 6);\nassert.strictEqual(candidate(0), 0);\n';
const TESTS: Record<Language, string> = { python: PY_TESTS, javascript: JS_TESTS };
const run = (language: Language, solution: string, extra: { timeoutMs?: number; memoryMb?: number; outputLimit?: number } = {}) =>
  runTests({ language, solution, tests: TESTS[language], entryPoint: "dbl", timeoutMs: 5_000, ...extra });

let server: Server;
let port = 0;
let connections = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const outside = () => `/tmp/outside-${randomBytes(6).toString("hex")}.txt`;

describe("python", () => {
  it("passes a correct solution", async () => {
    const r = await run("python", "def dbl(x):\n    return 2 * x\n");
    expect(r).toMatchObject({ status: "passed", passed: 3, total: 3, failures: [] });
    expect(feedback(r)).toBe("All 3 tests passed.");
  });

  it("names the failing asserts and what they got", async () => {
    const r = await run("python", "def dbl(x):\n    return x * x\n");
    expect(r.status).toBe("failed");
    expect(r.passed).toBe(1);
    expect(r.total).toBe(3);
    expect(r.failures[0]).toEqual({ test: "assert candidate(1) == 2", message: "got 1", line: 2 });
    expect(r.failures[1]).toEqual({ test: "assert candidate(3) == 6", message: "got 9", line: 3 });
    expect(feedback(r)).toBe("2 of 3 tests failed. `assert candidate(1) == 2` failed: got 1. `assert candidate(3) == 6` failed: got 9.");
  });

  it("reports an exception with its line in the solution", async () => {
    const r = await run("python", "def dbl(x):\n    y = 0\n    if x:\n        return x / y\n    return 0\n");
    expect(r.status).toBe("failed");
    expect(r.passed).toBe(1);
    expect(r.exception).toEqual({ type: "ZeroDivisionError", message: "division by zero", line: 4 });
    expect(r.failures[0]!.message).toBe("raised ZeroDivisionError: division by zero at line 4 of the solution");
    expect(feedback(r)).toContain("Line 4 raised ZeroDivisionError: division by zero.");
  });

  it("reports a syntax error as an error with its line", async () => {
    const r = await run("python", "def dbl(x):\n    return (x\n");
    expect(r.status).toBe("error");
    expect(r.exception).toMatchObject({ type: "SyntaxError", line: 2 });
    expect(feedback(r)).toMatch(/^The solution could not run\. Line 2 raised SyntaxError/);
  });

  it("kills an infinite loop at the wall-time limit", async () => {
    const started = Date.now();
    const r = await run("python", "def dbl(x):\n    while True:\n        pass\n", { timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r.status).toBe("timeout");
    expect(r.failures[0]).toMatchObject({ test: "assert candidate(1) == 2", message: "timed out after 1 s" });
    expect(feedback(r)).toContain("timed out on `assert candidate(1) == 2`");
  });

  it("stops a memory hog: one huge allocation and a growing list", async () => {
    const huge = await run("python", "x = bytearray(2**34)\n");
    expect(huge.status).toBe("refused");
    expect(huge.exception).toMatchObject({ type: "MemoryError", line: 1 });
    const growing = await run("python", "def dbl(x):\n    a = []\n    while True:\n        a.append(' ' * 10**6)\n", { memoryMb: 256 });
    expect(growing.status).toBe("refused");
    expect(growing.refused).toEqual(["memory beyond the limit of 256 MB"]);
    expect(feedback(growing)).toContain("memory beyond the limit of 256 MB");
  });

  it("refuses a fork bomb and the machine stays fine", async () => {
    const r = await run("python", "import os\nwhile True:\n    os.fork()\n", { timeoutMs: 3_000 });
    expect(r.status).toBe("refused");
    expect(r.refused[0]).toContain("os.fork");
    expect(r.exception).toMatchObject({ type: "PermissionError", line: 3 });
    const after = await run("python", "def dbl(x):\n    return 2 * x\n");
    expect(after.status).toBe("passed");
  });

  it("refuses subprocesses and os.system", async () => {
    const r = await run("python", "import subprocess\nsubprocess.run(['true'])\n");
    expect(r.status).toBe("refused");
    const s = await run("python", "import os\nos.system('true')\n");
    expect(s.status).toBe("refused");
  });

  it("refuses a write outside its folder (and allows one inside)", async () => {
    const path = outside();
    const r = await run("python", `open(${JSON.stringify(path)}, "w").write("escaped")\n`);
    expect(r.status).toBe("refused");
    expect(r.refused).toEqual([`writing to ${path} outside its folder`]);
    expect(existsSync(path)).toBe(false);
    const inside = await run("python", "open('scratch.txt', 'w').write('ok')\ndef dbl(x):\n    return 2 * x\n");
    expect(inside.status).toBe("passed");
  });

  it("refuses a network connection: the server receives none", async () => {
    const before = connections;
    const r = await run("python", `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2)\n`);
    expect(r.status).toBe("refused");
    expect(r.refused[0]).toContain(`127.0.0.1:${port}`);
    await new Promise((done) => setTimeout(done, 100));
    expect(connections).toBe(before);
    // A raw socket's connect, past getaddrinfo, is refused too.
    const raw = await run("python", `import socket\ns = socket.socket()\ns.connect(("127.0.0.1", ${port}))\n`);
    expect(raw.status).toBe("refused");
    expect(raw.refused[0]).toBe(`network connection to ('127.0.0.1', ${port})`);
    expect(connections).toBe(before);
  });

  it("truncates 1 MB of output", async () => {
    const r = await run("python", "print('x' * 1_000_000)\ndef dbl(x):\n    return 2 * x\n");
    expect(r.status).toBe("passed");
    expect(r.stdout.length).toBeLessThan(8_100);
    expect(r.stdout).toContain("[... output truncated:");
  });

  it("sees none of the caller's environment, nor the caller's /proc entry", async () => {
    process.env.OPENAI_API_KEY = "sk-secret";
    try {
      const r = await run("python", "import os\nprint(sorted(os.environ.items()))\ndef dbl(x):\n    return 2 * x\n");
      expect(r.status).toBe("passed");
      expect(r.stdout).not.toContain("sk-secret");
      expect(r.stdout).not.toContain("OPENAI_API_KEY");
      const proc = await run("python", `print(open("/proc/${process.pid}/environ", "rb").read())\n`);
      expect(proc.status).toBe("refused");
      expect(proc.stdout).not.toContain("sk-secret");
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it("runs plain top-level asserts when there is no check function", async () => {
    const r = await runTests({ language: "python", solution: "def f(x):\n    return x\n", tests: "assert f(1) == 1\nassert f(2) == 3\n" });
    expect(r).toMatchObject({ status: "failed", passed: 1, total: 2 });
    expect(r.failures[0]).toEqual({ test: "assert f(2) == 3", message: "got 2", line: 2 });
  });
});

describe("javascript", () => {
  it("passes a correct solution", async () => {
    const r = await run("javascript", "function dbl(x) {\n  return 2 * x;\n}\n");
    expect(r).toMatchObject({ status: "passed", passed: 3, total: 3 });
    expect(feedback(r)).toBe("All 3 tests passed.");
  });

  it("names the failing assertions and what they got", async () => {
    const r = await run("javascript", "function dbl(x) {\n  return x * x;\n}\n");
    expect(r).toMatchObject({ status: "failed", passed: 1, total: 3 });
    expect(r.failures[0]).toEqual({ test: "assert.strictEqual(candidate(1), 2);", message: "got 1, expected 2", line: 2 });
  });

  it("reports an exception with its line", async () => {
    const r = await run("javascript", "function dbl(x) {\n  const o = undefined;\n  return o.value;\n}\n");
    expect(r.status).toBe("failed");
    expect(r.exception).toMatchObject({ type: "TypeError", line: 3 });
    expect(feedback(r)).toContain("Line 3 raised TypeError");
  });

  it("reports a syntax error with its line", async () => {
    const r = await run("javascript", "const a = 1;\nfunction dbl(x {\n}\n");
    expect(r.status).toBe("error");
    expect(r.exception).toMatchObject({ type: "SyntaxError", line: 2 });
  });

  it("kills an infinite loop at the wall-time limit", async () => {
    const started = Date.now();
    const r = await run("javascript", "while (true) {}\n", { timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r.status).toBe("timeout");
  });

  it("stops a memory hog", async () => {
    const r = await run("javascript", "const a = [];\nwhile (true) a.push(new Array(1e6).fill(1));\n", { memoryMb: 256, timeoutMs: 10_000 });
    expect(r.status).toBe("refused");
    expect(r.refused).toEqual(["memory beyond the limit of 256 MB"]);
  });

  it("refuses child processes (a fork bomb) and workers", async () => {
    const r = await run("javascript", "import cp from 'node:child_process';\nwhile (true) cp.fork('main.mjs');\n");
    expect(r.status).toBe("refused");
    expect(r.refused).toEqual(["starting a child process"]);
    const w = await run("javascript", "import { Worker } from 'node:worker_threads';\nnew Worker('./main.mjs');\n");
    expect(w.status).toBe("refused");
  });

  it("refuses a write outside its folder", async () => {
    const path = outside();
    const r = await run("javascript", `import fs from "node:fs";\nfs.writeFileSync(${JSON.stringify(path)}, "escaped");\n`);
    expect(r.status).toBe("refused");
    expect(r.refused).toEqual([`writing to ${path} outside its folder`]);
    expect(existsSync(path)).toBe(false);
  });

  it("refuses network connections: the server receives none", async () => {
    const before = connections;
    const r = await run("javascript", `import net from "node:net";\nnet.connect(${port}, "127.0.0.1");\n`);
    expect(r.status).toBe("refused");
    expect(r.refused).toEqual([`network connection to 127.0.0.1:${port}`]);
    const f = await run("javascript", `await fetch("http://127.0.0.1:${port}/");\n`);
    expect(f.status).toBe("refused");
    await new Promise((done) => setTimeout(done, 100));
    expect(connections).toBe(before);
  });

  it("truncates 1 MB of output and sees none of the caller's environment", async () => {
    process.env.OPENAI_API_KEY = "sk-secret";
    try {
      const r = await run("javascript", "console.log(JSON.stringify(process.env));\nconsole.log('x'.repeat(1_000_000));\nfunction dbl(x) { return 2 * x; }\n");
      expect(r.status).toBe("passed");
      expect(r.stdout).not.toContain("sk-secret");
      expect(r.stdout.length).toBeLessThan(8_100);
      expect(r.stdout).toContain("[... output truncated:");
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });
});

describe("feedback", () => {
  const base: TestReport = { status: "passed", passed: 5, total: 5, failures: [], refused: [], stdout: "", stderr: "", durationMs: 1, isolation: [] };
  it("says all passed", () => {
    expect(feedback(base)).toBe("All 5 tests passed.");
  });
  it("lists failures and the exception", () => {
    const r: TestReport = {
      ...base,
      status: "failed",
      passed: 3,
      failures: [
        { test: "assert candidate(3) == 6", message: "got 5" },
        { test: "assert candidate(0) == 1", message: "raised ZeroDivisionError: division by zero at line 4 of the solution" },
      ],
      exception: { type: "ZeroDivisionError", message: "division by zero", line: 4 },
    };
    expect(feedback(r)).toBe(
      "2 of 5 tests failed. `assert candidate(3) == 6` failed: got 5. `assert candidate(0) == 1` failed: raised ZeroDivisionError: division by zero at line 4 of the solution. Line 4 raised ZeroDivisionError: division by zero.",
    );
  });
  it("caps the list of failures", () => {
    const failures = Array.from({ length: 8 }, (_, i) => ({ test: `assert candidate(${i}) == ${i}`, message: "got None" }));
    const text = feedback({ ...base, status: "failed", passed: 0, total: 8, failures });
    expect(text).toMatch(/^8 of 8 tests failed\./);
    expect(text).toContain("... and 3 more failures.");
  });
  it("explains timeouts and refusals", () => {
    expect(
      feedback({ ...base, status: "timeout", passed: 2, failures: [{ test: "assert candidate(10**9) == 1", message: "timed out after 1 s" }], exception: { type: "Timeout", message: "the wall-time limit of 1 s was exceeded" } }),
    ).toBe("The solution timed out on `assert candidate(10**9) == 1` (the wall-time limit of 1 s was exceeded): an infinite loop, or an algorithm too slow? 2 of 5 tests passed before that.");
    expect(feedback({ ...base, status: "refused", passed: 0, total: 0, refused: ["network connection to ('127.0.0.1', 80)"] })).toBe(
      "The sandbox refused network connection to ('127.0.0.1', 80): solutions may not use the network, start processes, write outside their folder or exceed the memory limit.",
    );
  });
});
