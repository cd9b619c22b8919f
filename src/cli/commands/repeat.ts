import { resolve } from "node:path";
import type { Meter } from "../../engines/cost.js";
import type { Optimization } from "../../ir/graph.js";
import type { RunEvent } from "../../runtime/events.js";
import { createRunFolder } from "../../runtime/run-folder.js";
import { runProgram, type RunResult } from "../../runtime/run.js";
import { compileToRun } from "../compile.js";
import { setUpEngines, setupFailure, type EngineFlags } from "../engine-setup.js";
import { diskRuntime } from "../host.js";
import { displayPath } from "../output.js";
import { mean, spread } from "../stats.js";

export interface RepeatOptions extends EngineFlags {
  readonly repeat: number;
  /** The first run's seed; run k uses seed + k (for the data's shuffling, in every optimize block). */
  readonly seed: number;
  readonly runsDir: string;
  readonly save: boolean;
}

interface Outcome {
  readonly seed: number;
  readonly result: RunResult;
  /** The best validation score, else the examples' mean final score (each:), else the last step's loss. */
  readonly metric: { readonly kind: MetricKind; readonly value: number } | undefined;
  readonly folder: string | undefined;
}


type MetricKind = "validation" | "score" | "loss";
const metricLabel: Record<MetricKind, string> = { validation: "best validation", score: "mean final score", loss: "last loss" };

function metricOf(events: readonly RunEvent[]): Outcome["metric"] {
  const validations = events.filter((e): e is Extract<RunEvent, { type: "validation" }> => e.type === "validation");
  if (validations.length) return { kind: "validation", value: Math.max(...validations.map((v) => v.best)) };
  const scored = events.flatMap((e) => (e.type === "each_finished" && e.after !== undefined ? [e.after] : []));
  if (scored.length) return { kind: "score", value: scored.at(-1)! };
  const losses = events.flatMap((e) => (e.type === "step_finished" && e.loss !== undefined ? [e.loss] : []));
  return losses.length ? { kind: "loss", value: losses.at(-1)! } : undefined;
}

/**
 * `tgc run FILE --repeat N`: the optimization run N times with seeds S, S+1, …, at once, through the same engines
 * (so requests that coincide are served once by the cache), each with its own run folder; then the metric's mean
 * and spread and each run's final values.
 */
export async function repeatCommand(file: string, options: RepeatOptions): Promise<number> {
  const compiled = compileToRun(file);
  if (!compiled) return 1;
  const { compiled: c, graph } = compiled;
  let engines;
  let meter: Meter;
  try {
    ({ engines, meter } = await setUpEngines(graph, c.path, options, "run", () => {}));
  } catch (e) {
    return setupFailure("run", e);
  }
  // A per-example variable has no one final value: its values are in each run's events (example_finished).
  const trainable = [...graph.variables.values()].filter((v) => v.trainable && !v.perExample).map((v) => v.name);
  process.stdout.write(`running ${displayPath(c.path)} ${options.repeat} times, seeds ${options.seed} to ${options.seed + options.repeat - 1}\n`);
  const outcomes = await Promise.all(
    Array.from({ length: options.repeat }, async (_, k): Promise<Outcome> => {
      const seed = options.seed + k;
      const seeded = { ...graph, optimizations: graph.optimizations.map((o): Optimization => ({ ...o, seed })) };
      const folder = options.save ? createRunFolder(resolve(options.runsDir), c.path, c.text, { engine: options.engine ?? null, argv: process.argv.slice(2), seed }, graph) : undefined;
      const events: RunEvent[] = [];
      // The engines and their meter serve every run; a run's own usage is what its call events record (the
      // embedding requests of a retrieval are in no call event, so they are in no run's share).
      const own = meter.fresh();
      const result = await runProgram({
        graph: seeded,
        engines,
        ...diskRuntime(options.cacheDir),
        emit: (e) => {
          events.push(e);
          folder?.append(e);
          if (e.type === "call") own.record(engines.get(e.engine)?.id ?? e.engine, e.purpose, e.usage, e.cached);
        },
        program: displayPath(c.path),
        ...(folder ? { checkpoint: folder.checkpoint } : {}),
      });
      folder?.finish(Object.fromEntries(result.values), result.status, own.snapshot());
      const metric = metricOf(events);
      process.stdout.write(`  seed ${seed}: ${result.status}${metric ? `, ${metricLabel[metric.kind]} ${metric.value.toFixed(3)}` : ""}${folder ? ` (${displayPath(folder.path)})` : ""}\n`);
      return { seed, result, metric, folder: folder?.path };
    }),
  );
  const scored = outcomes.flatMap((o) => (o.metric ? [o.metric.value] : []));
  const kind = outcomes.find((o) => o.metric)?.metric?.kind;
  process.stdout.write("\n");
  if (scored.length) {
    process.stdout.write(`${metricLabel[kind ?? "loss"]}: mean ${mean(scored).toFixed(3)}, spread (standard deviation) ${spread(scored).toFixed(3)}, min ${Math.min(...scored).toFixed(3)}, max ${Math.max(...scored).toFixed(3)} over ${scored.length} runs\n`);
  }
  if (trainable.length === 0) {
    process.stdout.write(`the optimized values are per example (each:): ${options.save ? "each run folder's events hold them, one example_finished per example" : "with --no-save they are not kept; run without it to keep them in run folders"}\n`);
  }
  for (const o of trainable.length ? outcomes : []) {
    process.stdout.write(`\nseed ${o.seed}\n`);
    for (const name of trainable) {
      const value = o.result.values.get(name) ?? "";
      process.stdout.write(`  ${name}\n${value.split("\n").map((l) => `    │ ${l}`).join("\n")}\n`);
    }
  }
  return outcomes.every((o) => o.result.status === "completed") ? 0 : 1;
}
