// std/code's sandbox: runs a candidate solution (Python through `python3`, JavaScript through Node) against tests and
// returns a structured report, which `feedback` turns into the text the loss hands to the backward pass (as the paper
// did with LeetCode Hard).
//
// Isolation is layered; each layer is checked once (see `isolation()`) and used when it works on the machine:
//  1. Its own folder: a fresh temporary directory per run, the process's working directory, removed afterwards.
//  2. Its own process: spawned (never evaluated in-process) with `detached: true`, so it leads its own process group;
//     at the wall-time limit the whole group gets SIGKILL (`kill(-pid)`), and again when the run ends, so nothing it
//     started outlives it.
//  3. A minimal environment: nothing of the caller's is inherited (no API keys): PATH, and HOME, TMPDIR pointing
//     into the folder, LANG.
//  4. A network namespace (`unshare --net`, or `unshare --net --map-root-user` when not root): the process sees only
//     a loopback interface that is down, so no connection leaves it whatever the code does.
//  5. An unprivileged user: as root, `setpriv` drops to `nobody` (65534) with no supplementary groups and
//     no_new_privs, so files are guarded by the kernel's permissions (other processes' /proc entries, the caller's
//     files) and RLIMIT_NPROC, which root ignores, is enforced.
//  6. Resource limits, applied before the candidate's code runs: Python's bootstrap calls `resource.setrlimit` for
//     RLIMIT_AS (memory), RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_CORE and RLIMIT_NPROC = 0 (no fork, effective when
//     unprivileged); Node runs under `ulimit -v/-f/-t/-c` from a `/bin/sh` wrapper plus `--max-old-space-size`.
//  7. In-process refusals: Python installs a `sys.addaudithook` hook refusing new processes (`os.fork`, `os.system`,
//     `os.exec*`, `subprocess.Popen`, ...), sockets (`socket.connect`/`bind`/`getaddrinfo`...), opening for writing or
//     changing files outside the folder, other processes' /proc entries and ctypes; Node runs under the permission
//     model (`--experimental-permission`, reads and writes only in the folder, no child processes, no workers) and a
//     harness that replaces `net.connect`/`http.request`/`fetch`/`dns.lookup`/... with functions that throw "network
//     is refused in the sandbox". A refusal is reported on fd 3 the moment it happens, so it shows in the report as
//     status "refused" even when the code catches the error.
//  8. Bounded output: stdout and stderr are truncated to `outputLimit` characters each.
import { spawn, spawnSync } from "node:child_process";
import { chown, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JAVASCRIPT_HARNESS } from "./harness-javascript.js";
import { PYTHON_BOOTSTRAP } from "./harness-python.js";

export type Language = "python" | "javascript";
export type TestStatus = "passed" | "failed" | "error" | "timeout" | "refused";

export interface RunTestsOptions {
  language: Language;
  /** The whole source of the solution (for HumanEval: the prompt followed by the completion). */
  solution: string;
  /** Python: HumanEval's `def check(candidate): ...` (or top-level asserts); JavaScript: a script calling `assert`. */
  tests: string;
  /** The function the tests receive as `candidate`. */
  entryPoint?: string;
  /** Wall-time limit (default 10 000 ms). */
  timeoutMs?: number;
  /** Memory limit (default 512 MB). */
  memoryMb?: number;
  /** Characters kept of stdout and of stderr each (default 8 000). */
  outputLimit?: number;
}

export interface TestFailure {
  /** The failing test's source (`assert candidate(3) == 6`). */
  test: string;
  /** What happened: "got 5", "raised ZeroDivisionError: division by zero at line 4 of the solution", "timed out". */
  message: string;
  /** The line in the tests. */
  line?: number;
}

export interface TestException {
  type: string;
  message: string;
  /** The line in the solution where it was raised. */
  line?: number;
}

export interface TestReport {
  status: TestStatus;
  passed: number;
  total: number;
  failures: TestFailure[];
  exception?: TestException;
  /** What the sandbox refused ("network connection to ('127.0.0.1', 4242)"). */
  refused: string[];
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The isolation layers this run had. */
  isolation: string[];
}

// ---- detection of the layers, once per process ----

interface Isolation {
  /** Prefix running a command in a new network namespace (and as nobody, when `dropUser`). */
  prefix: string[];
  layers: string[];
  dropUser: boolean;
  nodePermissionFlag?: string;
}

const NOBODY = 65534;
let detected: Isolation | undefined;

const works = (argv: string[]) => {
  try {
    return spawnSync(argv[0]!, argv.slice(1), { stdio: "ignore", timeout: 5_000 }).status === 0;
  } catch {
    return false;
  }
};

