// What a run will ask of its engines, before it asks: calls and tokens per engine and phase, counted from the
// graph, the data sets' sizes and the schedule the run will follow. Counts of calls follow the runtime's own rules
// (every step's examples forward, each loss, a backward message per edge that carries a gradient, an update per
// variable, validation before and after each step); tokens are estimated from the texts' lengths (4 characters a
// token) with assumed reply lengths. Not counted: re-asks of malformed replies, retries, early stopping, and
// replies the cache would serve. Pricing is the caller's (the engines know prices; the runtime does not).
import { dependsOnTrainable, subgraph, type Graph, type GraphNode, type NodeId, type Optimization } from "../ir/graph.js";
import type { Example } from "./data.js";
import { perExampleNames, schedule } from "./schedule.js";

/** Assumed reply lengths, in tokens, where a call sets no max_tokens. */
export const ASSUMED_REPLY_TOKENS = { forward: 300, agent: 150, loss: 250, backward: 300, update: 100, propose: 300 } as const;
/** The instructions each optimizer prompt adds around what it shows, in tokens (docs/prompts.md). */
const PROMPT_OVERHEAD = { loss: 150, backward: 350, update: 450, propose: 500 } as const;

export type EstimatePhase = "initialization" | "forward" | "agent" | "loss" | "backward" | "update" | "propose" | "validation";

export interface EstimatedUse {
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/** Per engine (program name), per phase. */
export type RunEstimate = Map<string, Map<EstimatePhase, EstimatedUse>>;

const tokens = (chars: number) => Math.ceil(chars / 4);

class Estimator {
  readonly out: RunEstimate = new Map();
  private readonly needs: ReadonlySet<NodeId>;

  constructor(readonly graph: Graph) {
    this.needs = dependsOnTrainable(graph);
  }

  add(engine: string, phase: EstimatePhase, calls: number, inputTokens: number, outputTokens: number): void {
    const byPhase = this.out.get(engine) ?? new Map<EstimatePhase, EstimatedUse>();
    const u = byPhase.get(phase) ?? { calls: 0, inputTokens: 0, outputTokens: 0 };
    u.calls += calls;
    u.inputTokens += inputTokens;
    u.outputTokens += outputTokens;
    byPhase.set(phase, u);
    this.out.set(engine, byPhase);
  }

  /** A variable's length: what its initializer gives (its text, or an assumed reply; a per-example one's fields). */
  variableLength(name: string, fields: ReadonlyMap<string, number> = new Map()): number {
    const info = this.graph.variables.get(name);
    return info ? this.length(info.init, info.perExample ? fields : new Map()) : 0;
  }

  /** A node's value's length in characters: known texts as they are, examples' fields at their mean, replies assumed. */
  length(id: NodeId, fields: ReadonlyMap<string, number>): number {
    const n = this.graph.nodes[id]!;
    switch (n.kind) {
      case "variable":
        return this.variableLength(n.name, fields);
      case "input":
        return fields.get(n.field) ?? 0;
      case "template":
        return n.parts.reduce((a, p) => a + ("text" in p ? p.text.length : this.length(p.node, fields)), 0);
      case "llm_call":
        return (n.options.max_tokens ?? ASSUMED_REPLY_TOKENS.forward) * 4;
      case "agent":
        return (ASSUMED_REPLY_TOKENS.agent + 100 * Math.min(n.maxSteps, 3)) * 4;
      case "retrieve":
        return n.k * (this.graph.corpora.get(n.corpus)?.chunk ?? 200) * 6;
      case "loss":
        return ASSUMED_REPLY_TOKENS.loss * 4;
      case "answer":
      case "native_call":
      case "tool_argument":
        return 400;
      case "metric":
        return 1;
      case "sum":
        return n.terms.reduce((a, t) => a + this.length(t.node, fields), 0);
      default: {
        const never: never = n;
        return never;
      }
    }
  }

  /** One forward pass over the nodes `roots` need, for one example: the calls it makes, by phase. */
  forward(roots: readonly NodeId[], fields: ReadonlyMap<string, number>, phase: "forward" | "validation" | "initialization", times: number): void {
    if (times === 0) return;
    for (const id of subgraph(this.graph, roots)) this.node(this.graph.nodes[id]!, fields, phase, times);
  }

