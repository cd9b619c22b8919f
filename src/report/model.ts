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
  readonly step: number;
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
        if (!initial.has(e.name)) initial.set(e.name, e.value);
        values.set(e.name, e.value);
        break;
      case "step_started":
        if (current && !current.finished) close(current);
        current = {
          x: steps.length + 1,
          optimization: e.optimization,
          step: e.step,
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
        votes.push(e);
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
    values: finalValues.size ? finalValues : values,
    resumes,
    calls: final?.usage?.total.calls ?? usage?.total.calls ?? calls,
    cutShort: run.cutShort,
    hasCheckpoint: run.hasCheckpoint,
    votes,
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
