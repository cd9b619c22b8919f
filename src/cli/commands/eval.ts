import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CacheMode } from "../../engines/cache.js";
import type { Budget } from "../../engines/cost.js";
import { evaluateProgram } from "../../runtime/evaluate.js";
import { compileToRun, sourcesOf } from "../compile.js";
import { setUpEngines, setupFailure, UsageError } from "../engine-setup.js";
import { readRun } from "../../report/read.js";
import { diskRuntime } from "../host.js";
import { displayPath, renderAll, useColor } from "../output.js";

export interface EvalOptions {
  readonly data: string;
  /** A run folder whose final values to score instead of the program's initial ones. */
  readonly from: string | undefined;
  readonly json: boolean;
  readonly engine: string | undefined;
  readonly cache: CacheMode | "off";
  readonly cacheDir: string;
  readonly budget: Budget;
  readonly prices: string | undefined;
  readonly concurrency: number;
}

/** The engine a run was given with --engine, from its config.json, if any. */
function runEngine(folder: string): string | undefined {
  try {
    const config: unknown = JSON.parse(readFileSync(join(folder, "config.json"), "utf8"));
    return typeof config === "object" && config !== null && "engine" in config && typeof config.engine === "string" ? config.engine : undefined;
  } catch {
    return undefined;
  }
}

/** The values a run ended with (final.json), or where its last checkpoint left them. */
function runValues(folder: string): Map<string, string> {
  for (const file of ["final.json", "checkpoint.json"]) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(folder, file), "utf8"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new UsageError(`cannot read ${displayPath(join(folder, file))}: ${(e as Error).message}`);
    }
    const values = typeof json === "object" && json !== null && "values" in json ? json.values : undefined;
    if (typeof values === "object" && values !== null) {
      return new Map(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
  }
  throw new UsageError(`${displayPath(folder)} is not a run folder with values (no final.json or checkpoint.json)`);
}

/** The values a run ended each example of its each: blocks with, by block and example (its example_finished events). */
function runExampleValues(folder: string): Map<number, Map<number, Readonly<Record<string, string>>>> {
  const read = readRun(folder);
  if (!read.ok) throw new UsageError(read.error);
  const out = new Map<number, Map<number, Readonly<Record<string, string>>>>();
  for (const e of read.run.events) {
    if (e.type !== "example_finished") continue;
    const block = out.get(e.optimization) ?? new Map<number, Readonly<Record<string, string>>>();
    block.set(e.example, e.values);
    out.set(e.optimization, block);
  }
  return out;
}

/** `tgc eval FILE --data NAME`: the program's validation metrics on a data set, as a table. */
export async function evalCommand(file: string, options: EvalOptions): Promise<number> {
  const compiled = compileToRun(file);
  if (!compiled) return 1;
  const { compiled: c, graph } = compiled;
  const sources = sourcesOf(c);
  const colour = useColor(process.stderr);
  try {
    if (!graph.data.has(options.data)) {
      const names = [...graph.data.keys()].filter((n) => !n.includes("#"));
      throw new UsageError(`${displayPath(c.path)} declares no data set '${options.data}' (${names.length ? `its data sets: ${names.join(", ")}` : "it declares none"})`);
    }
    const scoresHere = graph.optimizations.some((o) => o.score !== undefined && o.each === options.data);
    if (!graph.optimizations.some((o) => o.validate) && !scoresHere) {
      const each = graph.optimizations.find((o) => o.score !== undefined && o.each !== undefined)?.each;
      throw new UsageError(
        `${displayPath(c.path)} has no metric to score '${options.data}' with: give an optimize block validate: <data> by <metric>${each ? ` (its each: block scores '${each}': tgc eval --data ${each})` : ""}`,
      );
    }
    // A run's per-example values are in its events, one example_finished per example.
    const exampleValues = options.from === undefined || !scoresHere ? undefined : runExampleValues(resolve(options.from));

    const given = options.from === undefined ? undefined : runValues(resolve(options.from));
    for (const name of given?.keys() ?? []) {
      if (!graph.variables.has(name)) process.stderr.write(`tgc eval: warning: the run's variable '${name}' is not in ${displayPath(c.path)}; it is ignored\n`);
    }
    const values = given && new Map([...given].filter(([name]) => graph.variables.has(name)));
    let calls = 0;
    // A run's values are scored with the engine the run used, unless --engine says otherwise.
    const engine = options.engine ?? (options.from === undefined ? undefined : runEngine(resolve(options.from)));
    const { engines } = await setUpEngines(graph, c.path, { ...options, engine }, "eval", () => {});
    const simulated = [...new Set([...engines.values()].filter((e) => e.simulated).map((e) => e.id))];
    const result = await evaluateProgram({
      graph,
      engines,
      ...diskRuntime(options.cacheDir),
      emit: (e) => {
        if (e.type === "call" && process.stderr.isTTY) process.stderr.write(`\rcalls: ${++calls}`);
      },
      dataset: options.data,
      ...(values ? { values } : {}),
      ...(exampleValues ? { exampleValues } : {}),
    });
    if (process.stderr.isTTY && calls) process.stderr.write("\r\x1b[K");
    // A run that stopped, or ran with --limit, ended fewer examples than the data set has.
    if (exampleValues && result.status === "completed") {
      graph.optimizations.forEach((o, i) => {
        const ended = exampleValues.get(i)?.size ?? 0;
        if (o.score !== undefined && o.each === options.data && ended < result.examples) {
          process.stderr.write(`tgc eval: note: the run ended ${ended} of the ${result.examples} examples of '${options.data}'; the others are scored as their values start\n`);
        }
      });
    }
    if (result.status !== "completed") {
      if (result.diagnostics.length) process.stderr.write(renderAll(result.diagnostics, sources, colour) + "\n");
      if (result.reason) process.stderr.write(`tgc eval: ${result.reason}\n`);
      return result.status === "budget" ? 3 : result.status === "interrupted" ? 130 : 1;
    }
    const of = options.from === undefined ? "the program's own values" : `the values of ${displayPath(resolve(options.from))}`;
    // The metric as the program writes it, on one line.
    const written = (m: (typeof result.metrics)[number]) => sources(m.range.file)?.slice(m.range.start, m.range.end).replace(/\s+/g, " ") || m.label;
    if (options.json) {
      const metrics = result.metrics.map((m) => ({ metric: written(m), mean: m.mean, scores: m.scores, optimizations: m.optimizations }));
      process.stdout.write(JSON.stringify({ data: options.data, examples: result.examples, values: of, simulated, metrics }, null, 2) + "\n");
      return 0;
    }
    process.stdout.write(`${displayPath(c.path)} on '${options.data}' (${result.examples} examples), scoring ${of}\n`);
    if (simulated.length) process.stdout.write(`SIMULATED (${simulated.join(", ")}): these scores mean nothing about quality\n`);
    const rows = result.metrics.map((m) => [written(m), m.mean.toFixed(3), `${m.scores.filter((s) => s >= 1).length} / ${m.scores.length}`]);
    const header = ["metric", "mean", "full marks"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: readonly string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ");
    process.stdout.write(`\n${line(header)}\n${rows.map(line).join("\n")}\n`);
    return 0;
  } catch (e) {
    return setupFailure("eval", e);
  }
}
