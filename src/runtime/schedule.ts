// What a run will do, decided before it does it: the steps an optimization takes over its data, and the variables
// an each: block starts anew for every example. The runtime follows these; the estimator counts by them.
import { subgraph, type Graph, type Optimization } from "../ir/graph.js";
import { shuffled, type Example } from "./data.js";

/** The variables an `each:` block starts anew for every example: its targets, and the per-example variables it reads. */
export function perExampleNames(graph: Graph, o: Optimization): Set<string> {
  const names = new Set(o.targets);
  const roots = [o.objective, ...(o.vote !== undefined ? [o.vote] : []), ...(o.score !== undefined ? [o.score] : [])];
  const queue = [...o.targets.map((t) => graph.variables.get(t)!.init), ...roots];
  while (queue.length) {
    for (const id of subgraph(graph, [queue.pop()!])) {
      const n = graph.nodes[id]!;
      const v = n.kind === "variable" ? graph.variables.get(n.name) : undefined;
      if (v?.perExample && !names.has(v.name)) {
        names.add(v.name);
        queue.push(v.init);
      }
    }
  }
  return names;
}

interface Step {
  readonly epoch: number | undefined;
  readonly examples: readonly (number | undefined)[];
}

/** The steps an optimization takes over its data: each step's epoch and examples (one, undefined, without data). */
export function schedule(o: Optimization, data: readonly Example[] | undefined): Step[] {
  if (!data) return Array.from({ length: o.steps ?? 1 }, () => ({ epoch: undefined, examples: [undefined] }));
  const steps: Step[] = [];
  for (let epoch = 1; epoch <= (o.epochs ?? 1); epoch++) {
    const order = shuffled(
      data.map((_, i) => i),
      o.seed + epoch - 1,
    );
    for (let i = 0; i < order.length; i += o.batch) steps.push({ epoch, examples: order.slice(i, i + o.batch) });
  }
  return o.steps === undefined ? steps : steps.slice(0, o.steps);
}
