// The forward pass: evaluates the nodes a root depends on, in topological (id) order, for one example.
import type { Range } from "../diagnostics/diagnostic.js";
import { inputsOf, subgraph, type GraphNode, type NodeId } from "../ir/graph.js";
import { ask, RuntimeFailure, type RuntimeContext } from "./context.js";
import type { Example } from "./data.js";
import { nativeKey, type NativeResult } from "./natives.js";
import { OrderedGroup } from "./ordered.js";
import { lossMessages, lossScore } from "./prompts/loss.js";
import { passagesText, type RetrievedPassage } from "./retrieval.js";
import { runAgent } from "./agent.js";
import type { AgentStep } from "../engines/engine.js";

export type Value =
  | { readonly kind: "text"; readonly text: string }
  /** Passages a retrieve step found, and the text the program reads them as. */
  | { readonly kind: "passages"; readonly passages: readonly RetrievedPassage[]; readonly text: string }
  /** An agent's tool calls with their results, its answer, and the transcript the program reads it as. */
  | { readonly kind: "trajectory"; readonly steps: readonly AgentStep[]; readonly answer: string; readonly text: string }
  | { readonly kind: "score"; readonly score: number }
  /** A critique, with its size as a number in [0, 1] where known (0: nothing left to fix). */
  | { readonly kind: "loss"; readonly text: string; readonly loss: number | undefined };

export function textOf(v: Value | undefined): string {
  if (!v) return "";
  switch (v.kind) {
    case "text":
    case "passages":
    case "trajectory":
      return v.text;
    case "score":
      return String(v.score);
    case "loss":
      return v.text;
    default: {
      const never: never = v;
      return never;
    }
  }
}

export interface ForwardInput {
  readonly variables: ReadonlyMap<string, string>;
  readonly example: Example | undefined;
  readonly sample: number | undefined;
}

export type Values = Map<NodeId, Value>;

/**
 * Evaluates the nodes the roots depend on. Each node starts as soon as its inputs are ready, so independent calls
 * run at once; events are emitted in node order whatever the order of the replies. Nodes already in `values` are
 * taken as they are, and what they depend on is not computed.
 */
export async function forward(ctx: RuntimeContext, roots: readonly NodeId[], input: ForwardInput, values: Values = new Map()): Promise<Values> {
  const group = new OrderedGroup(ctx);
  const started = new Map<NodeId, Promise<void>>();
  const start = (id: NodeId): Promise<void> => {
    let p = started.get(id);
    if (p) return p;
    p = (async () => {
      if (values.has(id)) return;
      const node = ctx.graph.nodes[id]!;
      await Promise.all(inputsOf(node).map((i) => start(i.node)));
      if (group.signal.aborted) return;
      const value = await group.run(id, (c) => evaluate(c, node, input, values));
      if (value !== undefined) values.set(id, value);
    })();
    started.set(id, p);
    return p;
  };
  await Promise.all(subgraph(ctx.graph, roots, (id) => values.has(id)).map(start));
  group.settle();
  return values;
}

/** Calls a stdlib native; a missing one or one that throws is a TG4007 at the node that called it. */
async function callNative(ctx: RuntimeContext, module: string, native: string, args: readonly string[], range: Range): Promise<NativeResult> {
  const fn = ctx.natives.get(nativeKey(module, native));
  if (!fn) throw new RuntimeFailure("TG4007", `native function ${module}.${native} is not available`, range);
  try {
    return await fn(args);
  } catch (e) {
    throw new RuntimeFailure("TG4007", `${module}.${native} failed: ${(e as Error).message}`, range);
  }
}

