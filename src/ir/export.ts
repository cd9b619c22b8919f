// Drawings of the graph: Graphviz DOT and Mermaid, and the same as data (a run folder's graph.json). Trainable
// variables are highlighted; losses are drawn as the roots they are. Edges point the way values flow (forward);
// gradients flow against them.
import { inputsOf, type Graph, type GraphNode, type NodeId } from "./graph.js";

const shapes: Record<GraphNode["kind"], string> = {
  variable: "box",
  input: "parallelogram",
  template: "note",
  llm_call: "ellipse",
  native_call: "component",
  metric: "diamond",
  loss: "octagon",
  sum: "circle",
  retrieve: "cylinder",
  agent: "hexagon",
  answer: "ellipse",
  tool_argument: "parallelogram",
};

/** What a drawing connects: a node's inputs, and for an agent, the result of each tool it may call. */
function drawnInputs(n: GraphNode): { readonly edge: string; readonly node: NodeId }[] {
  return [...inputsOf(n), ...(n.kind === "agent" ? n.tools.map((t) => ({ edge: `tool ${t.name}`, node: t.result })) : [])];
}

/** The nodes the drawings show: everything the roots depend on, tools included, in id order. */
function drawn(graph: Graph): NodeId[] {
  const seen = new Set<NodeId>();
  const stack = roots(graph);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const i of drawnInputs(graph.nodes[id]!)) stack.push(i.node);
  }
  return [...seen].sort((a, b) => a - b);
}

function roots(graph: Graph): number[] {
  return graph.optimizations.flatMap((o) => [o.objective, ...(o.validate ? [o.validate.metric] : []), ...(o.score !== undefined ? [o.score] : []), ...(o.vote !== undefined ? [o.vote] : [])]);
}

function caption(graph: Graph, n: GraphNode): string {
  if (n.kind === "variable") return `${n.trainable ? "trainable" : "frozen"} ${n.name}${graph.variables.get(n.name)?.perExample ? " (per example)" : ""}`;
  return n.label;
}

const dotEscape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function toDot(graph: Graph): string {
  const ids = drawn(graph);
  const lines = ["digraph tg {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];'];
  for (const id of ids) {
    const n = graph.nodes[id]!;
    const style = n.kind === "variable" && n.trainable ? ', style=filled, fillcolor="#ffe9a8"' : n.kind === "loss" ? ', style=filled, fillcolor="#f6c6c6"' : "";
    lines.push(`  n${id} [label="${dotEscape(caption(graph, n))}", shape=${shapes[n.kind]}, tooltip="${dotEscape(n.role)}"${style}];`);
  }
  for (const id of ids) {
    for (const i of drawnInputs(graph.nodes[id]!)) lines.push(`  n${i.node} -> n${id} [label="${dotEscape(i.edge)}"];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

const mermaidShape = (n: GraphNode, text: string): string => {
  const t = `"${text.replace(/"/g, "#quot;")}"`;
  switch (n.kind) {
    case "variable":
      return `[${t}]`;
    case "input":
      return `[/${t}/]`;
    case "template":
      return `>${t}]`;
    case "llm_call":
      return `(${t})`;
    case "native_call":
      return `[[${t}]]`;
    case "metric":
      return `{${t}}`;
    case "loss":
      return `{{${t}}}`;
    case "sum":
      return `((${t}))`;
    case "retrieve":
      return `[(${t})]`;
    case "agent":
      return `{{${t}}}`;
    case "answer":
      return `(${t})`;
    case "tool_argument":
      return `[/${t}/]`;
    default: {
      const never: never = n;
      return never;
    }
  }
};

export function toMermaid(graph: Graph): string {
  const ids = drawn(graph);
  const lines = ["flowchart LR"];
  for (const id of ids) lines.push(`  n${id}${mermaidShape(graph.nodes[id]!, caption(graph, graph.nodes[id]!))}`);
  for (const id of ids) {
    for (const i of drawnInputs(graph.nodes[id]!)) lines.push(`  n${i.node} -->|"${i.edge}"| n${id}`);
  }
  const trainable = ids.filter((id) => {
    const n = graph.nodes[id]!;
    return n.kind === "variable" && n.trainable;
  });
  if (trainable.length) lines.push(`  classDef trainable fill:#ffe9a8,stroke:#a07c00`, `  class ${trainable.map((i) => `n${i}`).join(",")} trainable`);
  return lines.join("\n") + "\n";
}

/** The graph as data, for a run folder's `graph.json` and the report that draws it. JSON-able. */
export interface GraphJson {
  readonly version: 1;
  readonly nodes: readonly {
    readonly id: number;
    readonly kind: GraphNode["kind"];
    /** What drawings show: `trainable system`, `solve: call student`. */
    readonly label: string;
    readonly role: string;
    /** For variables: whether the optimizer may change it. */
    readonly trainable?: boolean;
    /** For variables: the name events and final values use (`system`, or `path#name` when imported). */
    readonly name?: string;
  }[];
  /** Values flow `from` → `to`; gradients flow against them. */
  readonly edges: readonly { readonly from: number; readonly to: number; readonly label: string }[];
  /** The nodes optimizations minimize, validate, score or vote by. */
  readonly roots: readonly number[];
}

/** The same nodes and edges as `toDot` and `toMermaid` draw, as data. */
export function toJson(graph: Graph): GraphJson {
  const ids = drawn(graph);
  return {
    version: 1,
    nodes: ids.map((id) => {
      const n = graph.nodes[id]!;
      return { id, kind: n.kind, label: caption(graph, n), role: n.role, ...(n.kind === "variable" ? { trainable: n.trainable, name: n.name } : {}) };
    }),
    edges: ids.flatMap((id) => drawnInputs(graph.nodes[id]!).map((i) => ({ from: i.node, to: id, label: i.edge }))),
    roots: roots(graph),
  };
}
