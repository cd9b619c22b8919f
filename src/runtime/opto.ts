// The whole-graph optimizer, after Trace's OptoPrime (Cheng et al. 2024): instead of one backward call per edge
// and one update per variable, one call per step reads each example's executed subgraph (every node with its
// inputs, role and value) and the losses' feedback, and proposes new values for every target at once. A program
// with many variables pays one call per step. It keeps the same memory as TGD (optimizer-memory.ts), so
// checkpoints and keep-best treat both alike.
import type { ProposedVariable } from "../engines/engine.js";
import { inputsOf, subgraph, type Graph, type GraphNode, type NodeId, type OptoConfig, type VariableInfo } from "../ir/graph.js";
import { askUntilUsable, type Reading, type RuntimeContext } from "./context.js";
import { textOf, type Values } from "./forward.js";
import { OPTO_REASK, optoMessages, readProposals } from "./prompts/opto.js";
import { OptimizerMemory } from "./optimizer-memory.js";

/** Longest value shown in a trace; the variables themselves are always shown whole, above it. */
const TRACE_VALUE_LIMIT = 2_000;

const clip = (text: string) => (text.length > TRACE_VALUE_LIMIT ? `${text.slice(0, TRACE_VALUE_LIMIT)}… (${text.length - TRACE_VALUE_LIMIT} more characters)` : text);

function describe(n: GraphNode, name: (id: NodeId) => string): string {
  switch (n.kind) {
    case "variable":
      return `${n.trainable ? "trainable" : "frozen"} variable ${n.name}`;
    case "input":
      return `example field ${n.field}`;
    case "template":
      return `text built from ${n.parts.filter((p) => "node" in p).map((p) => name((p as { node: NodeId }).node)).join(", ") || "literal text"}`;
    case "llm_call":
      return `call to ${n.engine}: ${n.system !== undefined ? `system ${name(n.system)}, ` : ""}user ${name(n.user)}`;
    case "native_call":
    case "metric":
      return `${n.kind === "metric" ? "metric " : ""}${n.module}.${n.native}(${n.args.map(name).join(", ")})`;
    case "loss":
      return n.rule.kind === "rubric"
        ? `loss: rubric by ${n.rule.engine} on ${n.rule.targets.map((t) => name(t.node)).join(", ")}${n.rule.context.length ? ` given ${n.rule.context.map((c) => name(c.node)).join(", ")}` : ""}`
        : n.rule.kind === "unless"
          ? `loss: feedback unless ${name(n.rule.metric)} scores 1`
          : `loss: ${n.rule.module}.${n.rule.native}(${n.rule.args.map(name).join(", ")})`;
    case "sum":
      return `sum of ${n.terms.map((t) => (t.weight === 1 ? name(t.node) : `${t.weight} × ${name(t.node)}`)).join(" + ")}`;
    case "retrieve":
      return `retrieve ${n.k} passages from ${n.corpus} for ${name(n.query)}`;
    case "agent":
      return `agent by ${n.engine}: ${n.system !== undefined ? `system ${name(n.system)}, ` : ""}user ${name(n.user)}, tools ${n.tools.map((t) => t.name).join(", ")}`;
    case "answer":
      return `final answer of ${name(n.agent)}`;
    case "tool_argument":
      return `argument ${n.name} of tool ${n.tool}`;
    default: {
      const never: never = n;
      return never;
    }
  }
}

/**
 * One example's execution as text: each node of the objective's subgraph, in the order it was computed, as
 * `[n] label (role): what it is` and its value. Literal text (criteria, fixed prompts) is shown once, short.
 */
export function traceOf(graph: Graph, objective: NodeId, values: Values): string {
  const name = (id: NodeId) => `[${id}]`;
  const lines: string[] = [];
  for (const id of subgraph(graph, [objective])) {
    const n = graph.nodes[id]!;
    const v = values.get(id);
    const shown = v === undefined ? "(not computed)" : v.kind === "loss" ? `${v.text.trim() || "(nothing to fix)"}${v.loss !== undefined ? `\n(loss ${v.loss.toFixed(2)})` : ""}` : textOf(v);
    lines.push(`${name(id)} ${n.label}${n.role ? ` (${n.role})` : ""}: ${describe(n, name)}\n${clip(shown)}`);
  }
  return lines.join("\n\n");
}

/** How the losses reach a variable: it is judged itself, or it feeds a prompt, or a function's argument. */
function relationOf(graph: Graph, variable: VariableInfo, objective: NodeId): ProposedVariable["relation"] {
  const reached = subgraph(graph, [objective]).map((id) => graph.nodes[id]!);
  const judged = (n: GraphNode) =>
    n.kind === "loss" && (n.rule.kind === "rubric" ? n.rule.targets.some((t) => t.node === variable.node) : n.rule.kind === "native" && n.rule.args.includes(variable.node));
  if (reached.some(judged)) return "evaluated";
  const inPrompt = (n: GraphNode) => n.kind === "llm_call" && subgraph(graph, inputsOf(n).map((i) => i.node)).includes(variable.node);
  return reached.some(inPrompt) ? "prompt" : "argument";
}

export class WholeGraphOptimizer {
  readonly memory = new OptimizerMemory();

  constructor(readonly config: OptoConfig) {}

  /**
   * One step: the targets' new values (only those the reply changes), or why no reply was usable.
   * `samples` holds each example's forward values and critiques.
   */
  async step(
    ctx: RuntimeContext,
    objective: NodeId,
    targets: readonly VariableInfo[],
    values: ReadonlyMap<string, string>,
    samples: readonly { readonly values: Values; readonly feedback: readonly string[] }[],
  ): Promise<{ readonly value: Map<string, string> } | { readonly problem: string }> {
    const { graph } = ctx;
    const variables: ProposedVariable[] = targets.map((t) => {
      const s = this.memory.of(t.name);
      return {
        name: t.name,
        role: t.role,
        value: values.get(t.name)!,
        relation: relationOf(graph, t, objective),
        pastValues: this.config.momentum ? s.pastValues.slice(-this.config.momentum) : [],
        rejected: s.rejected,
      };
    });
    const context = {
      purpose: "propose" as const,
      variables,
      traces: samples.map((s) => traceOf(graph, objective, s.values)),
      feedback: samples.flatMap((s) => s.feedback),
      constraints: this.config.constraints,
      examples: this.config.examples,
    };
    const names = targets.map((t) => t.name);
    const proposals = await askUntilUsable(
      ctx,
      this.config.engine,
      optoMessages(context),
      context,
      { node: undefined, label: `propose ${names.join(", ")}`, sample: undefined },
      (reply): Reading<Map<string, string>> => {
        const proposals = readProposals(reply, names);
        if (!proposals) return { problem: 'no <VARIABLE name="…"> block for a target', reask: OPTO_REASK };
        // A value validation rejected before is asked again, with its score.
        const again = [...proposals].flatMap(([name, value]) => this.memory.of(name).rejected.filter((r) => r.value === value).map((r) => ({ name, score: r.score })));
        if (again.length) {
          const which = again.map((a) => `${a.name} (score ${a.score})`).join(", ");
          return { problem: `proposes a value validation rejected for ${which}`, reask: `The values proposed for ${which} were tried before and rejected: the validation score got worse. ${OPTO_REASK}` };
        }
        return { value: proposals };
      },
      this.config.retries,
    );
    for (const v of variables) this.memory.of(v.name).pastValues.push(v.value);
    return proposals;
  }
}