async function evaluate(ctx: RuntimeContext, n: GraphNode, input: ForwardInput, values: Values): Promise<Value> {
  const text = (id: NodeId) => textOf(values.get(id));
  const site = { node: n.id, label: n.label, sample: input.sample };
  switch (n.kind) {
    case "variable":
      return { kind: "text", text: input.variables.get(n.name) ?? "" };
    case "input": {
      const v = input.example?.[n.field];
      if (v === undefined) {
        throw new RuntimeFailure(
          "TG4004",
          `example ${input.sample ?? "?"} has no field '${n.field}'`,
          n.range,
          "declare the data set's fields, so that missing ones are reported before the run",
        );
      }
      return { kind: "text", text: String(v) };
    }
    case "template":
      return { kind: "text", text: n.parts.map((p) => ("text" in p ? p.text : text(p.node))).join("") };
    case "llm_call": {
      const system = n.system === undefined ? undefined : text(n.system);
      const user = text(n.user);
      // The program's own messages; a system prompt is what the examples of a batch share.
      const prompt = {
        messages: [...(system !== undefined ? [{ role: "system" as const, content: system }] : []), { role: "user" as const, content: user }],
        prefixMarks: system !== undefined ? [{ message: 0, chars: system.length }] : [],
      };
      const reply = await ask(ctx, n.engine, prompt, { purpose: "forward", system, user, role: n.role }, site, n.options);
      return { kind: "text", text: reply };
    }
    case "retrieve": {
      if (!ctx.retrieval) throw new RuntimeFailure("TG4009", `corpus '${n.corpus}' cannot be read here`, n.range);
      const query = text(n.query);
      const { passages, index } = await ctx.retrieval.search(n.corpus, query, n.k, ctx.signal);
      ctx.emit({ type: "retrieval", node: n.id, label: n.label, sample: input.sample, corpus: n.corpus, index, query, passages });
      return { kind: "passages", passages, text: passagesText(passages) };
    }
    case "agent":
      return runAgent(ctx, n, input, text);
    case "answer": {
      const v = values.get(n.agent);
      return { kind: "text", text: v?.kind === "trajectory" ? v.answer : textOf(v) };
    }
    case "tool_argument":
      // Set by the agent's loop before the tool's nodes run; reaching here is a lowering bug.
      throw new Error(`forward: the argument ${n.name} of ${n.tool} was not set`);
    case "native_call":
    case "metric": {
      const result = await callNative(ctx, n.module, n.native, n.args.map(text), n.range);
      if (typeof result === "object") throw new RuntimeFailure("TG4007", `${n.module}.${n.native} returned a critique where ${n.kind === "metric" ? "a score" : "text"} was declared`, n.range);
      return n.kind === "metric" ? { kind: "score", score: Number(result) } : { kind: "text", text: String(result) };
    }
    case "loss": {
      const rule = n.rule;
      if (rule.kind === "native") {
        const result = await callNative(ctx, rule.module, rule.native, rule.args.map(text), n.range);
        if (typeof result !== "object") throw new RuntimeFailure("TG4007", `${rule.module}.${rule.native} returned no critique`, n.range);
        return { kind: "loss", text: result.loss === 0 ? "" : result.critique, loss: result.loss };
      }
      if (rule.kind === "unless") {
        const v = values.get(rule.metric);
        const score = v?.kind === "score" ? v.score : 0;
        return score >= 1 ? { kind: "loss", text: "", loss: 0 } : { kind: "loss", text: text(rule.feedback), loss: 1 - Math.max(0, score) };
      }
      const targets = rule.targets.map((t) => ({ label: t.label, text: text(t.node) }));
      const context = rule.context.map((c) => ({ label: c.label, text: text(c.node) }));
      const criteria = text(rule.criteria);
      const reply = await ask(ctx, rule.engine, lossMessages(criteria, targets, context), { purpose: "loss", targets, context, criteria }, site);
      return { kind: "loss", text: reply, loss: lossScore(reply) };
    }
    case "sum": {
      let total: number | undefined = 0;
      const texts: string[] = [];
      for (const t of n.terms) {
        const v = values.get(t.node);
        const l = v?.kind === "loss" ? v.loss : undefined;
        total = total === undefined || l === undefined ? undefined : total + t.weight * l;
        if (v?.kind === "loss" && v.text) texts.push(v.text);
      }
      return { kind: "loss", text: texts.join("\n\n"), loss: total };
    }
    default: {
      const never: never = n;
      return never;
    }
  }
}