/** The isolation layers that work on this machine (detected on first use). */
export function isolation(): Isolation {
  if (detected) return detected;
  const layers = ["temp-folder", "own-process-group", "minimal-env", "wall-time-kill", "output-limit"];
  let prefix: string[] = [];
  const root = process.getuid?.() === 0;
  if (works(["unshare", "--net", "--", "true"])) prefix = ["unshare", "--net", "--"];
  else if (works(["unshare", "--net", "--map-root-user", "--", "true"])) prefix = ["unshare", "--net", "--map-root-user", "--"];
  if (prefix.length) layers.push("network-namespace");
  const drop = ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--no-new-privs", "--"];
  const dropUser = root && !prefix.includes("--map-root-user") && works([...prefix, ...drop, "true"]);
  if (dropUser) {
    prefix = [...prefix, ...drop];
    layers.push("unprivileged-user");
  }
  let nodePermissionFlag: string | undefined;
  for (const flag of ["--permission", "--experimental-permission"]) {
    if (works([process.execPath, flag, "--no-warnings", "--allow-fs-read=*", "-e", "0"])) {
      nodePermissionFlag = flag;
      break;
    }
  }
  detected = { prefix, layers, dropUser, ...(nodePermissionFlag ? { nodePermissionFlag } : {}) };
  return detected;
}

// ---- one run ----

interface Event {
  t: string;
  [key: string]: unknown;
}

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

class Capped {
  private text = "";
  private dropped = 0;
  constructor(private readonly limit: number) {}
  push(chunk: string) {
    const room = this.limit - this.text.length;
    if (room > 0) this.text += chunk.slice(0, room);
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }
  toString() {
    return this.dropped ? `${this.text}\n[... output truncated: ${this.dropped} more characters]` : this.text;
  }
}

