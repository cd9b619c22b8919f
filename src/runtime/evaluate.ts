// Scoring without optimizing: `tgc eval` (a program's values on a data set, by the metrics it validates or scores
// with) and `tgc check-loss` (a loss's verdicts on reference outputs labelled good or bad).
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { BudgetExceeded } from "../engines/engine.js";
import type { Graph, NodeId } from "../ir/graph.js";
import { RuntimeFailure, type RuntimeContext } from "./context.js";
import { loadDataset } from "./data.js";
import { forward, type Values } from "./forward.js";
import { inOrder } from "./ordered.js";
import { initialize, limitedLoad, mean, runtimeContext, scoresOf, type PerExampleValues, type RunOptions } from "./run.js";
import { perExampleNames } from "./schedule.js";

export interface EvaluateOptions extends Pick<RunOptions, "graph" | "engines" | "natives" | "data" | "emit" | "signal" | "indexes" | "limit"> {
  /** The data set to score on, by the name the program declares. */
  readonly dataset: string;
  /** Values for variables (a run's final ones); the others start from their initializers. */
  readonly values?: ReadonlyMap<string, string>;
  /**
   * For an each: block (by its index), the values a run ended each example with, by the example's index; examples
   * without are scored as their values start.
   */
  readonly exampleValues?: ReadonlyMap<number, ReadonlyMap<number, Readonly<Record<string, string>>>>;
}

export interface MetricScores {
  /** The metric, shortly, and where the program writes it. */
  readonly label: string;
  readonly range: Range;
  /** The optimize blocks (by index) that validate with it. */
  readonly optimizations: readonly number[];
  readonly scores: readonly number[];
  readonly mean: number;
}

export type EvaluateResult =
  | { readonly status: "completed"; readonly metrics: readonly MetricScores[]; readonly examples: number }
  | { readonly status: "failed" | "interrupted" | "budget"; readonly diagnostics: readonly Diagnostic[]; readonly reason: string | undefined };

/**
 * `tgc eval`: scores the variables' values on a data set with the metrics the program validates with (each
 * distinct metric once), without optimizing anything.
 */
export async function evaluateProgram(options: EvaluateOptions): Promise<EvaluateResult> {
  const { graph } = options;
  const ctx = runtimeContext(options, options.emit);
  const data = graph.data.get(options.dataset);
  if (!data) throw new Error(`evaluateProgram: no data set '${options.dataset}' (the caller checks the name)`);
  const loaded = limitedLoad(options, data);
  if (loaded.diagnostics.length) return { status: "failed", diagnostics: loaded.diagnostics, reason: undefined };
  const metrics = new Map<NodeId, { optimizations: number[]; perExample: PerExampleValues | undefined }>();
  const add = (metric: NodeId, i: number, perExample: PerExampleValues | undefined) => {
    const m = metrics.get(metric) ?? { optimizations: [], perExample };
    m.optimizations.push(i);
    metrics.set(metric, m);
  };
  graph.optimizations.forEach((o, i) => {
    if (o.validate) add(o.validate.metric, i, undefined);
    // A test-time block's score on its own data: every example's values as a run left them, or as they start.
    if (o.score !== undefined && o.each === options.dataset) {
      const names = new Set([...perExampleNames(graph, o)].filter((n) => graph.variables.get(n)!.perExample));
      const given = options.exampleValues?.get(i);
      add(o.score, i, given ? { names, given } : { names });
    }
  });
  const values = new Map(options.values ?? []);
  try {
    await initialize(ctx, values);
    const out: MetricScores[] = [];
    for (const [metric, { optimizations, perExample }] of metrics) {
      const scores = await scoresOf(ctx, metric, loaded.examples, values, perExample);
      out.push({ label: graph.nodes[metric]!.label, range: graph.nodes[metric]!.range, optimizations, scores, mean: mean(scores) });
    }
    return { status: "completed", metrics: out, examples: loaded.examples.length };
  } catch (e) {
    if (options.signal?.aborted) return { status: "interrupted", diagnostics: [], reason: undefined };
    if (e instanceof BudgetExceeded) return { status: "budget", diagnostics: [], reason: e.message };
    if (e instanceof RuntimeFailure) {
      const range = e.range ?? data.range;
      return { status: "failed", diagnostics: [diagnostic(e.code, e.message, range, e.hint ? { hint: e.hint } : {})], reason: undefined };
    }
    throw e;
  }
}

