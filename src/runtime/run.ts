// Running a program: initialize variables, then for each optimize block and each step: forward over the
// step's examples, losses, backward, one TGD update per variable, validation with keep-best; or, for a block with
// each:, every example's own steps from its own start. After initialization and after each step the run's state goes
// to the checkpoint sink; a run resumed from a checkpoint skips what it records as done and continues with it.
import { createHash } from "node:crypto";
import { diagnostic, type Diagnostic, type Range } from "../diagnostics/diagnostic.js";
import type { UsageSnapshot } from "../engines/cost.js";
import { BudgetExceeded, type Engine } from "../engines/engine.js";
import { subgraph, type DataConfig, type Graph, type NodeId, type Optimization, type VariableInfo } from "../ir/graph.js";
import { backward, type Gradient } from "./backward.js";
import type { Checkpoint, CheckpointSink, ExampleResult } from "./checkpoint.js";
import { RuntimeFailure, type RuntimeContext } from "./context.js";
import { loadDataset, type DataHost, type Example, type Loaded } from "./data.js";
import type { EventSink, RunEvent } from "./events.js";
import { forward, type Values } from "./forward.js";
import { inOrder } from "./ordered.js";
import type { NativeRegistry } from "./natives.js";
import { WholeGraphOptimizer } from "./opto.js";
import { Retrieval, type IndexStore } from "./retrieval.js";
import { perExampleNames, schedule } from "./schedule.js";
import { TextualGradientDescent } from "./tgd.js";

export interface RunOptions {
  readonly graph: Graph;
  readonly engines: ReadonlyMap<string, Engine>;
  readonly natives: NativeRegistry;
  readonly data: DataHost;
  readonly emit: EventSink;
  /** A name for the program in events (its path, usually). */
  readonly program: string;
  readonly signal?: AbortSignal;
  /** Tokens and cost so far, reported after each step (the CLI's meter). */
  readonly usage?: () => UsageSnapshot;
  /**
   * Send a batch's first example through alone before the others, so providers have cached the prompt prefix the
   * examples share when the rest arrive: a little latency for less money.
   */
  readonly warmCache?: boolean;
  /** Receives the run's state after initialization and after every step. */
  readonly checkpoint?: CheckpointSink;
  /** Continue from this checkpoint: the events before it were emitted by the run that wrote it. */
  readonly resume?: Checkpoint;
  /** Where corpora's indexes are kept between runs; without one, each run builds them. */
  readonly indexes?: IndexStore;
  /** Use at most this many examples of each data set (after splitting): a quick, cheap run of a large protocol. */
  readonly limit?: number;
}

/** A data set's examples, read and split, cut to the run's limit. */
export function limitedLoad(options: Pick<RunOptions, "graph" | "data" | "limit">, config: DataConfig, read?: Map<string, Loaded>): Loaded {
  const loaded = loadDataset(config, options.data, options.graph.data, read);
  return options.limit === undefined ? loaded : { ...loaded, examples: loaded.examples.slice(0, options.limit) };
}

/** What every part of a run shares, from the options any of the run's entry points take. */
export function runtimeContext(options: Pick<RunOptions, "graph" | "engines" | "natives" | "data" | "signal" | "indexes">, emit: EventSink): RuntimeContext {
  const { graph, engines, natives, signal } = options;
  return { graph, engines, natives, emit, signal, retrieval: new Retrieval(graph.corpora, options.data, options.indexes, engines) };
}

export interface RunResult {
  readonly status: "completed" | "failed" | "interrupted" | "budget";
  readonly values: ReadonlyMap<string, string>;
  /**
   * The examples' results of each `each:` block this call ran or resumed, by the block's index: test-time
   * optimization has values per example, which `values` (one per variable) cannot hold.
   */
  readonly examples: ReadonlyMap<number, readonly ExampleResult[]>;
  readonly diagnostics: readonly Diagnostic[];
}

class Interrupted extends Error {}

