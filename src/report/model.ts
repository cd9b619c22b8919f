// What a run did, step by step, gathered from its events: the shape the report draws and `tgc runs` lists.
import type { Totals, UsageSnapshot } from "../engines/cost.js";
import type { RunEvent } from "../runtime/events.js";
import type { RunFiles } from "./read.js";

type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** A trainable variable in one step: its value before and after, and why it did not change if it did not. */
export interface VariableStep {
  readonly name: string;
  readonly before: string;
  /** The value the step proposed, when it proposed one. */
  readonly proposed: string | undefined;
  /** The value the step ended with (the previous one again when validation reverted the update). */
  readonly after: string;
  readonly reverted: boolean;
  readonly skipped: string | undefined;
}

export interface StepRecord {
  /** Position on the chart's axis: 1 for the first step of the run, counting on across optimize blocks. */
  readonly x: number;
  readonly optimization: number;
  /** The step number within its optimization, or within its example's (`each:`), where steps count from 1 again. */
  readonly step: number;
  /** The data set index of the example whose own optimization this step is (`each:`), else undefined. */
  readonly example: number | undefined;
  readonly epoch: number | undefined;
  readonly examples: readonly number[];
  finished: boolean;
  loss: number | undefined;
  validation: EventOf<"validation"> | undefined;
  solved: boolean;
  /** The optimization ended after this step: validation had not improved for `patience` steps. */
  earlyStopped: EventOf<"early_stopped"> | undefined;
  readonly losses: EventOf<"loss">[];
  readonly gradients: EventOf<"gradient">[];
  readonly condensed: EventOf<"gradients_condensed">[];
  readonly updates: EventOf<"update">[];
  /** The whole-graph optimizer's calls (opto): what it was shown is in events.jsonl; its replies are shown here. */
  readonly proposals: EventOf<"call">[];
  /** The training examples' searches and agents' tool calls, before the step's update (validation's are left out). */
  readonly retrievals: EventOf<"retrieval">[];
  readonly agentSteps: (EventOf<"agent_step"> | EventOf<"agent_finished">)[];
  readonly skipped: EventOf<"update_skipped">[];
  variables: VariableStep[];
  calls: number;
}

/**
 * One example of a test-time optimization over a data set (`each:`): its variables start anew, take their own
 * steps (numbered from 1), may end in a vote, and are scored before and after.
 */
export interface ExampleRecord {
  readonly optimization: number;
  /** Its index in the data set (from 0, as the events and its steps' `examples` give it). */
  readonly example: number;
  /** How many examples the data set has. */
  readonly of: number;
  /** Its per-example variables' first values. */
  readonly initial: Map<string, string>;
  readonly steps: StepRecord[];
  readonly votes: EventOf<"vote">[];
  /** Its final values and scores; undefined while it is still going (or the run stopped inside it). */
  finished: EventOf<"example_finished"> | undefined;
}

/** An `each:` block at a glance: how many examples it optimized, the mean scores, and how many got better or worse. */
export interface EachSummary {
  readonly optimization: number;
  /** The data set's size. */
  readonly examples: number;
  /** Examples whose optimization finished. */
  readonly finished: number;
  /** Mean score of the finished examples' first values and of their final ones (undefined without `score:`). */
  readonly before: number | undefined;
  readonly after: number | undefined;
  readonly improved: number;
  readonly worse: number;
  readonly unchanged: number;
  /** The block ended (each_finished): its means are the run's own, not recomputed from the examples seen. */
  readonly complete: boolean;
}

export interface RunModel {
  readonly name: string;
  readonly program: string;
  /** How the run ended (final.json: completed, failed, interrupted, budget), or `incomplete`: still going, or killed (a checkpoint tells how far it got). */
  readonly status: string;
  readonly reason: string | undefined;
  readonly engines: EventOf<"run_started">["engines"];
  readonly initial: ReadonlyMap<string, string>;
  /** The trainable variables, in the order they were first seen. */
  readonly trainable: readonly string[];
  /** Validation before training (step 0), at the chart position it precedes. */
  readonly baselines: readonly { readonly x: number; readonly score: number }[];
  readonly steps: readonly StepRecord[];
  readonly usage: UsageSnapshot | undefined;
  readonly values: ReadonlyMap<string, string>;
  readonly resumes: number;
  readonly calls: number;
  readonly cutShort: boolean;
  readonly hasCheckpoint: boolean;
  /** Test-time optimizations' majority votes: each step's answer and the value chosen. */
  readonly votes: readonly EventOf<"vote">[];
  /** Test-time optimization over a data set: each example's own optimization, in the order they ran. Empty otherwise. */
  readonly examples: readonly ExampleRecord[];
  /** The `each:` blocks that ended, with their mean scores. */
  readonly eachFinished: readonly EventOf<"each_finished">[];
  /** Variables with one value per example: the page shows them per example, never as one final value. */
  readonly perExample: ReadonlySet<string>;
}

