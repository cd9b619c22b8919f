// The computation graph as a picture: laid out by dagre (layered, left to right as values flow), drawn as SVG
// when the report is written. Each node's group has the id `node-<id>`, so gradients link to the node they left.
import dagre from "@dagrejs/dagre";
import type { GraphJson } from "../ir/export.js";
import { esc } from "./escape.js";

type JsonNode = GraphJson["nodes"][number];

const CHAR = 7.2; // width of a character at the graph's 12px font, near enough for layout
const MAX_LABEL = 36;

const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

export const nodeAnchor = (id: number) => `node-${id}`;

function size(n: JsonNode): { width: number; height: number } {
  const w = short(n.label).length * CHAR;
  switch (n.kind) {
    case "metric":
      return { width: w + 70, height: 54 };
    case "loss":
      return { width: w + 44, height: 40 };
    case "llm_call":
    case "sum":
    case "answer":
      return { width: w + 48, height: 40 };
    case "agent":
    case "retrieve":
      return { width: w + 44, height: 40 };
    case "input":
    case "tool_argument":
      return { width: w + 44, height: 34 };
    case "variable":
    case "template":
    case "native_call":
      return { width: w + 28, height: 34 };
    default: {
      const never: never = n.kind;
      return never;
    }
  }
}

/** The outline of a node of each kind, centred on (x, y), the shapes `tgc graph --format dot` uses. */
function shape(n: JsonNode, x: number, y: number, w: number, h: number): string {
  const l = x - w / 2;
  const t = y - h / 2;
  const pts = (p: [number, number][]) => `<polygon class="shape" points="${p.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")}"/>`;
  switch (n.kind) {
    case "variable":
      return `<rect class="shape" x="${l}" y="${t}" width="${w}" height="${h}" rx="3"/>`;
    case "input":
    case "tool_argument":
      return pts([[l + 12, t], [l + w, t], [l + w - 12, t + h], [l, t + h]]);
    case "retrieve":
      return `<rect class="shape" x="${l}" y="${t}" width="${w}" height="${h}" rx="${h / 2}"/>`;
    case "agent":
      return pts([[l + 12, t], [l + w - 12, t], [l + w, y], [l + w - 12, t + h], [l + 12, t + h], [l, y]]);
    case "template":
      return pts([[l, t], [l + w - 10, t], [l + w, t + 10], [l + w, t + h], [l, t + h]]);
    case "llm_call":
    case "sum":
    case "answer":
      return `<ellipse class="shape" cx="${x}" cy="${y}" rx="${w / 2}" ry="${h / 2}"/>`;
    case "native_call":
      return `<rect class="shape" x="${l}" y="${t}" width="${w}" height="${h}"/><line class="shape-line" x1="${l + 6}" x2="${l + 6}" y1="${t}" y2="${t + h}"/><line class="shape-line" x1="${l + w - 6}" x2="${l + w - 6}" y1="${t}" y2="${t + h}"/>`;
    case "metric":
      return pts([[x, t], [l + w, y], [x, t + h], [l, y]]);
    case "loss": {
      const c = 10;
      return pts([[l + c, t], [l + w - c, t], [l + w, t + c], [l + w, t + h - c], [l + w - c, t + h], [l + c, t + h], [l, t + h - c], [l, t + c]]);
    }
    default: {
      const never: never = n.kind;
      return never;
    }
  }
}

/** A smooth path through dagre's edge points. */
function edgePath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  if (rest.length <= 1) return `M${first!.x},${first!.y}${rest.map((p) => `L${p.x},${p.y}`).join("")}`;
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    const mid = i === rest.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += `Q${p.x},${p.y} ${mid.x},${mid.y}`;
  }
  return d;
}

/** The graph as SVG, with how many gradients each node sent, when known. */
export function graphSvg(graph: GraphJson, gradientsFrom: ReadonlyMap<number, number> = new Map()): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 80, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const n of graph.nodes) g.setNode(String(n.id), size(n));
  graph.edges.forEach((e, i) => {
    if (!byId.has(e.from) || !byId.has(e.to)) return;
    g.setEdge(String(e.from), String(e.to), { width: e.label.length * 6.2 + 8, height: 16, labelpos: "c" }, `e${i}`);
  });
  dagre.layout(g);
  const { width = 400, height = 200 } = g.graph() as { width?: number; height?: number };

  const out: string[] = [];
  out.push(`<svg id="graph" class="graph" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" role="img" aria-label="computation graph" xmlns="http://www.w3.org/2000/svg">`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#6b7280"/></marker></defs>`);
  for (const e of g.edges()) {
    const label = g.edge(e) as { points?: { x: number; y: number }[]; x?: number; y?: number };
    const original = graph.edges[Number(e.name?.slice(1))];
    out.push(`<g class="edge"><path data-from="${e.v}" data-to="${e.w}" d="${edgePath(label.points ?? [])}" marker-end="url(#arrow)"/>`);
    if (original && label.x !== undefined && label.y !== undefined) {
      out.push(`<text class="edge-label" x="${label.x}" y="${label.y + 4}" text-anchor="middle">${esc(original.label)}</text>`);
    }
    out.push(`</g>`);
  }
  for (const n of graph.nodes) {
    const p = g.node(String(n.id)) as { x: number; y: number; width: number; height: number };
    const classes = ["node", `kind-${n.kind}`, ...(n.trainable ? ["trainable"] : [])].join(" ");
    const sent = gradientsFrom.get(n.id);
    out.push(`<g class="${classes}" id="${nodeAnchor(n.id)}"><title>${esc(`${n.label} (${n.kind.replace("_", " ")}, node ${n.id})${n.role ? `\n${n.role}` : ""}`)}</title>`);
    out.push(shape(n, p.x, p.y, p.width, p.height));
    out.push(`<text class="label" x="${p.x}" y="${p.y + 4}" text-anchor="middle">${esc(short(n.label))}</text>`);
    if (sent) out.push(`<text class="badge" x="${p.x + p.width / 2 - 2}" y="${p.y - p.height / 2 - 4}" text-anchor="end">∇ ${sent} sent</text>`);
    out.push(`</g>`);
  }
  out.push(`</svg>`);
  return out.join("");
}