export async function runProgram(options: RunOptions): Promise<RunResult> {
  const { graph, resume } = options;
  let emitted = resume?.events ?? 0;
  const emit = (e: RunEvent) => {
    emitted++;
    options.emit(e);
  };
  const ctx = runtimeContext(options, emit);
  const values = new Map<string, string>(Object.entries(resume?.values ?? {}));
  const results: EachResults = new Map();
  const finish = (status: RunResult["status"], diagnostics: Diagnostic[] = [], reason?: string): RunResult => {
    if (options.usage) emit({ type: "usage", step: undefined, usage: options.usage() });
    emit({ type: "run_finished", status, values: Object.fromEntries(values), ...(reason ? { reason } : {}) });
    return { status, values, diagnostics, examples: results };
  };

  if (!resume) {
    emit({
      type: "run_started",
      program: options.program,
      engines: [...graph.engines.keys()].map((name) => {
        const e = options.engines.get(name);
        return { name, id: e?.id ?? "?", simulated: e?.simulated ?? false };
      }),
    });
  }

  // Every data set is read before the first call, so a bad file costs nothing.
  const datasets = new Map<string, Example[]>();
  const problems: Diagnostic[] = [];
  const read = new Map<string, Loaded>();
  for (const o of graph.optimizations) {
    for (const name of [o.data, o.validate?.data, o.each]) {
      if (name === undefined || datasets.has(name)) continue;
      const loaded = limitedLoad(options, graph.data.get(name)!, read);
      // The parts of one split share a problem with their sizes: it is reported once.
      for (const d of loaded.diagnostics) if (!problems.some((p) => p.code === d.code && p.message === d.message)) problems.push(d);
      datasets.set(name, loaded.examples);
    }
  }
  const digests = Object.fromEntries([...datasets].map(([name, examples]) => [name, createHash("sha256").update(JSON.stringify(examples)).digest("hex")]));
  for (const [name, digest] of Object.entries(resume?.datasets ?? {})) {
    if (digests[name] !== digest) {
      const d = graph.data.get(name);
      problems.push(
        diagnostic("TG4008", `the data set '${name}' changed since the run began, so the run cannot continue as it was`, d?.range ?? { file: options.program, start: 0, end: 0 }, {
          hint: "restore the data the run started with, or start a new run",
        }),
      );
    }
  }
  if (problems.length) return finish("failed", problems, problems.map((d) => `${d.code}: ${d.message}`).join("; "));

  const save = (state: Omit<Checkpoint, "version" | "events" | "values" | "datasets" | "usage">) =>
    options.checkpoint?.({ version: 1, events: emitted, values: Object.fromEntries(values), datasets: digests, usage: options.usage?.(), ...state });

  // Where a failure outside any node (an update, say) is reported: the optimize block being run.
  let current: Range = graph.optimizations[0]?.range ?? { file: options.program, start: 0, end: 0 };
  try {
    if (!resume) {
      await initialize(ctx, values);
      save({ optimization: 0, step: 0, finished: false, optimizer: undefined, validation: undefined, voteHistory: [], data: undefined });
    }
    for (const [index, o] of graph.optimizations.entries()) {
      if (resume && (index < resume.optimization || (index === resume.optimization && resume.finished))) continue;
      current = o.range;
      const from = resume && index === resume.optimization ? resume : undefined;
      await optimize(ctx, o, index, values, datasets, options, from, save, results);
    }
    return finish("completed");
  } catch (e) {
    if (e instanceof Interrupted || options.signal?.aborted) return finish("interrupted");
    if (e instanceof BudgetExceeded) return finish("budget", [], e.message);
    if (e instanceof RuntimeFailure) return finish("failed", [diagnostic(e.code, e.message, e.range ?? current, e.hint ? { hint: e.hint } : {})], `${e.code}: ${e.message}`);
    throw e;
  }
}

/** The example bound in a test-time optimization's steps: the example itself, and its index in the data set. */
interface BoundExample {
  readonly example: Example;
  readonly sample: number;
}

/**
 * Evaluates initializers, each after the variables it reads. Without an example: every variable computed once (a
 * per-example one has no value yet), and variables already given a value keep it. With one: the named variables,
 * anew, for that example.
 */
