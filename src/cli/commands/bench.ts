// `tgc bench TASK`: a task's protocol, a `.tg` program in bench/tasks/, run as the paper ran it. A prompt
// optimization: the held-out test set scored before training, the optimization run once per seed, the test set
// scored with each run's values. A test-time optimization (`each:`): every example optimized on its own, once per
// seed, its first and final values scored as it goes. Then the metric before and after (mean and spread over seeds)
// beside the paper's figure, and the calls, tokens and cost of each phase. The summary goes to a bench folder
// (summary.json, .md, .html) with a run folder per seed.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Totals, UsageSnapshot } from "../../engines/cost.js";
import type { EngineConfig, Graph, Optimization } from "../../ir/graph.js";
import type { DataHost } from "../../runtime/data.js";
import type { RunEvent } from "../../runtime/events.js";
import { createRunFolder } from "../../runtime/run-folder.js";
import { evaluateProgram, type EvaluateResult } from "../../runtime/evaluate.js";
import { runProgram, type RunResult } from "../../runtime/run.js";
import { packageRoot, readDataFile } from "../../api/host.js";
import { compileToRun } from "../compile.js";
import { declaredAs, readPrices, setUpEngines, setupFailure, UsageError, type EngineFlags } from "../engine-setup.js";
import { confirmSpend, datasetsOf, formatEstimate, priceEstimate } from "../estimate.js";
import { addEstimates, estimateRun, estimateScoring } from "../../runtime/estimate.js";
import { diskRuntime } from "../host.js";
import { EXIT_BUDGET } from "./run.js";
import { displayPath, renderAll, useColor } from "../output.js";
import { mean, spread } from "../stats.js";
import { esc } from "../../report/escape.js";

export interface BenchOptions extends EngineFlags {
  /** Serves every engine of the task; `teacher` then serves the engine named teacher. */
  readonly teacher: string | undefined;
  readonly data: string | undefined;
  readonly limit: number | undefined;
  readonly seeds: number;
  readonly seed: number;
  readonly runsDir: string;
  /** Data sets read from these files instead of the data folder, by the names the task declares. */
  readonly datasets: Readonly<Record<string, string>>;
  /** Print the estimate and stop. */
  readonly estimate: boolean;
  /** Go ahead whatever the estimate; otherwise ask above `confirmAbove` USD. */
  readonly yes: boolean;
  readonly confirmAbove: number;
}

/** The paper's figure for a task, from bench/tasks/published.json. */
interface Published {
  readonly title: string;
  readonly metric: string;
  readonly before: number;
  readonly after: number;
  readonly models: string;
  readonly source: string;
}

/** A prompt optimization's phases; a test-time optimization has one, as its scoring goes with each example. */
type PhaseName = "before" | "training" | "after" | "test-time";

/** What a bench run found, as summary.json keeps it and --compare reads it. */
export interface BenchSummary {
  readonly version: 1;
  readonly task: string;
  readonly title: string;
  readonly engines: Readonly<Record<string, string>>;
  readonly simulated: boolean;
  readonly limit: number | undefined;
  readonly seeds: readonly number[];
  /** Test-time optimization: `testExamples` counts the examples each optimized on its own (absent: a prompt optimization). */
  readonly testTime?: boolean;
  readonly testExamples: number;
  readonly metric: string;
  /** The metric before optimization; for a test-time optimization, the mean over seeds of the first values' score. */
  readonly before: number;
  readonly after: readonly number[];
  readonly phases: Readonly<Partial<Record<PhaseName, Totals>>>;
  readonly published: Published | undefined;
  readonly runs: readonly string[];
}

export const tasksDir = () => join(packageRoot(), "bench/tasks");
export const defaultDataDir = () => resolve(packageRoot(), "../shared/data");

export function taskNames(): string[] {
  return readdirSync(tasksDir())
    .filter((f) => f.endsWith(".tg"))
    .map((f) => f.slice(0, -3))
    .sort();
}

function publishedFigures(): Record<string, Published> {
  try {
    return JSON.parse(readFileSync(join(tasksDir(), "published.json"), "utf8")) as Record<string, Published>;
  } catch {
    return {};
  }
}

