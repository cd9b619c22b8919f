// The computation graph: what a program computes, as typed nodes with roles and source ranges.
// Node ids are assigned in creation order, and lowering creates a node's inputs before the node,
// so ascending id order is a topological order and descending id order is the backward order.
import type { Range } from "../diagnostics/diagnostic.js";

export type NodeId = number;

interface NodeBase {
  readonly id: NodeId;
  /** What this value is, in words the backward pass uses ("system prompt that steers the model's reasoning"). */
  readonly role: string;
  /** A short name for graphs and logs ("call student", "ex.question"). */
  readonly label: string;
  readonly range: Range;
  /** The user function this node was lowered from, if any, for grouping in drawings and messages. */
  readonly fn: string | undefined;
}

export type TemplatePart = { readonly text: string } | { readonly node: NodeId };

/**
 * Sampling options as a program writes them. The same shape as the engines' `SamplingOptions`: the runtime hands
 * one over as the other, so that neither the graph nor the engines need to know of each other.
 */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly top_p?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
}

export type LossRule =
  | {
      readonly kind: "rubric";
      readonly engine: string;
      readonly targets: readonly { readonly label: string; readonly node: NodeId }[];
      readonly context: readonly { readonly label: string; readonly node: NodeId }[];
      readonly criteria: NodeId;
    }
  /** `"feedback" unless metric(...)`: the feedback is the critique when the metric is below 1. */
  | { readonly kind: "unless"; readonly metric: NodeId; readonly feedback: NodeId }
  /** A loss computed by native code (tests run in a sandbox, say): its critique goes to the texts it was given. */
  | { readonly kind: "native"; readonly module: string; readonly native: string; readonly args: readonly NodeId[] };

export type GraphNode =
  | (NodeBase & { readonly kind: "variable"; readonly name: string; readonly trainable: boolean })
  | (NodeBase & { readonly kind: "input"; readonly field: string })
  | (NodeBase & { readonly kind: "template"; readonly parts: readonly TemplatePart[] })
  | (NodeBase & {
      readonly kind: "llm_call";
      readonly engine: string;
      readonly system: NodeId | undefined;
      readonly user: NodeId;
      readonly options: SamplingOptions;
    })
  /** The k passages of a corpus that best match the query, best first. */
  | (NodeBase & { readonly kind: "retrieve"; readonly corpus: string; readonly query: NodeId; readonly k: number })
  /**
   * An agent: the engine is offered the tools and calls them until it answers or runs out of steps. Its value is
   * the trajectory. The tools' own nodes are not its inputs: they run inside the agent's loop, with their
   * parameters set to the arguments of each call.
   */
  | (NodeBase & {
      readonly kind: "agent";
      readonly engine: string;
      readonly system: NodeId | undefined;
      readonly user: NodeId;
      readonly tools: readonly Tool[];
      readonly maxSteps: number;
      readonly options: SamplingOptions;
    })
  /** The final answer of an agent's trajectory (`.answer`). */
  | (NodeBase & { readonly kind: "answer"; readonly agent: NodeId })
  /** A parameter of a tool: set to an argument of the call being run, never computed. */
  | (NodeBase & { readonly kind: "tool_argument"; readonly tool: string; readonly name: string })
  | (NodeBase & { readonly kind: "native_call"; readonly module: string; readonly native: string; readonly args: readonly NodeId[] })
  | (NodeBase & { readonly kind: "metric"; readonly module: string; readonly native: string; readonly args: readonly NodeId[] })
  | (NodeBase & { readonly kind: "loss"; readonly rule: LossRule })
  | (NodeBase & { readonly kind: "sum"; readonly terms: readonly { readonly node: NodeId; readonly weight: number }[] });

export type NodeKind = GraphNode["kind"];