/** Trainable variables: the graph's, and any an update names (a run folder without a graph still shows them). */
function trainableOf(run: RunFiles): string[] {
  const names = new Set<string>();
  for (const n of run.graph?.nodes ?? []) if (n.kind === "variable" && n.trainable && n.name !== undefined) names.add(n.name);
  for (const e of run.events) if (e.type === "update" || e.type === "update_skipped") names.add(e.variable);
  return [...names];
}

export function buildModel(run: RunFiles, name: string): RunModel {
  const trainable = trainableOf(run);
  const values = new Map<string, string>();
  const initial = new Map<string, string>();
  const steps: StepRecord[] = [];
  const baselines: { x: number; score: number }[] = [];
  let started: EventOf<"run_started"> | undefined;
  let finished: EventOf<"run_finished"> | undefined;
  let usage: UsageSnapshot | undefined;
  let calls = 0;
  let current: StepRecord | undefined;
  const examples: ExampleRecord[] = [];
  const eachFinished: EventOf<"each_finished">[] = [];
  const perExample = new Set<string>();
  /** The example being optimized: from its example_started to its example_finished (a resume continues it). */
  let example: ExampleRecord | undefined;
  /** A step is training until its update: what runs after (validation) is not the step's own examples. */
  const training = (s: StepRecord) => !s.finished && s.updates.length === 0 && s.skipped.length === 0 && s.proposals.length === 0;

  const close = (s: StepRecord) => {
    s.variables = trainable.map((v) => {
      const update = s.updates.find((u) => u.variable === v);
      const before = update?.before ?? values.get(v) ?? initial.get(v) ?? "";
      const reverted = update !== undefined && s.validation?.reverted === true;
      const after = update === undefined || reverted ? before : update.after;
      values.set(v, after);
      return { name: v, before, proposed: update?.after, after, reverted, skipped: s.skipped.find((k) => k.variable === v)?.reason };
    });
  };

  const votes: EventOf<"vote">[] = [];
  // Events of kinds the report does not draw (and a newer tgc's) are passed over: a report of an older or newer
  // run folder shows what it can.
  for (const e of run.events) {
    switch (e.type) {
      case "run_started":
        started ??= e; // a resumed run starts again; the first start names the engines it ran with
        break;
      case "variable_initialized":
        // An example's own variables start before its first step; their first values are the example's, not the run's.
        if (example && example.steps.length === 0) {
          example.initial.set(e.name, e.value);
          perExample.add(e.name);
        } else if (!initial.has(e.name)) initial.set(e.name, e.value);
        values.set(e.name, e.value);
        break;
      case "example_started": {
        if (current && !current.finished) close(current);
        const last = examples.at(-1);
        // A resumed run may start the example it stopped in again: its record goes on.
        if (last && !last.finished && last.optimization === e.optimization && last.example === e.example) example = last;
        else {
          example = { optimization: e.optimization, example: e.example, of: e.examples, initial: new Map(), steps: [], votes: [], finished: undefined };
          examples.push(example);
        }
        break;
      }
      case "example_finished":
        if (example && example.optimization === e.optimization && example.example === e.example) example.finished = e;
        for (const n of Object.keys(e.values)) perExample.add(n);
        example = undefined;
        break;
      case "each_finished":
        eachFinished.push(e);
        break;
      case "step_started":
        if (current && !current.finished) close(current);
        current = {
          x: steps.length + 1,
          optimization: e.optimization,
          step: e.step,
          example: example?.example,
          epoch: e.epoch ?? undefined,
          examples: e.examples,
          finished: false,
          loss: undefined,
          validation: undefined,
          solved: false,
          earlyStopped: undefined,
          losses: [],
          gradients: [],
          condensed: [],
          updates: [],
          skipped: [],
          proposals: [],
          retrievals: [],
          agentSteps: [],
          variables: [],
          calls: 0,
        };
        steps.push(current);
        example?.steps.push(current);
        break;
      case "call":
        calls++;
        if (current && !current.finished) current.calls++;
        if (current && !current.finished && e.purpose === "propose") current.proposals.push(e);
        break;
      case "loss":
        current?.losses.push(e);
        break;
      case "retrieval":
        if (current && training(current)) current.retrievals.push(e);
        break;
      case "agent_step":
      case "agent_finished":
        if (current && training(current)) current.agentSteps.push(e);
        break;
      case "gradient":
        current?.gradients.push(e);
        break;
      case "gradients_condensed":
        current?.condensed.push(e);
        break;
      case "update":
        current?.updates.push(e);
        break;
      case "update_skipped":
        current?.skipped.push(e);
        break;
      case "validation":
        if (e.step === 0) baselines.push({ x: steps.length, score: e.score });
        else if (current) current.validation = e;
        break;
      case "step_finished":
        if (current && !current.finished) {
          current.loss = e.loss ?? undefined;
          close(current);
          current.finished = true;
        }
        break;
      case "solved":
        if (current) current.solved = true;
        break;
      case "early_stopped":
        if (current) current.earlyStopped = e;
        break;
      case "vote":
        if (example) example.votes.push(e);
        else votes.push(e);
        break;
      case "usage":
        usage = e.usage;
        break;
      case "run_finished":
        finished = e;
        break;
      default:
        break;
    }
  }
  if (current && !current.finished) close(current);

  const final = run.final;
  // Only final.json says a run ended: without it, the run is still going or was killed (no way to tell which).
  const status = final?.status ?? "incomplete";
  const finalValues = new Map(Object.entries(final?.values ?? finished?.values ?? {}));
  const resumes = Array.isArray(run.config["resumes"]) ? run.config["resumes"].length : 0;
  return {
    name,
    program: started?.program ?? (typeof run.config["program"] === "string" ? run.config["program"] : name),
    status,
    reason: finished?.reason,
    engines: started?.engines ?? [],
    initial,
    trainable,
    baselines,
    steps,
    usage: final?.usage ?? usage,
    // An each run's final values hold no per-example variable; the running values would be the last example's.
    values: new Map([...(finalValues.size ? finalValues : values)].filter(([n]) => !perExample.has(n))),
    resumes,
    calls: final?.usage?.total.calls ?? usage?.total.calls ?? calls,
    cutShort: run.cutShort,
    hasCheckpoint: run.hasCheckpoint,
    votes,
    examples,
    eachFinished,
    perExample,
  };
}