export async function runTests(opts: RunTestsOptions): Promise<TestReport> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const memoryMb = opts.memoryMb ?? 512;
  const outputLimit = opts.outputLimit ?? 8_000;
  const iso = isolation();
  const started = Date.now();
  const dir = await realpath(await mkdtemp(join(tmpdir(), "tgc-sandbox-")));
  try {
    const cpuSeconds = Math.ceil(timeoutMs / 1000) + 1;
    const fileBytes = 16 * 1024 * 1024;
    const layers = [...iso.layers];
    let argv: string[];
    if (opts.language === "python") {
      await writeFile(join(dir, "config.json"), JSON.stringify({ memoryMb, cpuSeconds, fileBytes, entryPoint: opts.entryPoint ?? null }));
      await writeFile(join(dir, "solution.py"), opts.solution);
      await writeFile(join(dir, "tests.py"), opts.tests);
      await writeFile(join(dir, "bootstrap.py"), PYTHON_BOOTSTRAP);
      argv = [...iso.prefix, "python3", "-I", "-B", "-u", "bootstrap.py"];
    } else {
      const solutionLines = opts.solution.split("\n").length;
      const bind = opts.entryPoint && /\bcandidate\b/.test(opts.tests) && !/\bcandidate\b/.test(opts.solution) ? `const candidate = ${opts.entryPoint};` : "";
      await writeFile(join(dir, "config.json"), JSON.stringify({ memoryMb, solutionLines }));
      await writeFile(join(dir, "tests.js"), opts.tests);
      await writeFile(join(dir, "main.mjs"), `${opts.solution}\n${bind}\n${rewriteAssertImports(opts.tests)}`);
      await writeFile(join(dir, "harness.mjs"), JAVASCRIPT_HARNESS);
      // V8 reserves address space beyond its heap: the address-space limit leaves it 1 GB of room.
      const ulimits = `ulimit -v ${(memoryMb + 1024) * 1024} && ulimit -f ${fileBytes / 512} && ulimit -t ${cpuSeconds} && ulimit -c 0 && exec "$0" "$@"`;
      const permission = iso.nodePermissionFlag
        ? [iso.nodePermissionFlag, `--allow-fs-read=${dir}`, `--allow-fs-write=${dir}`]
        : [];
      if (iso.nodePermissionFlag) layers.push("node-permission-model");
      argv = [...iso.prefix, "/bin/sh", "-c", ulimits, process.execPath, ...permission, "--no-warnings", `--max-old-space-size=${memoryMb}`, "--stack-size=4000", "harness.mjs"];
      layers.push("rlimits", "in-process-network-refusal");
    }
    if (iso.dropUser) await chown(dir, NOBODY, NOBODY);
    const run = await spawnRun(argv, dir, timeoutMs, outputLimit);
    return buildReport(run, { memoryMb, timeoutMs, layers, durationMs: Date.now() - started });
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** `import assert from "node:assert"` and its kin become the counting assert the harness provides (same line count). */
export function rewriteAssertImports(tests: string): string {
  const source = /["'](?:node:)?assert(\/strict)?["']/;
  return tests
    .split("\n")
    .map((line) => {
      const imp = /^\s*import\s+(.+?)\s+from\s+(["'](?:node:)?assert(?:\/strict)?["'])\s*;?\s*$/.exec(line);
      const req = /^\s*(const|let|var)\s+(.+?)\s*=\s*require\(\s*(["'](?:node:)?assert(?:\/strict)?["'])\s*\)(\.strict)?\s*;?\s*$/.exec(line);
      if (imp) {
        const target = source.exec(imp[2]!)![1] ? "__tgAssertStrict" : "__tgAssert";
        const clause = imp[1]!.trim();
        const ns = /^\*\s*as\s+(\w+)$/.exec(clause);
        if (ns) return `const ${ns[1]} = globalThis.${target};`;
        if (clause.startsWith("{")) return `const ${clause.replace(/\s+as\s+/g, ": ")} = globalThis.${target};`;
        return `const ${clause} = globalThis.${target};`;
      }
      if (req) {
        const target = source.exec(req[3]!)![1] || req[4] ? "__tgAssertStrict" : "__tgAssert";
        return `${req[1]} ${req[2]!.replace(/\s+as\s+/g, ": ")} = globalThis.${target};`;
      }
      return line;
    })
    .join("\n");
}

interface RawRun {
  events: Event[];
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError?: string;
}

function spawnRun(argv: string[], dir: string, timeoutMs: number, outputLimit: number): Promise<RawRun> {
  return new Promise((resolve) => {
    const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir, TMPDIR: dir, LANG: "C.UTF-8" };
    const stdout = new Capped(outputLimit);
    const stderr = new Capped(outputLimit);
    let events = "";
    let timedOut = false;
    let settled = false;
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    child.stdout?.setEncoding("utf8").on("data", (c: string) => stdout.push(c));
    child.stderr?.setEncoding("utf8").on("data", (c: string) => stderr.push(c));
    const fd3 = child.stdio[3];
    if (fd3 && "setEncoding" in fd3) {
      fd3.setEncoding("utf8");
      fd3.on("data", (c: string) => {
        if (events.length < 4_000_000) events += c;
      });
    }
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    const finish = (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(wall);
      clearTimeout(grace);
      killGroup();
      const parsed: Event[] = [];
      for (const line of events.split("\n")) {
        if (!line.trim()) continue;
        try {
          const ev: unknown = JSON.parse(line);
          if (ev && typeof ev === "object" && "t" in ev) parsed.push(ev as Event);
        } catch {
          // a line the candidate wrote on fd 3: ignore it
        }
      }
      resolve({ events: parsed, stdout: stdout.toString(), stderr: stderr.toString(), code, signal, timedOut, ...(spawnError ? { spawnError } : {}) });
    };
    let grace: NodeJS.Timeout | undefined;
    const wall = setTimeout(() => {
      timedOut = true;
      killGroup();
      // The streams close once every process holding them is gone; do not wait forever for that.
      grace = setTimeout(() => finish(), 2_000);
    }, timeoutMs);
    child.on("error", (e) => finish(e.message));
    child.on("exit", (c, s) => {
      code = c;
      signal = s;
      killGroup();
      grace ??= setTimeout(() => finish(), 2_000);
    });
    child.on("close", () => finish());
  });
}

function buildReport(run: RawRun, ctx: { memoryMb: number; timeoutMs: number; layers: string[]; durationMs: number }): TestReport {
  const failures: TestFailure[] = [];
  const refused: string[] = [];
  const layers = [...ctx.layers];
  let passed = 0;
  let total: number | undefined;
  let exception: TestException | undefined;
  let loadError = false;
  let done = false;
  let running: { name: string; line?: number } | undefined;
  const toException = (ev: Record<string, unknown>): TestException => {
    const line = num(ev.line);
    return { type: str(ev.type) || "Error", message: str(ev.message), ...(line !== undefined ? { line } : {}) };
  };
  for (const ev of run.events) {
    switch (ev.t) {
      case "layers":
        if (Array.isArray(ev.layers)) for (const l of ev.layers) if (typeof l === "string" && !layers.includes(l)) layers.push(l);
        break;
      case "refused":
        if (!refused.includes(str(ev.what))) refused.push(str(ev.what));
        break;
      case "total":
        total = num(ev.n);
        break;
      case "start": {
        const line = num(ev.line);
        running = { name: str(ev.name), ...(line !== undefined ? { line } : {}) };
        break;
      }
      case "test": {
        running = undefined;
        if (ev.ok === true) passed++;
        else {
          const line = num(ev.line);
          failures.push({ test: str(ev.name), message: str(ev.message), ...(line !== undefined ? { line } : {}) });
          if (!exception && ev.exception && typeof ev.exception === "object") exception = toException(ev.exception as Record<string, unknown>);
        }
        break;
      }
      case "load_error": {
        loadError = true;
        exception ??= toException(ev);
        if (ev.phase === "tests") {
          const line = num(ev.testLine);
          failures.push({ test: "the tests", message: `could not run: ${exception.type}: ${exception.message}`, ...(line !== undefined ? { line } : {}) });
        }
        break;
      }
      case "done":
        done = true;
        break;
    }
  }
  const stderr = run.stderr;
  if (/heap out of memory|Reached heap limit|Fatal process out of memory/i.test(stderr)) {
    const what = `memory beyond the limit of ${ctx.memoryMb} MB`;
    if (!refused.includes(what)) refused.push(what);
    exception ??= { type: "MemoryError", message: `memory limit of ${ctx.memoryMb} MB exceeded` };
  }
  const cpuKilled = run.signal === "SIGXCPU";
  const timedOut = run.timedOut || cpuKilled;
  if (timedOut && running) failures.push({ test: running.name, message: `timed out after ${ctx.timeoutMs / 1000} s`, ...(running.line !== undefined ? { line: running.line } : {}) });
  if (!timedOut && !done && !exception && !refused.length) {
    exception = run.spawnError
      ? { type: "SandboxError", message: `could not start: ${run.spawnError}` }
      : { type: "Crash", message: `the process ended without a report (${run.signal ? `signal ${run.signal}` : `exit code ${run.code}`})${lastLine(stderr)}` };
  }
  if (timedOut && !exception) {
    exception = cpuKilled
      ? { type: "Timeout", message: "the CPU-time limit was exceeded" }
      : { type: "Timeout", message: `the wall-time limit of ${ctx.timeoutMs / 1000} s was exceeded` };
  }
  if (refused.length && !exception) exception = { type: "PermissionError", message: `refused by the sandbox: ${refused[0]}` };
  const status: TestStatus = refused.length
    ? "refused"
    : timedOut
      ? "timeout"
      : loadError || !done
        ? "error"
        : failures.length
          ? "failed"
          : "passed";
  return {
    status,
    passed,
    total: Math.max(total ?? 0, passed + failures.filter((f) => f.test !== "the tests").length),
    failures,
    ...(exception ? { exception } : {}),
    refused,
    stdout: run.stdout,
    stderr,
    durationMs: ctx.durationMs,
    isolation: layers,
  };
}

const lastLine = (text: string) => {
  const line = text.trim().split("\n").filter(Boolean).pop();
  return line ? `: ${line.slice(0, 200)}` : "";
};

// ---- feedback ----

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

function describeException(e: TestException): string {
  const what = `${e.type}${e.message ? `: ${e.message}` : ""}`;
  return sentence(e.line !== undefined ? `Line ${e.line} raised ${what}` : `It raised ${what}`);
}

/** The text the loss hands to the backward pass: what passed, what failed and how, concretely. */
export function feedback(report: TestReport, maxFailures = 5): string {
  const out: string[] = [];
  const failed = report.failures.length;
  const listFailures = () => {
    for (const f of report.failures.slice(0, maxFailures)) out.push(sentence(`\`${f.test}\` failed: ${f.message}`));
    if (failed > maxFailures) out.push(`... and ${plural(failed - maxFailures, "more failure")}.`);
  };
  switch (report.status) {
    case "passed":
      out.push(report.total ? `All ${plural(report.total, "test")} passed.` : "The solution ran without errors (there were no tests).");
      break;
    case "failed":
      out.push(`${failed} of ${plural(report.total, "test")} failed.`);
      listFailures();
      if (report.exception) out.push(describeException(report.exception));
      break;
    case "error":
      out.push(report.exception ? `The solution could not run. ${describeException(report.exception)}` : "The solution could not run.");
      if (report.failures.length) listFailures();
      break;
    case "timeout": {
      const running = report.failures.find((f) => f.message.startsWith("timed out"));
      const limit = report.exception?.type === "Timeout" ? ` (${report.exception.message})` : "";
      out.push(`The solution timed out${running ? ` on \`${running.test}\`` : ""}${limit}: an infinite loop, or an algorithm too slow?`);
      if (report.total) out.push(`${report.passed} of ${plural(report.total, "test")} passed before that.`);
      break;
    }
    case "refused":
      out.push(`The sandbox refused ${report.refused.join("; ")}: solutions may not use the network, start processes, write outside their folder or exceed the memory limit.`);
      if (report.exception && !/sandbox/.test(report.exception.message)) out.push(describeException(report.exception));
      else if (report.exception?.line !== undefined) out.push(`The refusal came from line ${report.exception.line}.`);
      if (report.total) out.push(`${report.passed} of ${plural(report.total, "test")} passed.`);
      break;
  }
  return out.join(" ");
}
