import { resolve } from "node:path";
import type { CacheMode } from "../../engines/cache.js";
import { engineId } from "../../engines/index.js";
import type { Budget, Meter, UsageSnapshot } from "../../engines/cost.js";
import type { RunEvent } from "../../runtime/events.js";
import type { Checkpoint } from "../../runtime/checkpoint.js";
import { createRunFolder, programHash, readRunFolder, reopenRunFolder, type RunConfig, type RunFolder } from "../../runtime/run-folder.js";
import { runProgram } from "../../runtime/run.js";
import { outputProblem, writeOutput } from "../files.js";
import { compileToRun, sourcesOf } from "../compile.js";
import { declaredAs, readPrices, setUpEngines, setupFailure, UsageError } from "../engine-setup.js";
import { datasetsOf, formatEstimate, priceEstimate } from "../estimate.js";
import { estimateRun } from "../../runtime/estimate.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { PriceTable } from "../../engines/prices.js";
import type { Graph } from "../../ir/graph.js";
import { diskRuntime } from "../host.js";
import { programWithValues } from "../optimized-program.js";
import { displayPath, renderAll, useColor } from "../output.js";
import { progressPrinter, type Verbosity } from "../progress.js";
import { InFlight, StatusLine } from "../status-line.js";

export interface RunOptions {
  readonly engine: string | undefined;
  readonly out: string | undefined;
  readonly runsDir: string;
  readonly save: boolean;
  readonly verbosity: Verbosity;
  /** "use" (default), "replay" (fail on any miss) or "off" (--no-cache). */
  readonly cache: CacheMode | "off";
  readonly cacheDir: string;
  readonly budget: Budget;
  readonly prices: string | undefined;
  /** Calls in flight per engine, unless an engine sets its own. */
  readonly concurrency: number;
  readonly warmCache: boolean;
  /** A run folder to continue from its last checkpoint. */
  readonly resume: string | undefined;
  /** Print the events as JSON lines instead of the human-readable progress. */
  readonly json: boolean;
  /** Print what the run would call and cost, and stop. */
  readonly estimate: boolean;
}

/** Exit codes of `tgc run`: 1 program or run failed, 2 usage, 3 budget reached, 130 interrupted. */
export const EXIT_BUDGET = 3;

/** `tgc run FILE --estimate`: the calls, tokens and cost the run would take, from the graph and the data; no call. */
function estimateCommand(file: string, graph: Graph, options: RunOptions, report: (ds: readonly Diagnostic[]) => void): number {
  let prices: PriceTable;
  let served: string | undefined;
  try {
    prices = readPrices(options.prices);
    served = options.engine === undefined ? undefined : engineId(declaredAs(options.engine));
  } catch (e) {
    return setupFailure("run", e);
  }
  const loaded = datasetsOf(graph, diskRuntime(options.cacheDir).data, undefined);
  if ("diagnostics" in loaded) {
    report(loaded.diagnostics);
    return 1;
  }
  const priced = priceEstimate(graph, estimateRun(graph, loaded.datasets), prices, served === undefined ? undefined : () => served);
  process.stdout.write(`tgc run ${displayPath(file)}: the estimate\n${formatEstimate(priced)}\n`);
  return 0;
}

