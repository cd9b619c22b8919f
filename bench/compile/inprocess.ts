// In-process timing of the compiler's front half on one file: parse, check (which parses again, with imports) and
// lowering to the graph (what `tgc check` also does when a program has no errors). run.mjs bundles this file with
// esbuild into bench/out/inprocess.mjs, so it runs on plain node exactly like the CLI bundle does.
// Usage: node bench/out/inprocess.mjs FILE [repeats]   → one JSON line on stdout.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, memoryHost } from "../../src/check/index.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { parse } from "../../src/syntax/parse.js";

const [file, repeatArg] = process.argv.slice(2);
if (!file) throw new Error("usage: inprocess.mjs FILE [repeats]");
const repeats = Number(repeatArg ?? 5);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const text = readFileSync(file, "utf8");
const host = memoryHost({ [file]: text, "std/metrics": readFileSync(join(root, "stdlib/metrics.tg"), "utf8") });

interface Sample {
  parse: number;
  check: number;
  lower: number;
}

function once(): Sample {
  const t0 = performance.now();
  parse(text, file!);
  const t1 = performance.now();
  const { checked, diagnostics } = check(file!, text, host);
  const t2 = performance.now();
  if (hasErrors(diagnostics)) throw new Error(`${file} has errors: ${diagnostics.find((d) => d.severity === "error")?.message}`);
  lowerToGraph(checked);
  const t3 = performance.now();
  return { parse: t1 - t0, check: t2 - t1, lower: t3 - t2 };
}

const first = once(); // what a CLI run pays: nothing is warm yet
const warm: Sample[] = [];
for (let i = 0; i < repeats; i++) warm.push(once());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const warmMedian: Sample = {
  parse: median(warm.map((s) => s.parse)),
  check: median(warm.map((s) => s.check)),
  lower: median(warm.map((s) => s.lower)),
};
process.stdout.write(`${JSON.stringify({ lines: text.split("\n").length - 1, first, warmMedian })}\n`);