/** Data paths relative to the data folder. */
function dataFolderHost(dir: string): DataHost {
  return { resolve: (path) => resolve(dir, path), read: readDataFile };
}

/** Data sets read from the files `--dataset NAME=FILE` gives instead of the data folder. */
function withDatasets(graph: Graph, files: Readonly<Record<string, string>>): Graph {
  const data = new Map(graph.data);
  for (const [name, file] of Object.entries(files)) {
    const d = data.get(name);
    if (d?.kind !== "file") {
      const names = [...graph.data].filter(([, x]) => x.kind === "file").map(([n]) => n);
      throw new UsageError(`--dataset ${name}: the task reads no data set '${name}'; it reads ${names.join(", ")}`);
    }
    data.set(name, { ...d, path: resolve(file) });
  }
  return { ...graph, data };
}

/** The task's engines as the flags say: --engine serves all of them, --teacher the one named teacher. */
function withEngines(graph: Graph, engine: string | undefined, teacher: string | undefined): Graph {
  const student = engine === undefined ? undefined : declaredAs(engine);
  const teaching = teacher === undefined ? student : declaredAs(teacher, "--teacher");
  const engines = new Map<string, EngineConfig>();
  for (const [name, config] of graph.engines) {
    const chosen = name === "teacher" ? teaching : student;
    engines.set(name, chosen ? { ...config, ...chosen } : config);
  }
  return { ...graph, engines };
}

const zero = (): Totals => ({ calls: 0, cacheHits: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, cost: 0, savedCost: 0 });
function minus(a: Totals, b: Totals): Totals {
  return {
    calls: a.calls - b.calls,
    cacheHits: a.cacheHits - b.cacheHits,
    inputTokens: a.inputTokens - b.inputTokens,
    cachedInputTokens: a.cachedInputTokens - b.cachedInputTokens,
    outputTokens: a.outputTokens - b.outputTokens,
    cost: a.cost === null || b.cost === null ? null : a.cost - b.cost,
    savedCost: a.savedCost === null || b.savedCost === null ? null : a.savedCost - b.savedCost,
  };
}
/** What was spent between two snapshots of one meter. */
function snapshotMinus(a: UsageSnapshot, b: UsageSnapshot): UsageSnapshot {
  const each = <K extends string>(x: Partial<Record<K, Totals>>, y: Partial<Record<K, Totals>>) =>
    Object.fromEntries(Object.entries<Totals | undefined>(x).flatMap(([k, t]) => (t ? [[k, minus(t, y[k as K] ?? zero())]] : []))) as Partial<Record<K, Totals>>;
  return { total: minus(a.total, b.total), byEngine: each(a.byEngine, b.byEngine) as Record<string, Totals>, byPhase: each(a.byPhase, b.byPhase), prices: a.prices };
}

const sum = (xs: readonly Totals[]) => xs.reduce((t, x) => minus(t, minus(zero(), x)), zero());


const count = (n: number) => n.toLocaleString("en-US");
const usd = (c: number | null) => (c === null ? "unknown" : c.toFixed(4));

/** The summary's two tables: the metric before and after beside the paper's, then each phase's calls, tokens and cost. */
function summaryRows(s: BenchSummary): [string[][], string[][]] {
  const after = s.after.length === 1 ? `${s.after[0]!.toFixed(3)} (1 seed)` : `${mean(s.after).toFixed(3)} ± ${spread(s.after).toFixed(3)} (${s.after.length} seeds)`;
  const paper = s.published ? `${s.published.before.toFixed(3)} → ${s.published.after.toFixed(3)}` : "—";
  const metricRows = [
    ["", s.testTime ? "examples" : "test examples", s.testTime ? "before (zero-shot)" : "before", "after (mean ± sd)", `paper${s.published ? ` (${s.published.models})` : ""}`],
    [s.metric, String(s.testExamples), s.before.toFixed(3), after, paper],
  ];
  const seeds = `${s.seeds.length} seed${s.seeds.length === 1 ? "" : "s"}`;
  const phaseLabel: Record<PhaseName, string> = {
    before: "before: test set",
    training: `training (${seeds})`,
    after: "after: test set",
    "test-time": `test-time optimization and scoring (${seeds})`,
  };
  const total = sum(Object.values(s.phases).filter((t): t is Totals => t !== undefined));
  const phaseRows = [
    ["phase", "calls", "cache hits", "tokens in", "tokens out", "cost USD"],
    ...(Object.keys(phaseLabel) as PhaseName[]).flatMap((p) => {
      const t = s.phases[p];
      return t ? [[phaseLabel[p], count(t.calls), count(t.cacheHits), count(t.inputTokens), count(t.outputTokens), usd(t.cost)]] : [];
    }),
    ["total", count(total.calls), count(total.cacheHits), count(total.inputTokens), count(total.outputTokens), usd(total.cost)],
  ];
  return [metricRows, phaseRows];
}

