// Before spending: the runtime's estimate of calls and tokens, priced by engine, as a table; and the question whether
// to go on when it costs more than a threshold (`--yes` answers it; without a terminal to ask, the answer is no).
import { createInterface } from "node:readline/promises";
import { costOfCall } from "../engines/cost.js";
import { engineId } from "../engines/index.js";
import type { PriceTable } from "../engines/prices.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Graph } from "../ir/graph.js";
import { loadDataset, type DataHost, type Example } from "../runtime/data.js";
import { ASSUMED_REPLY_TOKENS, type EstimatePhase, type RunEstimate } from "../runtime/estimate.js";

export interface PricedEstimate {
  readonly rows: readonly { engine: string; id: string; phase: EstimatePhase; calls: number; inputTokens: number; outputTokens: number; cost: number | null }[];
  readonly calls: number;
  readonly tokens: number;
  /** null when some engine's price is unknown. */
  readonly cost: number | null;
}

export function priceEstimate(graph: Graph, estimate: RunEstimate, prices: PriceTable, idOf: (engine: string) => string = (e) => engineId(graph.engines.get(e)!)): PricedEstimate {
  const rows: PricedEstimate["rows"][number][] = [];
  for (const [engine, phases] of estimate) {
    const id = idOf(engine);
    for (const [phase, u] of phases) {
      const free = id === "sim" || id.startsWith("scripted:");
      const cost = free ? 0 : (costOfCall(id, { inputTokens: u.inputTokens, outputTokens: u.outputTokens }, prices) ?? null);
      rows.push({ engine, id, phase, ...u, cost });
    }
  }
  const cost = rows.some((r) => r.cost === null) ? null : rows.reduce((a, r) => a + r.cost!, 0);
  return { rows, calls: rows.reduce((a, r) => a + r.calls, 0), tokens: rows.reduce((a, r) => a + r.inputTokens + r.outputTokens, 0), cost };
}

const n = (x: number) => x.toLocaleString("en-US");
const usd = (c: number | null) => (c === null ? "unknown" : c.toFixed(4));

export function formatEstimate(p: PricedEstimate): string {
  const rows = [
    ["engine", "phase", "calls", "tokens in", "tokens out", "cost USD"],
    ...p.rows.map((r) => [`${r.engine} (${r.id})`, r.phase, n(r.calls), n(r.inputTokens), n(r.outputTokens), usd(r.cost)]),
    ["total", "", n(p.calls), n(p.rows.reduce((a, r) => a + r.inputTokens, 0)), n(p.rows.reduce((a, r) => a + r.outputTokens, 0)), usd(p.cost)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => "  " + r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("   ")).join("\n");
  return [
    table,
    `  An estimate: calls by the runtime's rules over the data's sizes, tokens from the texts' lengths (4 characters a token) with replies of about ${ASSUMED_REPLY_TOKENS.forward} tokens; re-asks, retries and early stopping are not counted, and the cache may serve some calls.`,
  ].join("\n");
}

/**
 * Whether to spend: yes at or below the threshold, or with --yes; above it, asked on a terminal, refused without one
 * (with what to pass). An unknown price asks too.
 */
export async function confirmSpend(command: string, p: PricedEstimate, threshold: number, yes: boolean): Promise<boolean> {
  if (yes || (p.cost !== null && p.cost <= threshold)) return true;
  const what = p.cost === null ? "an unknown cost (an engine's price is not in the table; see --prices)" : `about ${p.cost.toFixed(2)} USD`;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`tgc ${command}: this would spend ${what}, above ${threshold.toFixed(2)} USD; pass --yes to go ahead\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`This would spend ${what}. Go ahead? [y/N] `);
    const yes = /^y(es)?$/i.test(answer.trim());
    if (!yes) process.stderr.write(`tgc ${command}: not run; nothing was spent\n`);
    return yes;
  } finally {
    rl.close();
  }
}

/** The data sets a program's optimize blocks use (cut to `limit`), or the problems reading them. */
export function datasetsOf(graph: Graph, host: DataHost, limit: number | undefined): { datasets: Map<string, Example[]> } | { diagnostics: Diagnostic[] } {
  const datasets = new Map<string, Example[]>();
  const diagnostics: Diagnostic[] = [];
  for (const o of graph.optimizations) {
    for (const name of [o.data, o.validate?.data, o.test, o.each]) {
      if (name === undefined || datasets.has(name)) continue;
      const loaded = loadDataset(graph.data.get(name)!, host, graph.data);
      for (const d of loaded.diagnostics) if (!diagnostics.some((x) => x.message === d.message)) diagnostics.push(d);
      datasets.set(name, limit === undefined ? loaded.examples : loaded.examples.slice(0, limit));
    }
  }
  return diagnostics.length ? { diagnostics } : { datasets };
}