/** A function an agent may call: its parameters (each a `tool_argument` node) and the node that computes its result. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly { readonly name: string; readonly type: "text" | "number" | "bool"; readonly node: NodeId }[];
  readonly result: NodeId;
}

/** Documents to retrieve from, cut into passages of `chunk` words that repeat `overlap` words of the one before. */
export interface CorpusConfig {
  readonly name: string;
  /** `files`: a path or glob, each file a document; `jsonl`: a file, each record a document. */
  readonly format: "files" | "jsonl";
  /** As written; relative to `module`'s folder. */
  readonly path: string;
  readonly module: string;
  readonly chunk: number;
  readonly overlap: number;
  /** jsonl: the keys of a record's text and of its name. */
  readonly textKey: string;
  readonly sourceKey: string;
  /** The engine whose embeddings index the corpus; BM25 when undefined. */
  readonly embed: string | undefined;
  readonly range: Range;
}

export interface EngineConfig {
  readonly name: string;
  readonly provider: string;
  readonly args: readonly string[];
  readonly options: SamplingOptions;
  /** How to reach the provider: the key's variable, the timeout per attempt, the attempts per call. */
  readonly connection: {
    readonly keyEnv?: string;
    readonly timeoutMs?: number;
    readonly attempts?: number;
    readonly concurrency?: number;
    readonly requestsPerMinute?: number;
    readonly tokensPerMinute?: number;
  };
  readonly range: Range;
}

/** A data set: read from a file, or a part of a split of another data set. */
export type DataConfig = FileData | SplitPartData;

export interface DataField {
  readonly name: string;
  readonly type: "text" | "number" | "bool";
  /** Where it is in each record: a column, a key, or a dotted path into nested objects (`target.value`). */
  readonly source: string;
}

export interface FileData {
  readonly kind: "file";
  readonly name: string;
  readonly format: "jsonl" | "csv" | "json";
  /** The path as written; relative paths are relative to `module`'s folder. */
  readonly path: string;
  readonly module: string;
  readonly fields: readonly DataField[] | undefined;
  readonly range: Range;
}

/** Part `index` of a split: the source's examples shuffled with `seed`, cut into `sizes` (fractions or counts). */
export interface SplitPartData {
  readonly kind: "split";
  readonly name: string;
  /** The data set cut, by its name in `Graph.data`. */
  readonly source: string;
  readonly index: number;
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly range: Range;
}

export interface VariableInfo {
  readonly name: string;
  readonly node: NodeId;
  readonly trainable: boolean;
  readonly role: string;
  /**
   * The root of the initializer's subgraph; evaluated once, before optimization, or for a per-example variable once
   * per example of the `each:` block that uses it.
   */
  readonly init: NodeId;
  /** Declared with a parameter (`answer(ex)`): one value per example, reading the example's fields. */
  readonly perExample: boolean;
  readonly range: Range;
}

export interface TgdConfig {
  readonly kind: "tgd";
  readonly engine: string;
  readonly momentum: number;
  readonly gradientMemory: number;
  readonly constraints: readonly string[];
  readonly examples: readonly string[];
  readonly condenseAfter: number;
  readonly retries: number;
  /** How far one update may move: the largest share of the variable's words it may change (a learning rate). */
  readonly maxChange: number | undefined;
}

/**
 * The whole-graph optimizer (after Trace's OptoPrime): no backward pass; one call per step sees the executed
 * subgraph of each example and the losses' feedback, and proposes new values for every target at once.
 */
export interface OptoConfig {
  readonly kind: "opto";
  readonly engine: string;
  readonly momentum: number;
  readonly constraints: readonly string[];
  readonly examples: readonly string[];
  readonly retries: number;
}

export type OptimizerConfig = TgdConfig | OptoConfig;