/** The best validation score a run reached, if it validated. */
export function bestValidation(model: RunModel): number | undefined {
  const scores = [...model.baselines.map((b) => b.score), ...model.steps.flatMap((s) => (s.validation ? [s.validation.best] : []))];
  return scores.length ? Math.max(...scores) : undefined;
}

/** The loss of the last step that finished. */
export function lastLoss(model: RunModel): number | undefined {
  return model.steps.filter((s) => s.finished && s.loss !== undefined).at(-1)?.loss;
}

/** The last validation score (which keep-best may have rejected). */
export function lastValidation(model: RunModel): number | undefined {
  return model.steps.flatMap((s) => (s.validation ? [s.validation.score] : [])).at(-1) ?? model.baselines.at(-1)?.score;
}

export const stepsDone = (model: RunModel) => model.steps.filter((s) => s.finished).length;

export const totals = (model: RunModel): Totals | undefined => model.usage?.total;

/** Each `each:` block's examples summed up, in the order the blocks ran (none for an ordinary run). */
export function eachSummaries(model: RunModel): EachSummary[] {
  const blocks = [...new Set(model.examples.map((x) => x.optimization))];
  return blocks.map((optimization) => {
    const records = model.examples.filter((x) => x.optimization === optimization);
    const done = records.flatMap((x) => (x.finished ? [x.finished] : []));
    const end = model.eachFinished.find((e) => e.optimization === optimization);
    // A score is a number or absent (JSON has no undefined; an older writer may have written null).
    const score = (n: number | undefined | null) => (typeof n === "number" ? n : undefined);
    const scored = done.filter((d) => score(d.before) !== undefined || score(d.after) !== undefined);
    // Without each_finished (a run stopped inside the block) the means are the finished examples', as the runtime
    // computes them: an example without a score counts 0.
    const mean = (k: "before" | "after") => (scored.length ? done.reduce((sum, d) => sum + (score(d[k]) ?? 0), 0) / done.length : undefined);
    const delta = (d: EventOf<"example_finished">) => (score(d.after) ?? 0) - (score(d.before) ?? 0);
    return {
      optimization,
      examples: records[0]!.of,
      finished: done.length,
      before: end ? score(end.before) : mean("before"),
      after: end ? score(end.after) : mean("after"),
      improved: scored.filter((d) => delta(d) > 0).length,
      worse: scored.filter((d) => delta(d) < 0).length,
      unchanged: scored.filter((d) => delta(d) === 0).length,
      complete: end !== undefined,
    };
  });
}
