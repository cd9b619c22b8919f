// The compile benchmark (`npm run bench`): how fast `tgc` starts and how fast it checks a large program.
//  (a) cold start: `node bin/tgc.js check examples/quickstart.tg`, 2 warm-ups then 20 timed spawns (min/median/p90),
//      next to `node -e 0` (what node itself costs on this machine);
//  (b) throughput: a generated program of ~10,000 lines (bench/compile/generate.mjs → bench/out/), checked end to end
//      by the CLI (median of 5 after a warm-up), and in process by bench/compile/inprocess.ts (bundled with esbuild
//      into bench/out/inprocess.mjs, since src/ internals are not in dist/): the first check on cold code, then the
//      steady state once the JIT has warmed up. The 300 ms target is judged on both rows; see README.md.
// Prints a Markdown table and appends it to bench/results.md with the date, node version and commit.
// Builds dist/ first when dist/tgc.js is missing (and warns when it is older than src/ or stdlib/).
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../bundle.mjs";
import { writeProgram } from "./generate.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "bench", "out");
const results = join(root, "bench", "results.md");
const rel = (p) => relative(root, p);

const COLD_RUNS = 20;
const COLD_WARMUPS = 2;
const LARGE_RUNS = 5;
const STEADY_RUNS = 10;
const LARGE_LINES = 10_000;
const TARGET_COLD_MS = 150;
const TARGET_LARGE_MS = 300;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const bundle = join(root, "dist", "tgc.js");
  if (!existsSync(bundle)) {
    process.stderr.write("bench: dist/tgc.js is missing, building it (node scripts/build.mjs)\n");
    execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
    return;
  }
  // Not rebuilt on its own (others may be using dist/), but a stale bundle would measure old code: say so.
  if (statSync(bundle).mtimeMs < Math.max(newestMtime(join(root, "src")), newestMtime(join(root, "stdlib")))) {
    process.stderr.write("bench: warning: dist/tgc.js is older than src/ or stdlib/; run `npm run build` to measure the current code\n");
  }
}

