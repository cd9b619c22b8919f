// In-process timing of `tgc check`'s compiler work on one file, without node's start-up: the first check in a fresh
// process (cold JIT, and the parser is built), then the steady state once the code is warm (the median of `repeats`
// checks), split into parsing and the checker's own work. Lowering to the graph is timed too: `tgc run` and
// `tgc graph` do it, `tgc check` does not. run.mjs bundles this file with esbuild into bench/out/inprocess.mjs, so it
// runs on plain node exactly like the CLI bundle does.
// Usage: node bench/out/inprocess.mjs FILE [repeats]   → one JSON line on stdout.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, memoryHost } from "../../src/check/index.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { lex } from "../../src/syntax/lexer.js";
import { parse } from "../../src/syntax/parse.js";

const [file, repeatArg] = process.argv.slice(2);
if (!file) throw new Error("usage: inprocess.mjs FILE [repeats]");
const repeats = Number(repeatArg ?? 10);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const text = readFileSync(file, "utf8");
const host = memoryHost({ [file]: text, "std/metrics": readFileSync(join(root, "stdlib/metrics.tg"), "utf8") });

function timedCheck() {
  const t0 = performance.now();
  const result = check(file!, text, host);
  const ms = performance.now() - t0;
  if (hasErrors(result.diagnostics)) throw new Error(`${file} has errors: ${result.diagnostics.find((d) => d.severity === "error")?.message}`);
  return { ms, checked: result.checked };
}
function timed(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const first = timedCheck().ms; // what one `tgc check` pays: nothing is warm yet
const samples: { check: number; parse: number; lower: number }[] = [];
for (let i = 0; i < repeats; i++) {
  const { ms, checked } = timedCheck();
  samples.push({ check: ms, parse: timed(() => parse(text, file!)), lower: timed(() => lowerToGraph(checked)) });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const steady = {
  check: median(samples.map((s) => s.check)),
  parse: median(samples.map((s) => s.parse)),
  lower: median(samples.map((s) => s.lower)),
};
process.stdout.write(`${JSON.stringify({ lines: text.split("\n").length - 1, tokens: lex(text).tokens.length, first, steady })}\n`);