  private node(n: GraphNode, fields: ReadonlyMap<string, number>, phase: "forward" | "validation" | "initialization", times: number): void {
    const len = (id: NodeId) => this.length(id, fields);
    switch (n.kind) {
      case "llm_call": {
        const input = tokens((n.system === undefined ? 0 : len(n.system)) + len(n.user));
        this.add(n.engine, phase, times, input * times, (n.options.max_tokens ?? ASSUMED_REPLY_TOKENS.forward) * times);
        return;
      }
      case "agent": {
        // An agent's turns: assumed as many as its tool calls (up to 3) plus the answer, each resending the conversation.
        const turns = Math.min(n.maxSteps, 3) + 1;
        const base = tokens((n.system === undefined ? 0 : len(n.system)) + len(n.user)) + 60 * n.tools.length;
        const input = Array.from({ length: turns }, (_, t) => base + t * 150).reduce((a, b) => a + b, 0);
        this.add(n.engine, phase === "forward" ? "agent" : phase, turns * times, input * times, ASSUMED_REPLY_TOKENS.agent * turns * times);
        return;
      }
      case "loss":
        if (n.rule.kind === "rubric") {
          const input = PROMPT_OVERHEAD.loss + tokens([...n.rule.targets, ...n.rule.context].reduce((a, t) => a + len(t.node), 0) + len(n.rule.criteria));
          this.add(n.rule.engine, phase === "forward" ? "loss" : phase, times, input * times, ASSUMED_REPLY_TOKENS.loss * times);
        }
        return;
      default:
        return;
    }
  }