export async function initialize(ctx: RuntimeContext, values: Map<string, string>, forExample?: BoundExample & { readonly names: ReadonlySet<string> }): Promise<void> {
  const { graph } = ctx;
  const pending = [...graph.variables.values()].filter((v) => (forExample ? forExample.names.has(v.name) : !v.perExample && !values.has(v.name)));
  if (forExample) for (const v of pending) values.delete(v.name);
  while (pending.length) {
    const ready = pending.findIndex((v) =>
      subgraph(graph, [v.init]).every((id) => {
        const n = graph.nodes[id]!;
        return n.kind !== "variable" || values.has(n.name);
      }),
    );
    const v = pending.splice(ready < 0 ? 0 : ready, 1)[0]!; // the checker rules out cycles
    const computed = await forward(ctx, [v.init], { variables: values, example: forExample?.example, sample: forExample?.sample });
    const init = computed.get(v.init);
    values.set(v.name, init?.kind === "text" ? init.text : init?.kind === "loss" ? init.text : String(init?.kind === "score" ? init.score : ""));
    ctx.emit({ type: "variable_initialized", name: v.name, value: values.get(v.name)! });
  }
}


/** An each: block's per-example variables, for scoring: each example's values where given, else computed as they start. */
export interface PerExampleValues {
  readonly names: ReadonlySet<string>;
  /** By the example's index in the data set: the values a run ended that example with. */
  readonly given?: ReadonlyMap<number, Readonly<Record<string, string>>>;
}