/** `tgc run FILE`: runs the program's optimize blocks and prints each step. */
export async function runCommand(file: string, options: RunOptions): Promise<number> {
  // With --json, stdout holds only events: what is said about the run goes to stderr.
  const notes = options.json ? process.stderr : process.stdout;
  const compiled = compileToRun(file);
  if (!compiled) return 1;
  const { compiled: c, graph } = compiled;
  const sources = sourcesOf(c);
  const colour = useColor(process.stderr);
  if (options.estimate) return estimateCommand(c.path, graph, options, (ds) => process.stderr.write(renderAll(ds, sources, colour) + "\n"));

  const inFlight = new InFlight();
  // Retries are reported as events; the sink exists once the run folder does, after the engines are ready.
  let emit: (e: RunEvent) => void = () => {};
  let engines;
  let meter: Meter;
  let resumed: { folder: RunFolder; config: RunConfig; checkpoint: Checkpoint | undefined; spent: UsageSnapshot | undefined } | undefined;
  let engineFlag = options.engine;
  try {
    // Checked now, not when the run has finished and the program is about to be written.
    const outProblem = options.out === undefined ? undefined : outputProblem(options.out);
    if (outProblem) throw new UsageError(`--out: ${outProblem}`);
    if (options.resume !== undefined) {
      const opened = readRunFolder(resolve(options.resume));
      if (!opened.ok) throw new UsageError(opened.error);
      const where = displayPath(opened.folder.path);
      if (opened.config.sha256 !== programHash(c.text)) {
        throw new UsageError(`${displayPath(c.path)} is not the program the run in ${where} ran (its copy is ${where}/program.tg): resume with that program, or start a new run`);
      }
      const recorded = typeof opened.config["engine"] === "string" ? opened.config["engine"] : undefined;
      if (engineFlag !== undefined && engineFlag !== recorded) {
        throw new UsageError(`the run in ${where} ran with ${recorded === undefined ? "the program's own engines" : `--engine ${recorded}`}; resuming it with --engine ${engineFlag} would not continue the same run`);
      }
      engineFlag = recorded;
      if (opened.status === "completed") {
        notes.write(`the run in ${where} completed: there is nothing to resume\n`);
        return 0;
      }
      resumed = { folder: opened.folder, config: opened.config, checkpoint: opened.checkpoint, spent: opened.spent };
    }
    ({ engines, meter } = await setUpEngines(graph, c.path, { ...options, engine: engineFlag }, "run", (n) => emit({ type: "retry", ...n }), inFlight.track));
    // The spend when the run stopped counts the calls of the step it cut short, which its checkpoint does not; a
    // killed run left no record of those, and the checkpoint's is what is known.
    const spent = resumed?.spent ?? resumed?.checkpoint?.usage;
    if (spent) meter.restore(spent);
  } catch (e) {
    return setupFailure("run", e);
  }

  let folder: RunFolder | undefined;
  if (resumed) {
    folder = resumed.folder;
    const reopened = reopenRunFolder(folder.path, resumed.config, resumed.checkpoint);
    if (!reopened.ok) {
      process.stderr.write(`tgc run: ${reopened.error}\n`);
      return 1;
    }
    const cp = resumed.checkpoint;
    // In a block with each:, steps count from 1 again in every example, so the example is where the run stands.
    const example = cp?.each ? `, example ${cp.each.example} (${cp.each.finished.length} done)` : "";
    const where = !cp
      ? "from the start: it stopped before its first checkpoint"
      : cp.finished
        ? `after optimize block ${cp.optimization + 1}`
        : cp.step === 0
          ? `at optimize block ${cp.optimization + 1}${example}, step 1`
          : `at optimize block ${cp.optimization + 1}${example}, step ${cp.step + 1} (${cp.step} done)`;
    notes.write(`resuming ${displayPath(folder.path)} ${where}\n`);
  } else if (options.save) {
    folder = createRunFolder(resolve(options.runsDir), c.path, c.text, { engine: options.engine ?? null, argv: process.argv.slice(2) }, graph);
  }
  // A live status line on a terminal; with --json, the events themselves, one JSON object a line.
  const status = process.stderr.isTTY && !options.json && options.verbosity !== "quiet" ? new StatusLine(process.stderr, inFlight, () => meter.snapshot()) : undefined;
  const print = options.json
    ? (e: RunEvent) => process.stdout.write(JSON.stringify(e) + "\n")
    : progressPrinter(
        (line) => {
          status?.clear();
          process.stdout.write(line + "\n");
        },
        options.verbosity,
        useColor(process.stdout),
      );
  emit = (e: RunEvent) => {
    folder?.append(e);
    status?.observe(e);
    print(e);
  };
  status?.start();
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write("\ninterrupted: finishing the current call, then stopping (Ctrl-C again to quit now)\n");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  const result = await runProgram({
    graph,
    engines,
    ...diskRuntime(options.cacheDir),
    emit,
    program: displayPath(c.path),
    signal: abort.signal,
    usage: () => meter.snapshot(),
    warmCache: options.warmCache,
    ...(folder ? { checkpoint: folder.checkpoint } : {}),
    ...(resumed?.checkpoint ? { resume: resumed.checkpoint } : {}),
  }).finally(() => {
    process.off("SIGINT", onSigint);
    status?.stop();
  });

  folder?.finish(Object.fromEntries(result.values), result.status, meter.snapshot());
  if (result.diagnostics.length) process.stderr.write("\n" + renderAll(result.diagnostics, sources, colour) + "\n");
  if (options.out && result.status === "completed") {
    writeOutput(options.out, programWithValues(c.text, c.checked!.root.program, result.values));
    notes.write(`\nwrote the optimized program to ${displayPath(resolve(options.out))}\n`);
    // --out rewrites this file only: a variable trained here but declared in an imported module is not in it.
    const targets = graph.optimizations.flatMap((o) => o.targets);
    const perExample = targets.filter((t) => graph.variables.get(t)?.perExample);
    const elsewhere = targets.filter((t) => t.includes("#") && !perExample.includes(t));
    for (const t of new Set(perExample)) {
      process.stderr.write(`tgc run: ${t} has a value per example, which a program cannot hold: its declaration is left as it was; the run's events hold each example's value (example_finished)\n`);
    }
    for (const t of new Set(elsewhere)) {
      process.stderr.write(`tgc run: the optimized value of ${t} is not in ${displayPath(resolve(options.out))}: it is declared in ${t.split("#")[0]}; see final.json\n`);
    }
  }
  if (folder) notes.write(`run folder: ${displayPath(folder.path)}\n`);
  switch (result.status) {
    case "completed":
      return 0;
    case "interrupted":
      return 130;
    case "budget":
      return EXIT_BUDGET;
    case "failed":
      return 1;
  }
}