export interface Optimization {
  readonly targets: readonly string[];
  readonly optimizer: OptimizerConfig;
  readonly objective: NodeId;
  readonly data: string | undefined;
  /**
   * Test-time optimization over a data set (`each:`): for every example, the targets (and any per-example variable)
   * start from their initializers and are optimized for `steps` steps on that example alone.
   */
  readonly each: string | undefined;
  /** With `each`: the metric each example's values are scored by, before and after their optimization. */
  readonly score: NodeId | undefined;
  readonly steps: number | undefined;
  readonly epochs: number | undefined;
  readonly batch: number;
  readonly seed: number;
  readonly validate: { readonly data: string; readonly metric: NodeId; readonly keepBest: boolean } | undefined;
  /** The held-out data set, scored with the validation metric before and after training (`tgc bench`). */
  readonly test: string | undefined;
  /** End at the first step whose loss finds nothing left to fix (every example's loss 0). */
  readonly stopWhenSolved: boolean;
  /** End once validation has not improved for this many steps (early stopping). */
  readonly patience: number | undefined;
  /** Test-time optimization: the answer each value gives; the final value is the latest with the most common one. */
  readonly vote: NodeId | undefined;
  readonly range: Range;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly variables: ReadonlyMap<string, VariableInfo>;
  readonly engines: ReadonlyMap<string, EngineConfig>;
  readonly data: ReadonlyMap<string, DataConfig>;
  readonly corpora: ReadonlyMap<string, CorpusConfig>;
  readonly optimizations: readonly Optimization[];
}

/** The inputs of a node, each with the name of the edge, in a fixed order. */
export function inputsOf(n: GraphNode): { readonly edge: string; readonly node: NodeId }[] {
  switch (n.kind) {
    case "variable":
    case "input":
    case "tool_argument":
      return [];
    case "retrieve":
      return [{ edge: "query", node: n.query }];
    case "agent":
      return [...(n.system !== undefined ? [{ edge: "system", node: n.system }] : []), { edge: "user", node: n.user }];
    case "answer":
      return [{ edge: "trajectory", node: n.agent }];
    case "template":
      return n.parts.flatMap((p, i) => ("node" in p ? [{ edge: `part ${i}`, node: p.node }] : []));
    case "llm_call":
      return [...(n.system !== undefined ? [{ edge: "system", node: n.system }] : []), { edge: "user", node: n.user }];
    case "native_call":
    case "metric":
      return n.args.map((node, i) => ({ edge: `arg ${i}`, node }));
    case "loss":
      return n.rule.kind === "rubric"
        ? [
            ...n.rule.targets.map((t) => ({ edge: `evaluates ${t.label}`, node: t.node })),
            ...n.rule.context.map((c) => ({ edge: `given ${c.label}`, node: c.node })),
            { edge: "criteria", node: n.rule.criteria },
          ]
        : n.rule.kind === "unless"
          ? [
              { edge: "metric", node: n.rule.metric },
              { edge: "feedback", node: n.rule.feedback },
            ]
          : n.rule.args.map((node, i) => ({ edge: `arg ${i}`, node }));
    case "sum":
      return n.terms.map((t) => ({ edge: `weight ${t.weight}`, node: t.node }));
    default: {
      const never: never = n;
      return never;
    }
  }
}

/**
 * Every node the given roots depend on, roots included, in ascending (topological) id order. Nodes for which `given`
 * holds are included, but not what they depend on (a value supplied from outside needs no inputs).
 */
export function subgraph(graph: Graph, roots: readonly NodeId[], given: (id: NodeId) => boolean = () => false): NodeId[] {
  const seen = new Set<NodeId>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!given(id)) for (const i of inputsOf(graph.nodes[id]!)) stack.push(i.node);
  }
  return [...seen].sort((a, b) => a - b);
}

const trainableDependents = new WeakMap<Graph, ReadonlySet<NodeId>>();

/** Nodes whose value depends on a trainable variable: the ones that can carry a gradient. Computed once per graph. */
export function dependsOnTrainable(graph: Graph): ReadonlySet<NodeId> {
  const known = trainableDependents.get(graph);
  if (known) return known;
  const out = new Set<NodeId>();
  for (const n of graph.nodes) {
    if (n.kind === "variable" ? n.trainable : inputsOf(n).some((i) => out.has(i.node))) out.add(n.id);
  }
  trainableDependents.set(graph, out);
  return out;
}
