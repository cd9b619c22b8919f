// The JavaScript side of the sandbox (see sandbox.ts): `harness.mjs`, written into the run's temporary folder and
// run as the entry point of a Node process under the permission model. Before it imports the candidate (`main.mjs`:
// the solution, one line binding `candidate`, then the tests) it replaces every network entry point with a function
// that throws "network is refused in the sandbox", and hands the tests a counting `assert` whose failures are recorded
// (as JSON lines on fd 3) instead of ending the run, so one report says how many assertions passed.
export const JAVASCRIPT_HARNESS = String.raw`
import fs from "node:fs";
import net from "node:net";
import http from "node:http";
import https from "node:https";
import http2 from "node:http2";
import tls from "node:tls";
import dns from "node:dns";
import dgram from "node:dgram";
import realAssert from "node:assert";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { inspect } from "node:util";
import vm from "node:vm";

const CFG = JSON.parse(fs.readFileSync(new URL("./config.json", import.meta.url), "utf8"));
const TEST_LINES = fs.readFileSync(new URL("./tests.js", import.meta.url), "utf8").split("\n");
const SOLUTION_LINES = CFG.solutionLines;
const emit = (ev) => { try { fs.writeSync(3, JSON.stringify(ev) + "\n"); } catch {} };
const short = (s, n = 300) => (s.length <= n ? s : s.slice(0, n - 3) + "...");
const show = (v) => { try { return short(inspect(v, { depth: 3, breakLength: Infinity }), 200); } catch { return "<unrepresentable>"; } };

// ---- layer: the network, replaced in-process (the network namespace, when there is one, is the floor) ----
const refusal = (what) => {
  emit({ t: "refused", what });
  const e = new Error("network is refused in the sandbox: " + what);
  e.code = "ERR_SANDBOX_REFUSED";
  return e;
};
const where = (args) => {
  const [a, b] = args;
  if (typeof a === "number" || (typeof a === "string" && /^\d+$/.test(a))) return (typeof b === "string" ? b : "localhost") + ":" + a;
  if (typeof a === "string") return a;
  if (a instanceof URL) return a.href;
  if (a && typeof a === "object") return a.path ?? ((a.hostname ?? a.host ?? "localhost") + (a.port !== undefined ? ":" + a.port : ""));
  return "?";
};
const block = (obj, key, label) => {
  if (obj && typeof obj[key] === "function") obj[key] = function () { throw refusal(label + " " + where([...arguments])); };
};
for (const k of ["connect", "createConnection"]) block(net, k, "network connection to");
block(net.Socket.prototype, "connect", "network connection to");
block(net.Server.prototype, "listen", "listening on");
for (const m of [http, https]) for (const k of ["request", "get"]) block(m, k, "network request to");
block(http2, "connect", "network connection to");
block(tls, "connect", "network connection to");
block(dgram, "createSocket", "a datagram socket");
for (const k of Object.keys(dns)) if (/^(lookup|resolve|reverse)/.test(k)) block(dns, k, "network name lookup of");
if (dns.promises) for (const k of Object.keys(dns.promises)) if (/^(lookup|resolve|reverse)/.test(k)) block(dns.promises, k, "network name lookup of");
for (const k of Object.getOwnPropertyNames(dns.Resolver.prototype)) if (/^(resolve|reverse)/.test(k)) block(dns.Resolver.prototype, k, "network name lookup of");
globalThis.fetch = async (...args) => { throw refusal("network request to " + where(args)); };
syncBuiltinESMExports();

// ---- the counting assert ----
let passed = 0;
const pending = [];
const fileLine = (stack) => { const m = /main\.mjs:(\d+)/.exec(stack ?? ""); return m ? Number(m[1]) : undefined; };
const allLines = (stack) => [...String(stack ?? "").matchAll(/main\.mjs:(\d+)/g)].map((m) => Number(m[1]));
const testLine = (line) => (line !== undefined && line > SOLUTION_LINES + 1 ? line - SOLUTION_LINES - 1 : undefined);
const solutionLine = (line) => (line !== undefined && line <= SOLUTION_LINES ? line : undefined);
const testName = (line) => {
  const t = testLine(line);
  if (t !== undefined) return short((TEST_LINES[t - 1] ?? "").trim(), 200) || "line " + t;
  return line !== undefined ? "an assertion at line " + line + " of the solution" : "an assertion";
};
const explain = (e) => {
  const op = e.operator;
  if (["strictEqual", "equal", "deepStrictEqual", "deepEqual"].includes(op)) return "got " + show(e.actual) + ", expected " + show(e.expected);
  if (op === "==" || op === "fail") return e.generatedMessage === false ? short(String(e.message), 200) : "got " + show(e.actual);
  return short(String(e.message).split("\n").filter(Boolean).slice(0, 3).join(" "), 300);
};
const record = (line, err) => {
  const name = testName(line);
  if (!err) { passed++; emit({ t: "test", name, ok: true }); return; }
  emit({ t: "test", name, ok: false, message: explain(err), line: testLine(line) });
};
const wrap = (fn) => function (...args) {
  const line = fileLine(new Error().stack);
  let result;
  try { result = fn.apply(this, args); }
  catch (e) { if (e instanceof realAssert.AssertionError) { record(line, e); return undefined; } throw e; }
  if (result && typeof result.then === "function") {
    const p = result.then(() => record(line), (e) => { if (e instanceof realAssert.AssertionError) record(line, e); else throw e; });
    pending.push(p);
    return p;
  }
  record(line);
  return result;
};
const counting = (real) => {
  const w = wrap(real);
  for (const k of Object.keys(real)) w[k] = typeof real[k] === "function" && k !== "AssertionError" && k !== "CallTracker" ? wrap(real[k]) : real[k];
  return w;
};
const strict = counting(realAssert.strict);
const loose = counting(realAssert);
loose.strict = strict;
strict.strict = strict;
globalThis.__tgAssert = loose;
globalThis.__tgAssertStrict = strict;
if (!("assert" in globalThis)) globalThis.assert = loose;
globalThis.require = createRequire(new URL("./main.mjs", import.meta.url));
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;

// ---- errors: refusals of the permission model, exceptions in the solution or the tests ----
const PERMISSION = {
  FileSystemWrite: (r) => "writing to " + r + " outside its folder",
  FileSystemRead: (r) => "reading " + r + " outside its folder",
  ChildProcess: () => "starting a child process",
  WorkerThreads: () => "starting a worker thread",
};
let loaded = false;
const onError = (e) => {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.code === "ERR_ACCESS_DENIED") {
    const label = PERMISSION[err.permission];
    emit({ t: "refused", what: label ? label(err.resource ?? "") : "an operation the permission model denies (" + err.permission + ")" });
  }
  let lines = allLines(err.stack);
  if (err instanceof SyntaxError && !lines.length && !loaded) {
    // A module's syntax error carries no location in its stack: compile it again as a script (imports blanked,
    // exports unwrapped, in an async function for top-level await; lines unchanged) to find the line.
    try {
      const src = fs.readFileSync(new URL("./main.mjs", import.meta.url), "utf8").split("\n")
        .map((l) => (/^\s*import[\s{*]/.test(l) && !/^\s*import\s*\(/.test(l) ? "" : l.replace(/^(\s*)export\s+(default\s+)?/, "$1"))).join("\n");
      new vm.Script("(async () => {" + src + "\n})", { filename: "main.mjs" });
    } catch (again) {
      if (again instanceof SyntaxError && again.message === err.message) lines = allLines(again.stack);
    }
  }
  const sol = lines.map(solutionLine).find((l) => l !== undefined);
  const inTests = lines.slice().reverse().find((l) => testLine(l) !== undefined);
  const label = err.code === "ERR_ACCESS_DENIED" ? PERMISSION[err.permission] : undefined;
  const message = label ? "refused by the sandbox: " + label(err.resource ?? "") : String(err.message);
  const info = { type: err.name || "Error", message: short(message), line: sol };
  if (err.name === "RangeError" && /allocation failed|out of memory/i.test(err.message)) {
    emit({ t: "refused", what: "memory beyond the limit of " + CFG.memoryMb + " MB" });
  }
  if (err instanceof SyntaxError && lines.length && !loaded) {
    const l = lines[0];
    if (testLine(l) !== undefined) emit({ t: "load_error", phase: "tests", ...info, line: undefined, testLine: testLine(l) });
    else emit({ t: "load_error", phase: "solution", ...info, line: solutionLine(l) ?? l });
    return;
  }
  if (inTests !== undefined) {
    const w = info.line ? " at line " + info.line + " of the solution" : "";
    emit({ t: "test", name: testName(inTests), ok: false, line: testLine(inTests), message: "raised " + info.type + ": " + info.message + w, exception: info });
  } else emit({ t: "load_error", phase: "solution", ...info });
};
process.on("uncaughtException", onError);
process.on("unhandledRejection", onError);
try {
  await import("./main.mjs");
  loaded = true;
  await Promise.allSettled(pending);
} catch (e) {
  onError(e);
}
emit({ t: "done" });
process.exit(0);
`;