/** Wall-clock milliseconds of one spawn; throws if the command fails. */
function timeSpawn(args, { expectOutput } = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0 || (expectOutput && !expectOutput.test(r.stdout))) {
    throw new Error(`node ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  return ms;
}

function sample(args, runs, warmups, opts) {
  for (let i = 0; i < warmups; i++) timeSpawn(args, opts);
  return Array.from({ length: runs }, () => timeSpawn(args, opts));
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => sorted(xs)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function main() {
  const loadBefore = loadavg()[0].toFixed(2);
  ensureBuilt();
  mkdirSync(out, { recursive: true });
  const rows = [];
  const row = (metric, value, target = "—", pass = "—") => rows.push({ metric, value, target, pass });
  const verdict = (ok) => (ok ? "pass" : "**fail**");

  // (a) cold start
  process.stderr.write(`bench: cold start (${COLD_WARMUPS} warm-ups, ${COLD_RUNS} runs)…\n`);
  const nodeOnly = sample(["-e", "0"], COLD_RUNS, COLD_WARMUPS);
  const cold = sample(["bin/tgc.js", "check", "examples/quickstart.tg"], COLD_RUNS, COLD_WARMUPS, { expectOutput: /no problems/ });
  const coldMedian = median(cold);
  const nodeMedian = median(nodeOnly);
  row("`node -e 0` (reference: node's own start), median", fmt(nodeMedian));
  row("cold start `tgc check examples/quickstart.tg`, min", fmt(Math.min(...cold)));
  row("cold start `tgc check examples/quickstart.tg`, median", fmt(coldMedian), `< ${TARGET_COLD_MS} ms`, verdict(coldMedian < TARGET_COLD_MS));
  row("cold start `tgc check examples/quickstart.tg`, p90", fmt(percentile(cold, 90)));
  row("… tgc's own share (median minus node's)", fmt(coldMedian - nodeMedian));

  // (b) throughput
  const large = join(out, `large-${LARGE_LINES}.tg`);
  const text = writeProgram(LARGE_LINES, large);
  const lines = text.split("\n").length - 1;
  const nLines = lines.toLocaleString("en-US");
  process.stderr.write(`bench: checking ${rel(large)} (${lines} lines, ${(text.length / 1024).toFixed(0)} KB), 1 warm-up + ${LARGE_RUNS} runs…\n`);
  const largeRuns = sample(["bin/tgc.js", "check", rel(large)], LARGE_RUNS, 1, { expectOutput: /no problems/ });
  const largeMedian = median(largeRuns);
  row(`\`tgc check\` ${nLines} lines, one process end to end, median of ${LARGE_RUNS}`, fmt(largeMedian), `< ${TARGET_LARGE_MS} ms`, verdict(largeMedian < TARGET_LARGE_MS));
  row("… minus the cold-start median (the compiler's share, on cold code)", fmt(largeMedian - coldMedian));

  const script = join(out, "inprocess.mjs");
  await bundle(join(root, "bench", "compile", "inprocess.ts"), script);
  const r = spawnSync(process.execPath, [script, large, String(STEADY_RUNS)], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`in-process benchmark failed:\n${r.stdout}${r.stderr}`);
  const ip = JSON.parse(r.stdout.trim().split("\n").pop());
  row(`in process, the first \`check\` (cold JIT, parser built), ${ip.tokens.toLocaleString("en-US")} tokens`, fmt(ip.first));
  row(
    `in process, steady state: \`check\` of ${nLines} lines, median of ${STEADY_RUNS}`,
    fmt(ip.steady.check),
    `< ${TARGET_LARGE_MS} ms`,
    verdict(ip.steady.check < TARGET_LARGE_MS),
  );
  row("… of which parsing / the checker's own work", `${fmt(ip.steady.parse)} / ${fmt(ip.steady.check - ip.steady.parse)}`);
  row("… steady-state throughput", `${Math.round(lines / (ip.steady.check / 1000)).toLocaleString("en-US")} lines/s`);
  row("lowering to the graph (`tgc run` and `tgc graph`, not `check`), steady state", fmt(ip.steady.lower));

  const table = [
    "| metric | value | target | pass/fail |",
    "| --- | --- | --- | --- |",
    ...rows.map((x) => `| ${x.metric} | ${x.value} | ${x.target} | ${x.pass} |`),
  ].join("\n");

  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "stdlib", "scripts"], { cwd: root, encoding: "utf8" }).trim();
    if (dirty) commit += " (with uncommitted changes)";
  } catch {
    // not a git checkout
  }
  const cpu = cpus();
  const heading = `## ${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC · node ${process.version} · commit ${commit}`;
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${process.platform}/${process.arch}, 1-min load average before the run ${loadBefore} (other work on the machine inflates every number)`;
  const section = `${heading}\n\n${machine}\n\n${table}\n`;

  process.stdout.write(`${section}\n`);
  if (!existsSync(results)) {
    writeFileSync(
      results,
      `# Compile benchmark results

Run with \`npm run bench\` (\`node bench/compile/run.mjs\`; it builds \`dist/\` first if \`dist/tgc.js\` is missing, and warns
when it is older than \`src/\`). Each run appends a section below. Cold start is the wall time of spawning
\`node bin/tgc.js check examples/quickstart.tg\` (2 warm-ups, 20 runs); throughput checks a generated program of about
10,000 lines (\`bench/compile/generate.mjs\`, written to \`bench/out/\`) end to end with the CLI, and in process with
\`bench/compile/inprocess.ts\` (bundled by esbuild) to split the time into parse, check and lowering. Timings depend
on the machine and its load: compare runs on the same machine.
`,
    );
  }
  appendFileSync(results, `\n${section}`);
  process.stderr.write(`bench: appended to ${rel(results)}\n`);
}

await main();