  /** The backward messages one example sends: one per edge to an input that can take a gradient (templates seen through). */
  backward(objective: NodeId, engine: string, fields: ReadonlyMap<string, number>, times: number): void {
    const len = (id: NodeId) => this.length(id, fields);
    const sources = (id: NodeId): NodeId[] => {
      const n = this.graph.nodes[id]!;
      if (n.kind !== "template") return this.needs.has(id) ? [id] : [];
      return [...new Set(n.parts.flatMap((p) => ("node" in p ? sources(p.node) : [])))];
    };
    // Which inputs each kind of node sends a message to, as backward.ts decides.
    const receivers = (n: GraphNode): NodeId[] => {
      switch (n.kind) {
        case "loss": {
          const r = n.rule;
          if (r.kind === "rubric") return [...r.targets, ...r.context].map((t) => t.node);
          if (r.kind === "native") return [...r.args];
          const metric = this.graph.nodes[r.metric]!;
          return metric.kind === "metric" ? [...metric.args] : [];
        }
        case "llm_call":
        case "agent":
          return [...(n.system !== undefined ? [n.system] : []), n.user];
        case "native_call":
          return [...n.args];
        case "retrieve":
          return [n.query];
        default:
          // Sums pass weights on, an agent's answer passes its feedback to the agent, templates are seen through.
          return [];
      }
    };
    for (const id of subgraph(this.graph, [objective]).filter((x) => this.needs.has(x))) {
      for (const to of new Set(receivers(this.graph.nodes[id]!).flatMap(sources))) {
        const input = PROMPT_OVERHEAD.backward + tokens(len(to) + len(id)) + ASSUMED_REPLY_TOKENS.loss;
        this.add(engine, "backward", times, input * times, ASSUMED_REPLY_TOKENS.backward * times);
      }
    }
  }
}

/** The mean length of each field over a data set's examples. */
function fieldLengths(examples: readonly Example[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!examples?.length) return out;
  for (const ex of examples) for (const [k, v] of Object.entries(ex)) out.set(k, (out.get(k) ?? 0) + String(v).length);
  for (const [k, v] of out) out.set(k, v / examples.length);
  return out;
}

/**
 * The calls and tokens a run of the program would make: its variables' initializers, then each optimize block's
 * steps (as `runProgram` schedules them over the data given) with validation before and after each.
 */
export function estimateRun(graph: Graph, datasets: ReadonlyMap<string, readonly Example[]>): RunEstimate {
  const e = new Estimator(graph);
  for (const v of graph.variables.values()) if (!v.perExample) e.forward([v.init], new Map(), "initialization", 1);
  for (const o of graph.optimizations) estimateOptimization(e, o, datasets);
  return e.out;
}

/** The calls of scoring a data set once with an optimization's validation metric (`tgc eval`, a bench's test set). */
export function estimateScoring(graph: Graph, o: Optimization, examples: readonly Example[]): RunEstimate {
  const e = new Estimator(graph);
  if (o.validate) e.forward([o.validate.metric], fieldLengths(examples), "validation", examples.length);
  return e.out;
}

function estimateOptimization(e: Estimator, o: Optimization, datasets: ReadonlyMap<string, readonly Example[]>): void {
  if (o.each !== undefined) return estimateEach(e, o, datasets.get(o.each) ?? []);
  const data = o.data === undefined ? undefined : (datasets.get(o.data) as Example[] | undefined);
  const steps = schedule(o, data);
  const examples = steps.reduce((a, s) => a + s.examples.length, 0);
  const fields = fieldLengths(data);
  e.forward([o.objective], fields, "forward", examples);
  if (o.optimizer.kind === "tgd") e.backward(o.objective, o.optimizer.engine, fields, examples);
  updates(
    e,
    o,
    steps.map((s) => s.examples.length),
    fields,
  );
  if (o.validate) {
    const val = datasets.get(o.validate.data) ?? [];
    // Before the first step and after each; a step that changed nothing is not scored again, which this counts anyway.
    e.forward([o.validate.metric], fieldLengths(val), "validation", val.length * (steps.length + 1));
  }
}

/**
 * Test-time optimization over a data set: every example's variables initialized, its steps taken on it alone,
 * its first and final values scored, and the vote's reading of each step's value.
 */
function estimateEach(e: Estimator, o: Optimization, examples: readonly Example[]): void {
  const n = examples.length;
  const steps = schedule(o, undefined).length;
  const fields = fieldLengths(examples);
  for (const name of perExampleNames(e.graph, o)) {
    const v = e.graph.variables.get(name)!;
    if (v.perExample) e.forward([v.init], fields, "initialization", n);
  }
  e.forward([o.objective], fields, "forward", n * steps);
  if (o.optimizer.kind === "tgd") e.backward(o.objective, o.optimizer.engine, fields, n * steps);
  updates(e, o, new Array<number>(n * steps).fill(1), fields);
  if (o.score !== undefined) e.forward([o.score], fields, "validation", 2 * n);
  if (o.vote !== undefined) e.forward([o.vote], fields, "validation", n * (steps + 1));
}

/** The optimizer's calls: one update per target per step (TGD), or one proposal per step; `batches` is each step's examples. */
function updates(e: Estimator, o: Optimization, batches: readonly number[], fields: ReadonlyMap<string, number>): void {
  if (o.optimizer.kind === "tgd") {
    for (const t of o.targets) {
      const size = tokens(e.variableLength(t, fields));
      for (const b of batches) {
        const input = PROMPT_OVERHEAD.update + size * (1 + o.optimizer.momentum) + b * ASSUMED_REPLY_TOKENS.backward;
        e.add(o.optimizer.engine, "update", 1, input, size + ASSUMED_REPLY_TOKENS.update);
      }
    }
  } else {
    const variableTokens = o.targets.reduce((a, t) => a + tokens(e.variableLength(t, fields)), 0);
    for (const b of batches) {
      const input = PROMPT_OVERHEAD.propose + variableTokens + b * (ASSUMED_REPLY_TOKENS.forward + ASSUMED_REPLY_TOKENS.loss) * 2;
      e.add(o.optimizer.engine, "propose", 1, input, variableTokens + ASSUMED_REPLY_TOKENS.propose);
    }
  }
}

/** Adds estimates together (a bench's phases). */
export function addEstimates(...all: readonly RunEstimate[]): RunEstimate {
  const out: RunEstimate = new Map();
  for (const est of all) {
    for (const [engine, phases] of est) {
      const into = out.get(engine) ?? new Map<EstimatePhase, EstimatedUse>();
      for (const [phase, u] of phases) {
        const t = into.get(phase) ?? { calls: 0, inputTokens: 0, outputTokens: 0 };
        into.set(phase, { calls: t.calls + u.calls, inputTokens: t.inputTokens + u.inputTokens, outputTokens: t.outputTokens + u.outputTokens });
      }
      out.set(engine, into);
    }
  }
  return out;
}
