// `run` and `evaluate`: a compiled program with the application's engines → the optimized values (and what each
// step's loss and validation were), or a data set's scores. Composes the runtime's runProgram and evaluateProgram;
// a run folder, when asked for, is the one `tgc run` writes, so `tgc report` and `tgc explain` read it.
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderAll } from "../diagnostics/render.js";
import type { Engine } from "../engines/engine.js";
import { memoryDataHost, type DataHost } from "../runtime/data.js";
import type { RunEvent } from "../runtime/events.js";
import { createRunFolder, type RunFolder } from "../runtime/run-folder.js";
import { evaluateProgram, type MetricScores } from "../runtime/evaluate.js";
import { runProgram } from "../runtime/run.js";
import { fileDataHost, nodeHost } from "./host.js";
import type { Program } from "./program.js";

/**
 * The engines a run calls: one engine for every engine the program declares (as `--engine` does), or one per
 * declared name.
 */
export type Engines = Engine | Readonly<Record<string, Engine>> | ReadonlyMap<string, Engine>;

/** Where data files are read: from disk beside the program (the default), a host of your own, or a map of path (as the program writes it) → text. */
export type DataFiles = DataHost | Readonly<Record<string, string>>;

export interface RunOptions {
  readonly engines: Engines;
  readonly files?: DataFiles;
  /** Every event of the run (calls, losses, gradients, updates, validation), as `tgc run --json` prints them. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Stops the run after the calls in flight; the result's status is then "interrupted". */
  readonly signal?: AbortSignal;
  /** Write a run folder under this directory (as `tgc run` does under runs/), for `tgc report` and `tgc explain`. */
  readonly runsDir?: string;
  /** Send a batch's first example alone first, so providers cache the prompt prefix the others share. */
  readonly warmCache?: boolean;
}

/** One optimization step: its mean loss (undefined when no loss gave a number). */
export interface StepLoss {
  /** The optimize block, by its index in the program. */
  readonly optimization: number;
  readonly step: number;
  readonly loss: number | undefined;
}

/** One validation: step 0 scores the values before the first step. */
export interface Validation {
  readonly optimization: number;
  readonly step: number;
  readonly score: number;
  readonly best: number;
  /** Keep-best put the best values back because this step's were worse. */
  readonly reverted: boolean;
}

export interface RunResult {
  readonly status: "completed" | "failed" | "interrupted" | "budget";
  /** Every variable's final value, by name (`module#name` for one an imported module declares). */
  readonly values: Readonly<Record<string, string>>;
  readonly losses: readonly StepLoss[];
  readonly validations: readonly Validation[];
  /** Why a run failed, as values and rendered as `tgc run` prints them. */
  readonly diagnostics: readonly Diagnostic[];
  readonly rendered: string;
  /** The run folder, when `runsDir` was given. */
  readonly runFolder: string | undefined;
}

function engineMap(program: Program, engines: Engines): ReadonlyMap<string, Engine> {
  const single = "complete" in engines && typeof engines.complete === "function" ? (engines as Engine) : undefined;
  const lookup = (name: string): Engine | undefined =>
    single ?? (engines instanceof Map ? engines.get(name) : (engines as Readonly<Record<string, Engine>>)[name]);
  const out = new Map<string, Engine>();
  for (const name of program.engines) {
    const e = lookup(name);
    if (!e) throw new TypeError(`no engine for '${name}': the program declares ${program.engines.join(", ")}; give one engine for all, or one for each`);
    out.set(name, e);
  }
  return out;
}

function dataHost(files: DataFiles | undefined): DataHost {
  if (files === undefined) return fileDataHost;
  if (typeof files.resolve === "function" && typeof files.read === "function") return files as DataHost;
  return memoryDataHost(files as Readonly<Record<string, string>>);
}

/** The texts diagnostics quote: the program's, or a module's from disk or the standard library. */
const sourcesFor = (program: Program) => {
  const host = nodeHost();
  return (file: string) => (file === program.path ? program.source : host.read(file));
};

/**
 * Runs the program's optimize blocks with the application's engines. Problems in the run (a data file that cannot
 * be read, a failed call) are in the result, not thrown; naming no engine for one the program declares is a TypeError.
 */
export async function run(program: Program, options: RunOptions): Promise<RunResult> {
  const engines = engineMap(program, options.engines);
  const folder: RunFolder | undefined =
    options.runsDir === undefined ? undefined : createRunFolder(resolve(options.runsDir), program.path, program.source, { engine: null, api: true }, program.graph);
  const losses: StepLoss[] = [];
  const validations: Validation[] = [];
  // A step-0 validation comes before its optimize block's first step_started: it belongs to the next block.
  let optimization = -1;
  const emit = (e: RunEvent) => {
    folder?.append(e);
    if (e.type === "step_started") optimization = e.optimization;
    else if (e.type === "step_finished") losses.push({ optimization, step: e.step, loss: e.loss });
    else if (e.type === "validation") {
      validations.push({ optimization: e.step === 0 ? optimization + 1 : optimization, step: e.step, score: e.score, best: e.best, reverted: e.reverted });
    }
    options.onEvent?.(e);
  };
  const result = await runProgram({
    graph: program.graph,
    engines,
    natives: program.natives,
    data: dataHost(options.files),
    emit,
    program: program.path,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.warmCache ? { warmCache: true } : {}),
    ...(folder ? { checkpoint: folder.checkpoint } : {}),
  });
  const values = Object.fromEntries(result.values);
  folder?.finish(values, result.status, undefined);
  return {
    status: result.status,
    values,
    losses,
    validations,
    diagnostics: result.diagnostics,
    rendered: renderAll(result.diagnostics, sourcesFor(program)),
    runFolder: folder?.path,
  };
}

export interface EvaluateOptions {
  /** The data set to score on, by the name the program declares. */
  readonly data: string;
  readonly engines: Engines;
  /** Values for variables (a run's final `values`); the others start from their initializers. */
  readonly values?: Readonly<Record<string, string>>;
  readonly files?: DataFiles;
  readonly onEvent?: (event: RunEvent) => void;
  readonly signal?: AbortSignal;
}

export type EvaluateResult =
  | { readonly status: "completed"; readonly metrics: readonly MetricScores[]; readonly examples: number }
  | {
      readonly status: "failed" | "interrupted" | "budget";
      /** What went wrong, as values and rendered as `tgc eval` prints them. */
      readonly diagnostics: readonly Diagnostic[];
      readonly rendered: string;
      /** The budget reached, when the status is "budget". */
      readonly reason: string | undefined;
    };

/**
 * Scores values (the program's own, or those given) on a data set with each metric the program validates with, as
 * `tgc eval` does, without optimizing. Throws a TypeError when the program declares no data set by that name.
 */
export async function evaluate(program: Program, options: EvaluateOptions): Promise<EvaluateResult> {
  if (!program.graph.data.has(options.data)) {
    const names = program.dataSets.filter((n) => !n.includes("#"));
    throw new TypeError(`the program declares no data set '${options.data}' (${names.length ? `its data sets: ${names.join(", ")}` : "it declares none"})`);
  }
  const given = Object.entries(options.values ?? {}).filter(([name]) => program.graph.variables.has(name));
  const result = await evaluateProgram({
    graph: program.graph,
    engines: engineMap(program, options.engines),
    natives: program.natives,
    data: dataHost(options.files),
    emit: options.onEvent ?? (() => {}),
    dataset: options.data,
    values: new Map(given),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.status === "completed") return result;
  return { ...result, rendered: renderAll(result.diagnostics, sourcesFor(program)) };
}
