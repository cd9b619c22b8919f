// The backward pass for one example: from the objective, in reverse topological order, each node that received
// feedback asks the backward engine how each of its inputs that can change should change. Templates are
// transparent: a prompt's gradient goes to the variables the prompt was built from, shown where they stand.
// Each loss sends its critique exactly once per example, whatever sums it is part of.
import type { RequestContext } from "../engines/engine.js";
import { dependsOnTrainable, inputsOf, subgraph, type GraphNode, type NodeId } from "../ir/graph.js";
import { ask, type RuntimeContext } from "./context.js";
import { inOrder, OrderedGroup } from "./ordered.js";
import { textOf, type Values } from "./forward.js";
import { backwardMessages } from "./prompts/backward.js";

export interface Gradient {
  readonly text: string;
  readonly from: NodeId;
  readonly sample: number | undefined;
}

/** Where a gradient stands in the sequential backward order: by sending node (latest first), then by edge. */
interface Placed extends Gradient {
  readonly edge: number;
}
const backwardOrder = (a: Placed, b: Placed) => b.from - a.from || a.edge - b.edge;

type Backward = Extract<RequestContext, { purpose: "backward" }>;

export async function backward(
  ctx: RuntimeContext,
  objective: NodeId,
  values: Values,
  engine: string,
  sample: number | undefined,
): Promise<Map<NodeId, Gradient[]>> {
  const graph = ctx.graph;
  const needs = dependsOnTrainable(graph);
  const gradients = new Map<NodeId, Placed[]>();
  const weights = new Map<NodeId, number>([[objective, 1]]);
  const text = (id: NodeId) => textOf(values.get(id));

  /** The nodes a value was built from, looking through templates, that can take a gradient. */
  const sources = (id: NodeId): NodeId[] => {
    const n = graph.nodes[id]!;
    if (n.kind !== "template") return needs.has(id) ? [id] : [];
    return [...new Set(n.parts.flatMap((p) => ("node" in p ? sources(p.node) : [])))];
  };

  type Edge = { readonly to: NodeId; readonly c: Omit<Backward, "purpose" | "variable" | "variableRole"> };
  /** One node's backward messages, sent at once; their events and gradients keep the edges' order. */
  const sendAll = async (c: RuntimeContext, from: GraphNode, edges: readonly Edge[]) => {
    const replies = await inOrder(
      c,
      edges.map(({ to, c: parts }) => async (ec: RuntimeContext) => {
        const target = graph.nodes[to]!;
        const context: Backward = { purpose: "backward", variable: text(to), variableRole: target.role, ...parts };
        const reply = await ask(ec, engine, backwardMessages(context), context, { node: from.id, label: `${from.label} → ${target.label}`, sample });
        ec.emit({ type: "gradient", from: from.id, fromLabel: from.label, to, toLabel: target.label, sample, text: reply });
        return reply;
      }),
    );
    edges.forEach(({ to }, i) => {
      const list = gradients.get(to) ?? [];
      list.push({ text: replies[i]!, from: from.id, sample, edge: i });
      gradients.set(to, list);
    });
  };

  // A node sends its messages once every node it feeds has sent its own: the chain rule's order. Nodes on
  // different branches send at once; events are emitted in the sequential (descending id) order.
  const nodes = subgraph(graph, [objective]).filter((id) => needs.has(id));
  const successors = new Map<NodeId, NodeId[]>(nodes.map((id) => [id, []]));
  for (const id of nodes) for (const i of inputsOf(graph.nodes[id]!)) successors.get(i.node)?.push(id);
  const group = new OrderedGroup(ctx);
  const done = new Map<NodeId, Promise<void>>();
  const top = Math.max(...nodes);
  const finish = (id: NodeId): Promise<void> => {
    let p = done.get(id);
    if (!p) {
      p = (async () => {
        await Promise.all(successors.get(id)!.map(finish));
        if (!group.signal.aborted) await group.run(top - id, (c) => step(c, id));
      })();
      done.set(id, p);
    }
    return p;
  };

  const step = async (c: RuntimeContext, id: NodeId): Promise<void> => {
    const n = graph.nodes[id]!;
    const weight = weights.get(id) ?? 0;
    const edges: Edge[] = [];
    const weightNote = (fb: string) => (weight !== 1 && weight !== 0 ? `(This loss counts with weight ${weight} in the total objective.)\n${fb}` : fb);
    switch (n.kind) {
      case "sum":
        for (const t of n.terms) if (needs.has(t.node)) weights.set(t.node, (weights.get(t.node) ?? 0) + weight * t.weight);
        break;
      case "loss": {
        const v = values.get(id);
        if (v?.kind !== "loss" || v.loss === 0 || v.text.trim() === "" || weight === 0) break; // nothing to fix
        const feedback = [weightNote(v.text)];
        if (n.rule.kind === "rubric") {
          for (const t of n.rule.targets) {
            for (const s of sources(t.node)) {
              edges.push({ to: s, c: {
                relation: s === t.node ? "evaluated" : "prompt",
                output: text(t.node),
                outputRole: t.label,
                feedback,
                prompt: s === t.node ? undefined : { system: undefined, user: text(t.node) },
              } });
            }
          }
          for (const c of n.rule.context) {
            for (const s of sources(c.node)) edges.push({ to: s, c: { relation: "argument", output: v.text, outputRole: n.role, feedback, prompt: undefined } });
          }
        } else {
          // A rule or a native loss judged the texts it was given: its critique goes to each of them.
          const [checked, by] =
            n.rule.kind === "native" ? [n.rule.args, n.rule.native] : (() => {
              const metric = graph.nodes[n.rule.metric]!;
              return metric.kind === "metric" ? [metric.args, metric.native] : [[], ""];
            })();
          for (const a of checked) {
            for (const s of sources(a)) {
              edges.push({ to: s, c: { relation: "evaluated", output: text(a), outputRole: `the text checked by ${by}`, feedback, prompt: undefined } });
            }
          }
        }
        break;
      }
      case "llm_call":
      case "native_call": {
        const incoming = gradients.get(id)?.sort(backwardOrder);
        if (!incoming?.length) break;
        const feedback = incoming.map((g) => g.text);
        const inputs = n.kind === "llm_call" ? [...(n.system !== undefined ? [n.system] : []), n.user] : n.args;
        const prompt = n.kind === "llm_call" ? { system: n.system === undefined ? undefined : text(n.system), user: text(n.user) } : undefined;
        const seen = new Set<NodeId>();
        for (const input of inputs) {
          for (const s of sources(input)) {
            if (seen.has(s)) continue;
            seen.add(s);
            edges.push({ to: s, c: { relation: n.kind === "llm_call" ? "prompt" : "argument", output: text(id), outputRole: n.role, feedback, prompt } });
          }
        }
        break;
      }
      case "retrieve": {
        // What the passages lacked goes back to whatever wrote the query.
        const incoming = gradients.get(id)?.sort(backwardOrder);
        const v = values.get(id);
        if (!incoming?.length || v?.kind !== "passages") break;
        const process = { kind: "retrieval" as const, corpus: n.corpus, passages: v.passages.map((p) => ({ source: p.source, score: p.score, text: p.text })) };
        for (const s of sources(n.query)) {
          edges.push({ to: s, c: { relation: "argument", output: v.text, outputRole: n.role, feedback: incoming.map((g) => g.text), prompt: undefined, process } });
        }
        break;
      }
      case "agent": {
        // The instruction and the task are read with the whole trajectory, so a gradient can name the step that went wrong.
        const incoming = gradients.get(id)?.sort(backwardOrder);
        const v = values.get(id);
        if (!incoming?.length || v?.kind !== "trajectory") break;
        const process = { kind: "agent" as const, steps: v.steps, answer: v.answer };
        const prompt = { system: n.system === undefined ? undefined : text(n.system), user: text(n.user) };
        const seen = new Set<NodeId>();
        for (const input of [...(n.system !== undefined ? [n.system] : []), n.user]) {
          for (const s of sources(input)) {
            if (seen.has(s)) continue;
            seen.add(s);
            edges.push({ to: s, c: { relation: "prompt", output: v.text, outputRole: n.role, feedback: incoming.map((g) => g.text), prompt, process } });
          }
        }
        break;
      }
      case "answer": {
        // The answer is the end of the trajectory: its feedback is the trajectory's, with no call to pass it on.
        const incoming = gradients.get(id) ?? [];
        if (needs.has(n.agent)) gradients.set(n.agent, [...(gradients.get(n.agent) ?? []), ...incoming]);
        break;
      }
      case "variable":
      case "input":
      case "template":
      case "metric":
      case "tool_argument":
        break;
      default: {
        const never: never = n;
        return never;
      }
    }
    if (edges.length) await sendAll(c, n, edges);
  };

  await Promise.all(nodes.map(finish));
  group.settle();
  for (const list of gradients.values()) list.sort(backwardOrder);
  return gradients;
}