export function summaryTable(s: BenchSummary, markdown: boolean): string {
  return summaryRows(s)
    .map((rows) => table(rows, markdown))
    .join("\n\n");
}

/** The summary as one self-contained page (no script, no network), with links to each seed's run folder. */
export function summaryHtml(s: BenchSummary): string {
  const [title, ...rest] = heading(s);
  const htmlTable = (rows: readonly (readonly string[])[]) =>
    `<table><thead><tr>${rows[0]!.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${rows
      .slice(1)
      .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join("")}</tr>`)
      .join("")}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tgc bench ${esc(s.task)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:right}tr>th:first-child{text-align:left}.sim{background:#fff3c4;padding:.4rem .8rem}</style>
</head><body>
<h1>tgc bench ${esc(s.task)}: ${esc(title)}</h1>
${rest.map((l) => `<p${l.startsWith("SIMULATED") ? ' class="sim"' : ""}>${esc(l)}</p>`).join("\n")}
${summaryRows(s).map(htmlTable).join("\n")}
<h2>Run folders</h2>
<ul>${s.runs.map((r, i) => `<li>seed ${s.seeds[i]}: <a href="${esc(basename(r))}/">${esc(basename(r))}</a> (<code>tgc report ${esc(r)}</code>)</li>`).join("")}</ul>
</body></html>
`;
}

function table(rows: readonly (readonly string[])[], markdown: boolean): string {
  if (markdown) {
    const line = (r: readonly string[]) => `| ${r.join(" | ")} |`;
    return [line(rows[0]!), line(rows[0]!.map(() => "---")), ...rows.slice(1).map(line)].join("\n");
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => "  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("   ")).join("\n");
}

function heading(s: BenchSummary): string[] {
  const engines = Object.entries(s.engines)
    .map(([name, id]) => `${name}: ${id}`)
    .join(", ");
  return [
    `${s.title}`,
    `engines ${engines}; seeds ${s.seeds.join(", ")}${s.limit !== undefined ? `; at most ${s.limit} examples per data set` : ""}`,
    ...(s.simulated ? ["SIMULATED: the simulator answers; these numbers show the protocol runs and mean nothing about quality."] : []),
    ...(s.published ? [`paper: ${s.published.source}`] : []),
  ];
}

export function summaryMarkdown(s: BenchSummary): string {
  const [title, ...rest] = heading(s);
  return [`# tgc bench ${s.task}: ${title}`, "", ...rest.map((l) => `${l}  `), "", summaryTable(s, true), "", "Run folders:", ...s.runs.map((r, i) => `- seed ${s.seeds[i]}: ${r}`), ""].join("\n");
}

/** Resolves TASK: a name in bench/tasks/, or a path to a task program. */
function taskFile(task: string): string {
  if (task.endsWith(".tg")) return resolve(task);
  const file = join(tasksDir(), `${task}.tg`);
  if (!existsSync(file)) throw new UsageError(`no task '${task}'; the tasks are: ${taskNames().join(", ")}`);
  return file;
}