/** Each example's score by the metric; the examples are scored at once. */
export async function scoresOf(ctx: RuntimeContext, metric: NodeId, data: readonly Example[], values: ReadonlyMap<string, string>, perExample?: PerExampleValues): Promise<number[]> {
  return inOrder(
    ctx,
    data.map((example, sample) => async (c: RuntimeContext) => {
      let variables = values;
      if (perExample) {
        // Per-example values are the example's own: they go in a copy, never in the values every example shares.
        const own = new Map(values);
        const given = perExample.given?.get(sample);
        if (given) for (const [name, value] of Object.entries(given)) own.set(name, value);
        else if (perExample.names.size) await initialize(c, own, { example, sample, names: perExample.names });
        variables = own;
      }
      const v = (await forward(c, [metric], { variables, example, sample: undefined })).get(metric);
      return v?.kind === "score" ? v.score : 0;
    }),
  );
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The mean of the metric over the data. */
const validate = async (ctx: RuntimeContext, metric: NodeId, data: readonly Example[], values: ReadonlyMap<string, string>) =>
  mean(await scoresOf(ctx, metric, data, values));


type Save = (state: Omit<Checkpoint, "version" | "events" | "values" | "datasets" | "usage">) => void;

/** Results of the `each:` blocks run, by block index. */
type EachResults = Map<number, ExampleResult[]>;

async function optimize(
  ctx: RuntimeContext,
  o: Optimization,
  index: number,
  values: Map<string, string>,
  datasets: ReadonlyMap<string, Example[]>,
  options: RunOptions,
  from: Checkpoint | undefined,
  save: Save,
  results: EachResults,
): Promise<void> {
  if (o.each === undefined) return optimizeSteps(ctx, o, index, values, datasets, options, from, save, undefined);
  // With no data to shuffle, a seed other than 0 makes every call a sample of its own: runs with different seeds
  // (tgc run --repeat, tgc bench --seeds) then sample anew instead of being served the first run's replies.
  if (o.seed !== 0) ctx = { ...ctx, repetition: o.seed };
  const { graph, emit } = ctx;
  const examples = datasets.get(o.each)!;
  const names = perExampleNames(graph, o);
  const finished: ExampleResult[] = [...(from?.each?.finished ?? [])];
  results.set(index, finished);
  // A target declared without a parameter starts every example from the value it had before the block, and keeps it
  // after. Resumed inside an example, `values` hold that example's value of it: the start is the checkpoint's.
  const shared = new Map(
    from?.each?.shared
      ? Object.entries(from.each.shared)
      : [...names].flatMap((n) => (graph.variables.get(n)!.perExample ? [] : [[n, values.get(n)!] as const])),
  );
  const sharedStart = Object.fromEntries(shared);
  const restore = () => {
    for (const n of names) values.delete(n);
    for (const [n, v] of shared) values.set(n, v);
  };
  const scoreOf = async (example: Example, sample: number) => {
    if (o.score === undefined) return undefined;
    const v = (await forward(ctx, [o.score], { variables: values, example, sample })).get(o.score);
    return v?.kind === "score" ? v.score : 0;
  };
  for (let i = from?.each?.example ?? 0; i < examples.length; i++) {
    if (options.signal?.aborted) throw new Interrupted();
    const example = examples[i]!;
    // Resumed inside this example's optimization: its values and first score are the checkpoint's.
    const within = from?.each?.example === i && from.step > 0 ? from : undefined;
    let before: number | undefined;
    if (within) before = within.each!.before;
    else {
      emit({ type: "example_started", optimization: index, example: i, examples: examples.length });
      restore();
      await initialize(ctx, values, { example, sample: i, names: new Set([...names].filter((n) => !shared.has(n))) });
      before = await scoreOf(example, i);
    }
    const each = { example: i, before, finished: [...finished], shared: sharedStart };
    await optimizeSteps(ctx, o, index, values, datasets, options, within, (state) => save({ ...state, each }), { example, sample: i });
    const after = await scoreOf(example, i);
    const result: ExampleResult = { example: i, values: Object.fromEntries([...names].map((n) => [n, values.get(n)!])), before, after };
    finished.push(result);
    emit({ type: "example_finished", optimization: index, ...result });
    restore();
    // The next example starts anew: nothing of this one's optimizer state carries over.
    save({ optimization: index, step: 0, finished: false, optimizer: undefined, validation: undefined, voteHistory: [], data: undefined, each: { example: i + 1, before: undefined, finished: [...finished], shared: sharedStart } });
  }
  const meanOf = (k: "before" | "after") => (o.score === undefined ? undefined : mean(finished.map((r) => r[k] ?? 0)));
  emit({ type: "each_finished", optimization: index, examples: finished.length, before: meanOf("before"), after: meanOf("after") });
  save({ optimization: index, step: 0, finished: true, optimizer: undefined, validation: undefined, voteHistory: [], data: undefined, each: { example: examples.length, before: undefined, finished, shared: sharedStart } });
}

/**
 * An optimization's steps: over its data in batches, or without data for `steps` steps. With `forExample`, one example
 * of an `each:` block is bound in every step, and the last checkpoint is the block's to take.
 */
async function optimizeSteps(
  ctx: RuntimeContext,
  o: Optimization,
  index: number,
  values: Map<string, string>,
  datasets: ReadonlyMap<string, Example[]>,
  { signal, usage, warmCache }: RunOptions,
  from: Checkpoint | undefined,
  save: Save,
  forExample: BoundExample | undefined,
): Promise<void> {
  const { graph, emit } = ctx;
  const optimizer = o.optimizer.kind === "tgd" ? new TextualGradientDescent(o.optimizer) : new WholeGraphOptimizer(o.optimizer);
  const data = o.data === undefined ? undefined : datasets.get(o.data)!;
  const val = o.validate ? datasets.get(o.validate.data)! : undefined;
  const targets = o.targets.map((name) => graph.variables.get(name)!);
  const losses = subgraph(graph, [o.objective]).filter((id) => graph.nodes[id]!.kind === "loss");
  const steps = schedule(o, data);
  // A checkpoint at step 0 was taken before this optimization began: it starts as new.
  const resumed = from !== undefined && from.step > 0 ? from : undefined;

  /** Each step's value of the variable a vote chooses among, the initial one first. */
  const history: string[] = resumed ? [...resumed.voteHistory] : o.vote !== undefined ? [values.get(targets[0]!.name)!] : [];
  let best: number | undefined;
  /** The step whose values scored `best` (0: the initial values), for early stopping. */
  let bestStep = 0;
  /** The validation score of the variables' current values. */
  let current: number | undefined;
  let bestValues = new Map(targets.map((t) => [t.name, values.get(t.name)!]));
  if (resumed) {
    if (resumed.optimizer) optimizer.memory.restore(resumed.optimizer);
    if (resumed.validation) {
      ({ best, bestStep, current } = resumed.validation);
      bestValues = new Map(Object.entries(resumed.validation.bestValues));
    }
  } else {
    best = o.validate && val ? await validate(ctx, o.validate.metric, val, values) : undefined;
    current = best;
    if (best !== undefined) emit({ type: "validation", step: 0, score: best, best, reverted: false });
  }
  const checkpoint = (done: number, finished: boolean) => {
    const next = steps[done];
    save({
      optimization: index,
      step: done,
      finished,
      optimizer: optimizer.memory.snapshot(),
      validation: best === undefined || current === undefined ? undefined : { best, bestStep, current, bestValues: Object.fromEntries(bestValues) },
      voteHistory: history,
      data: data && next ? { seed: o.seed, epoch: next.epoch, next: next.examples.filter((x): x is number => x !== undefined) } : undefined,
    });
  };

  let done = resumed?.step ?? 0;
  for (const [i, step] of steps.entries()) {
    if (i < done) continue;
    if (signal?.aborted) throw new Interrupted();
    const n = i + 1;
    emit({
      type: "step_started",
      optimization: index,
      step: n,
      steps: steps.length,
      epoch: step.epoch,
      examples: forExample ? [forExample.sample] : step.examples.filter((x): x is number => x !== undefined),
    });
    // The step's examples go forward and backward at once; their events and gradients keep the examples' order.
    const perSample = await inOrder(
      ctx,
      step.examples.map((scheduled) => async (c: RuntimeContext) => {
        const sample = forExample ? forExample.sample : scheduled;
        const example = forExample ? forExample.example : sample === undefined ? undefined : data![sample];
        const forwardValues = await forward(c, [o.objective], { variables: values, example, sample });
        for (const id of losses) {
          const v = forwardValues.get(id);
          if (v?.kind === "loss") c.emit({ type: "loss", node: id, label: graph.nodes[id]!.label, sample, text: v.text, loss: v.loss });
        }
        const objective = forwardValues.get(o.objective);
        const loss = objective?.kind === "loss" ? objective.loss : undefined;
        // What the losses found to fix in this example: the whole-graph optimizer reads it with the execution.
        const feedback = losses.flatMap((id) => {
          const v = forwardValues.get(id);
          return v?.kind === "loss" && v.loss !== 0 && v.text.trim() ? [v.text] : [];
        });
        // The whole-graph optimizer makes no backward pass.
        const gradients = optimizer instanceof TextualGradientDescent ? await backward(c, o.objective, forwardValues, o.optimizer.engine, sample) : new Map<NodeId, Gradient[]>();
        return { loss, gradients, values: forwardValues, feedback };
      }),
      warmCache,
    );
    const totalLoss = perSample.every((r) => r.loss !== undefined) ? perSample.reduce((a, r) => a + r.loss!, 0) : undefined;
    // Solved: no example's loss found anything to fix, so no gradient reached any variable.
    const nothingToFix = (r: (typeof perSample)[number]) =>
      r.loss === 0 || (optimizer instanceof TextualGradientDescent ? [...r.gradients.values()].every((g) => g.length === 0) : r.feedback.length === 0);
    if (o.stopWhenSolved && perSample.every(nothingToFix)) {
      emit({ type: "solved", step: n });
      done = n;
      emit({ type: "step_finished", step: n, loss: totalLoss === undefined ? undefined : totalLoss / step.examples.length });
      if (o.vote !== undefined) history.push(values.get(targets[0]!.name)!);
      if (usage) emit({ type: "usage", step: n, usage: usage() });
      break;
    }
    // TGD: one update per variable from the batch's gradients (batch TGD); different variables are updated at once.
    // The whole-graph optimizer: one call for every variable.
    const updates = optimizer instanceof WholeGraphOptimizer ? await propose(ctx, optimizer, o.objective, targets, values, perSample, n) : await inOrder(
      ctx,
      targets.map((t) => async (c: RuntimeContext) => {
        const gradients: Gradient[] = perSample.flatMap((r) => r.gradients.get(t.node) ?? []);
        if (gradients.length === 0) {
          c.emit({ type: "update_skipped", variable: t.name, step: n, reason: "no gradient reached it: the loss found nothing to fix" });
          return undefined;
        }
        const before = values.get(t.name)!;
        const r = await optimizer.step(c, t.name, t.role, before, gradients);
        if (!("value" in r)) {
          c.emit({ type: "update_skipped", variable: t.name, step: n, reason: `no usable reply from the optimizer (the last one ${r.problem})` });
          return undefined;
        }
        const after = r.value;
        c.emit({ type: "update", variable: t.name, step: n, before, after });
        return after;
      }),
    );
    targets.forEach((t, i) => {
      const after = updates[i];
      if (after !== undefined) values.set(t.name, after);
    });
    if (o.validate && val && best !== undefined) {
      // Unchanged variables score what they scored: validating them again would pay for the same calls.
      const changed = updates.some((u) => u !== undefined);
      const score = changed ? await validate(ctx, o.validate.metric, val, values) : current!;
      current = score;
      let reverted = false;
      if (o.validate.keepBest && score < best) {
        targets.forEach((t, i) => {
          // Only a value this step proposed is rejected; an unchanged one is the best value itself.
          if (updates[i] !== undefined) optimizer.memory.reject(t.name, values.get(t.name)!, score);
          values.set(t.name, bestValues.get(t.name)!);
        });
        reverted = true;
        current = best;
      } else {
        if (score > best) bestStep = n;
        best = Math.max(best, score);
        bestValues = new Map(targets.map((t) => [t.name, values.get(t.name)!]));
      }
      emit({ type: "validation", step: n, score, best, reverted, ...(changed ? {} : { unchanged: true }) });
    }
    if (o.vote !== undefined) history.push(values.get(targets[0]!.name)!);
    emit({ type: "step_finished", step: n, loss: totalLoss === undefined ? undefined : totalLoss / step.examples.length });
    if (usage) emit({ type: "usage", step: n, usage: usage() });
    done = n;
    // Early stopping: the step is complete; the checkpoint after the loop records the optimization as finished.
    if (o.patience !== undefined && best !== undefined && n - bestStep >= o.patience) {
      emit({ type: "early_stopped", step: n, patience: o.patience, best, bestStep });
      break;
    }
    checkpoint(n, false);
  }
  if (o.vote !== undefined) await vote(ctx, o.vote, targets[0]!.name, history, values, forExample);
  if (!forExample) checkpoint(done, true);
}

/** The whole-graph optimizer's step: each target's new value, or undefined where it keeps its value. */
async function propose(
  ctx: RuntimeContext,
  optimizer: WholeGraphOptimizer,
  objective: NodeId,
  targets: readonly VariableInfo[],
  values: ReadonlyMap<string, string>,
  samples: readonly { readonly values: Values; readonly feedback: readonly string[] }[],
  step: number,
): Promise<(string | undefined)[]> {
  const skip = (reason: string) => {
    for (const t of targets) ctx.emit({ type: "update_skipped", variable: t.name, step, reason });
    return targets.map(() => undefined);
  };
  if (samples.every((s) => s.feedback.length === 0)) return skip("the losses found nothing to fix");
  const r = await optimizer.step(ctx, objective, targets, values, samples);
  if (!("value" in r)) return skip(`no usable reply from the optimizer (the last one ${r.problem})`);
  const proposals = r.value;
  return targets.map((t) => {
    const before = values.get(t.name)!;
    const after = proposals.get(t.name);
    if (after === undefined || after === before) {
      ctx.emit({ type: "update_skipped", variable: t.name, step, reason: "the optimizer proposed no change to it" });
      return undefined;
    }
    ctx.emit({ type: "update", variable: t.name, step, before, after });
    return after;
  });
}

/**
 * Majority vote over the values of the steps (the paper's test-time solution optimization): each value's answer
 * is read by the vote expression; the variable ends as the latest value that gave the most common answer.
 */
async function vote(
  ctx: RuntimeContext,
  expr: NodeId,
  name: string,
  history: readonly string[],
  values: Map<string, string>,
  forExample: BoundExample | undefined,
): Promise<void> {
  const answers = await inOrder(
    ctx,
    history.map((value) => async (c: RuntimeContext) => {
      const v = (await forward(c, [expr], { variables: new Map([...values, [name, value]]), example: forExample?.example, sample: forExample?.sample })).get(expr);
      return (v?.kind === "text" ? v.text : v?.kind === "score" ? String(v.score) : "").trim();
    }),
  );
  const counts = new Map<string, number>();
  for (const a of answers) if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  // The most common answer; on a tie, the one given latest.
  let winner: string | undefined;
  for (let i = answers.length - 1; i >= 0; i--) {
    const a = answers[i]!;
    if (a && (winner === undefined || counts.get(a)! > counts.get(winner)!)) winner = a;
  }
  const chosenStep = winner === undefined ? history.length - 1 : answers.lastIndexOf(winner);
  values.set(name, history[chosenStep]!);
  ctx.emit({ type: "vote", variable: name, answers: answers.map((answer, step) => ({ step, answer })), winner, chosenStep });
}