export interface LossCheckOptions extends Pick<RunOptions, "graph" | "engines" | "natives" | "data" | "emit" | "signal" | "indexes" | "limit"> {
  /** The loss, as an optimization's objective over the reference data set. */
  readonly loss: NodeId;
  /** The data set of reference outputs: each example has `output` and `label` (good or bad). */
  readonly dataset: string;
  /** A verdict is "good" when the loss is at most this (0: it found nothing to fix). */
  readonly threshold: number;
}

export interface LossVerdict {
  readonly example: number;
  readonly label: "good" | "bad";
  readonly verdict: "good" | "bad";
  readonly loss: number | undefined;
  readonly critique: string;
}

export type LossCheckResult =
  | { readonly status: "completed"; readonly verdicts: readonly LossVerdict[] }
  | { readonly status: "failed" | "interrupted" | "budget"; readonly diagnostics: readonly Diagnostic[]; readonly reason: string | undefined };

/** The texts a loss judges: a rubric's evaluated texts, a rule's metric's first argument, a native loss's first. */
export function judgedBy(graph: Graph, loss: NodeId): NodeId[] | undefined {
  const n = graph.nodes[loss];
  if (n?.kind !== "loss") return undefined;
  switch (n.rule.kind) {
    case "rubric":
      return n.rule.targets.map((t) => t.node);
    case "unless": {
      const metric = graph.nodes[n.rule.metric];
      return metric?.kind === "metric" && metric.args.length ? [metric.args[0]!] : undefined;
    }
    case "native":
      return n.rule.args.length ? [n.rule.args[0]!] : undefined;
    default: {
      const never: never = n.rule;
      return never;
    }
  }
}

/**
 * `tgc check-loss`: the loss's verdict on each reference output, given in place of the text it judges (what
 * produced that text is not run), beside the output's label.
 */
export async function checkLoss(options: LossCheckOptions): Promise<LossCheckResult> {
  const { graph } = options;
  const ctx = runtimeContext(options, options.emit);
  const data = graph.data.get(options.dataset)!;
  const loaded = loadDataset(data, options.data, graph.data);
  const problems = [...loaded.diagnostics];
  loaded.examples.forEach((ex, i) => {
    const label = String(ex["label"] ?? "").trim().toLowerCase();
    if (ex["output"] === undefined) problems.push(diagnostic("TG4004", `reference example ${i + 1} has no field 'output' (the text the loss judges)`, data.range));
    if (ex["label"] === undefined) problems.push(diagnostic("TG4004", `reference example ${i + 1} has no field 'label' (good or bad)`, data.range));
    else if (label !== "good" && label !== "bad") problems.push(diagnostic("TG4003", `reference example ${i + 1}: 'label' must be good or bad, not ${JSON.stringify(ex["label"])}`, data.range));
  });
  if (problems.length) return { status: "failed", diagnostics: problems.slice(0, 20), reason: undefined };
  const judged = judgedBy(graph, options.loss)!;
  const values = new Map<string, string>();
  try {
    await initialize(ctx, values);
    const verdicts = await inOrder(
      ctx,
      loaded.examples.map((example, i) => async (c: RuntimeContext) => {
        const given: Values = new Map(judged.map((id) => [id, { kind: "text" as const, text: String(example["output"]) }]));
        const v = (await forward(c, [options.loss], { variables: values, example, sample: i }, given)).get(options.loss);
        const loss = v?.kind === "loss" ? v.loss : undefined;
        const verdict: "good" | "bad" = loss !== undefined && loss <= options.threshold ? "good" : "bad";
        return { example: i, label: String(example["label"]).trim().toLowerCase() as "good" | "bad", verdict, loss, critique: v?.kind === "loss" ? v.text : "" };
      }),
    );
    return { status: "completed", verdicts };
  } catch (e) {
    if (options.signal?.aborted) return { status: "interrupted", diagnostics: [], reason: undefined };
    if (e instanceof BudgetExceeded) return { status: "budget", diagnostics: [], reason: e.message };
    if (e instanceof RuntimeFailure) return { status: "failed", diagnostics: [diagnostic(e.code, e.message, e.range ?? data.range, e.hint ? { hint: e.hint } : {})], reason: undefined };
    throw e;
  }
}