export async function benchCommand(task: string, options: BenchOptions): Promise<number> {
  let file: string;
  try {
    file = taskFile(task);
  } catch (e) {
    return setupFailure("bench", e);
  }
  const name = basename(file, ".tg");
  const compiled = compileToRun(file);
  if (!compiled) return 1;
  const { compiled: c } = compiled;
  const o = compiled.graph.optimizations[0];
  // A test-time task optimizes every example of its data on its own and scores each as it goes.
  const testTime = o?.each !== undefined && o.score !== undefined;
  if (compiled.graph.optimizations.length > 1) {
    process.stderr.write(`tgc bench: ${task} is not a bench task: it has ${compiled.graph.optimizations.length} optimize blocks, and a protocol is one\n`);
    return 1;
  }
  if (!o || (!testTime && (!o.test || !o.validate))) {
    process.stderr.write(
      `tgc bench: ${task} is not a bench task: its optimize block needs test: <held-out data> and validate: <data> by <metric>, or each: <data> and score: <metric>\n`,
    );
    return 1;
  }
  const fail = (diagnostics: readonly Diagnostic[], what: string) => {
    process.stderr.write(`tgc bench: ${what} failed\n${renderAll(diagnostics, (f) => (f === c.id ? c.text : c.host.read(f)), useColor(process.stderr))}\n`);
    return 1;
  };
  /** A phase that did not complete: a budget or an interruption says so and exits as tgc run does; a failure shows why. */
  const stopped = (status: "failed" | "interrupted" | "budget", diagnostics: readonly Diagnostic[], what: string, folder?: string) => {
    const how = status === "budget" ? "stopped at a budget (--max-cost, --max-calls or --max-tokens)" : status === "interrupted" ? "was interrupted" : "failed";
    if (status === "failed" && diagnostics.length) return fail(diagnostics, what);
    process.stderr.write(`tgc bench: ${what} ${how}${folder ? `; its run folder: ${folder}` : ""}\n`);
    return status === "budget" ? EXIT_BUDGET : status === "interrupted" ? 130 : 1;
  };
  let graph: Graph;
  let prices;
  try {
    graph = withDatasets(withEngines(compiled.graph, options.engine, options.teacher), options.datasets);
    prices = readPrices(options.prices);
  } catch (e) {
    return setupFailure("bench", e);
  }
  const dataDir = resolve(options.data ?? defaultDataDir());
  for (const [dataset, d] of graph.data) {
    if (d.kind !== "file" || existsSync(resolve(dataDir, d.path))) continue;
    if (options.datasets[dataset] !== undefined) {
      process.stderr.write(`tgc bench: --dataset ${dataset}: ${d.path} does not exist\n`);
      return 1;
    }
    // The public sets ship in ../shared/data; anything else (the multiple-choice questions) is the user's to give.
    const publicSet = /^(bbh|gsm8k|humaneval)\//.test(d.path);
    process.stderr.write(
      publicSet
        ? `tgc bench: ${name} needs ${d.path}, which is not in ${dataDir}: put the public data sets there (bbh/, gsm8k/, humaneval/), pass --data DIR, or give the file with --dataset ${dataset}=FILE\n`
        : `tgc bench: ${name} reads its data set '${dataset}' from a file you give: --dataset ${dataset}=FILE (or put it at ${join(dataDir, d.path)})\n`,
    );
    return 1;
  }
  const data = dataFolderHost(dataDir);
  const seeds = Array.from({ length: options.seeds }, (_, k) => options.seed + k);

  // Before spending: what the protocol will call and cost, from the graph and the data.
  const loaded = datasetsOf(graph, data, options.limit);
  if ("diagnostics" in loaded) return fail(loaded.diagnostics, "reading the data");
  const testSet = loaded.datasets.get(testTime ? o.each! : o.test!) ?? [];
  const training = estimateRun(graph, loaded.datasets);
  // A test-time task scores as it runs; a prompt optimization scores the test set once before and after each seed.
  const scoring = testTime ? undefined : estimateScoring(graph, o, testSet);
  const planned = scoring ? [scoring, ...seeds.flatMap(() => [training, scoring])] : seeds.map(() => training);
  const expected = priceEstimate(graph, addEstimates(...planned), prices, undefined);
  process.stdout.write(
    `tgc bench ${name}: the estimate, ${seeds.length} seed${seeds.length === 1 ? "" : "s"}, ${testSet.length} ${testTime ? "examples, each optimized on its own" : "test examples"}\n${formatEstimate(expected)}\n\n`,
  );
  if (options.estimate) return 0;
  if (!(await confirmSpend("bench", expected, options.confirmAbove, options.yes))) return 1;

  let setup;
  try {
    setup = await setUpEngines(graph, file, { ...options, engine: undefined }, "bench", () => {});
  } catch (e) {
    return setupFailure("bench", e);
  }
  const { engines, meter } = setup;


  const common = { graph, engines, ...diskRuntime(options.cacheDir), data, ...(options.limit !== undefined ? { limit: options.limit } : {}) };
  const phases: Partial<Record<PhaseName, Totals>> = {};
  let mark = meter.snapshot();
  const phaseDone = (p: PhaseName) => {
    const now = meter.snapshot();
    phases[p] = minus(now.total, mark.total);
    mark = now;
  };
  const published = publishedFigures()[name];
  const ids = Object.fromEntries([...engines].map(([n, e]) => [n, e.id]));
  const simulated = [...engines.values()].some((e) => e.simulated);
  process.stdout.write(`tgc bench ${name}: ${published?.title ?? name}\n  engines ${Object.entries(ids).map(([n, id]) => `${n}: ${id}`).join(", ")}\n`);
  if (simulated) process.stdout.write("  SIMULATED: no language model is called; the numbers show the protocol runs and mean nothing about quality.\n");

  let before: EvaluateResult | undefined;
  if (!testTime) {
    process.stdout.write("  scoring the test set before training…\n");
    before = await evaluateProgram({ ...common, emit: () => {}, dataset: o.test! });
    if (before.status !== "completed") return stopped(before.status, before.diagnostics, "scoring the test set before training");
    phaseDone("before");
  }

  const benchDir = join(resolve(options.runsDir), "bench", `${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}-${name}`);
  mkdirSync(benchDir, { recursive: true });
  process.stdout.write(
    testTime
      ? `  optimizing each of the ${testSet.length} examples on its own, with ${seeds.length} seed${seeds.length === 1 ? "" : "s"} (${seeds.join(", ")})…\n`
      : `  training with ${seeds.length} seed${seeds.length === 1 ? "" : "s"} (${seeds.join(", ")})…\n`,
  );
  // One seed after another, so that each run folder records what that seed spent (tgc report shows it).
  const trained: { seed: number; result: RunResult; folder: string }[] = [];
  for (const seed of seeds) {
    const seeded = { ...graph, optimizations: graph.optimizations.map((x): Optimization => ({ ...x, seed })) };
    const folder = createRunFolder(benchDir, c.path, c.text, { engine: options.engine ?? null, teacher: options.teacher ?? null, argv: process.argv.slice(2), seed }, seeded);
    const start = meter.snapshot();
    const result = await runProgram({ ...common, graph: seeded, emit: (e: RunEvent) => folder.append(e), program: c.path, checkpoint: folder.checkpoint });
    folder.finish(Object.fromEntries(result.values), result.status, snapshotMinus(meter.snapshot(), start));
    trained.push({ seed, result, folder: folder.path });
    if (result.status !== "completed") break;
  }
  const failed = trained.find((t) => t.result.status !== "completed");
  if (failed && failed.result.status !== "completed") return stopped(failed.result.status, failed.result.diagnostics, `training with seed ${failed.seed}`, failed.folder);
  let beforeScore: number;
  let afterScores: number[];
  if (testTime) {
    phaseDone("test-time");
    // Each seed's examples, scored with their first values and their final ones.
    const scores = trained.map((t) => t.result.examples.get(0) ?? []);
    beforeScore = mean(scores.map((xs) => mean(xs.map((x) => x.before ?? 0))));
    afterScores = scores.map((xs) => mean(xs.map((x) => x.after ?? 0)));
  } else {
    phaseDone("training");
    process.stdout.write("  scoring the test set with each run's values…\n");
    const after = await Promise.all(trained.map((t) => evaluateProgram({ ...common, emit: () => {}, dataset: o.test!, values: t.result.values })));
    for (const a of after) if (a.status !== "completed") return stopped(a.status, a.diagnostics, "scoring the test set after training");
    phaseDone("after");
    const score = (r: EvaluateResult) => (r.status === "completed" ? (r.metrics[0]?.mean ?? 0) : 0);
    beforeScore = score(before!);
    afterScores = after.map(score);
  }

  const summary: BenchSummary = {
    version: 1,
    task: name,
    title: published?.title ?? name,
    engines: ids,
    simulated,
    limit: options.limit,
    seeds,
    ...(testTime ? { testTime } : {}),
    testExamples: testSet.length,
    metric: published?.metric ?? "score",
    before: beforeScore,
    after: afterScores,
    phases,
    published,
    runs: trained.map((t) => t.folder),
  };
  writeFileSync(join(benchDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  writeFileSync(join(benchDir, "summary.md"), summaryMarkdown(summary));
  writeFileSync(join(benchDir, "summary.html"), summaryHtml(summary));
  process.stdout.write(`\n${summaryTable(summary, false)}\n\nbench folder: ${displayPath(benchDir)}\n`);
  return 0;
}

function readSummary(folder: string): BenchSummary {
  const file = folder.endsWith(".json") ? folder : join(folder, "summary.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (give a bench folder, runs/bench/<time>-<task>)" : (e as Error).message}`);
  }
  if ((parsed as { version?: unknown }).version !== 1 || !Array.isArray((parsed as { after?: unknown }).after)) throw new UsageError(`${file} is not a tgc bench summary`);
  return parsed as BenchSummary;
}

/** `tgc bench --compare A B`: two bench runs side by side (two optimizers, two teachers, two models). */
export function compareCommand(folders: readonly string[]): number {
  let a: BenchSummary;
  let b: BenchSummary;
  try {
    if (folders.length !== 2) throw new UsageError(`--compare takes two bench folders, not ${folders.length}`);
    [a, b] = folders.map(readSummary) as [BenchSummary, BenchSummary];
  } catch (e) {
    return setupFailure("bench", e);
  }
  const engines = (s: BenchSummary) => Object.entries(s.engines).map(([n, id]) => `${n} ${id}`).join(", ");
  const totalOf = (s: BenchSummary) => sum(Object.values(s.phases).filter((t): t is Totals => t !== undefined));
  const gain = (s: BenchSummary) => mean(s.after) - s.before;
  const perPoint = (s: BenchSummary) => {
    const cost = totalOf(s).cost;
    return cost === null || gain(s) <= 0 ? "—" : usd(cost / (gain(s) * 100));
  };
  const row = (label: string, f: (s: BenchSummary) => string) => [label, f(a), f(b)];
  const metric = a.metric === b.metric ? a.metric : "metric";
  const named = (s: BenchSummary) => (a.metric === b.metric ? "" : ` (${s.metric})`);
  const rows = [
    ["", "A", "B"],
    row("task", (s) => s.task),
    row("engines", engines),
    row("seeds", (s) => String(s.seeds.length)),
    row(a.testTime || b.testTime ? "examples" : "test examples", (s) => String(s.testExamples)),
    // One metric names the rows; two different ones are named beside their values.
    row(`${metric} before`, (s) => `${s.before.toFixed(3)}${named(s)}`),
    row(`${metric} after`, (s) => `${s.after.length === 1 ? s.after[0]!.toFixed(3) : `${mean(s.after).toFixed(3)} ± ${spread(s.after).toFixed(3)}`}${named(s)}`),
    row("gain", (s) => `${gain(s) >= 0 ? "+" : ""}${gain(s).toFixed(3)}`),
    row("calls", (s) => count(totalOf(s).calls)),
    row("tokens", (s) => count(totalOf(s).inputTokens + totalOf(s).outputTokens)),
    row("cost USD", (s) => usd(totalOf(s).cost)),
    row("USD per point gained", perPoint),
  ];
  const lines = [`A: ${folders[0]}`, `B: ${folders[1]}`, ...(a.simulated || b.simulated ? ["SIMULATED runs among these: their numbers mean nothing about quality."] : []), ...(a.task !== b.task ? [`note: different tasks (${a.task}, ${b.task})`] : []), "", table(rows, false)];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
