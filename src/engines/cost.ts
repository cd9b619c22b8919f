// What a run spends: tokens in (fresh and provider-cached) and out, calls and their cost, per engine and per phase,
// and the budgets (`--max-cost`, `--max-calls`, `--max-tokens`) that stop a run before the call that would break
// one. The meter is the truth (actual usage, recorded after each call); the budget's estimate only guards.
//
// Order of wrappers, outermost first: cache → BudgetedEngine → RetryingEngine → provider. Replies the cache serves
// never reach the budget (they cost nothing and are no call to a provider); the runtime records them with
// `meter.recordHit` so their tokens and what they saved are still shown. Retries happen inside one budgeted call:
// a call that needed three attempts is one call, recorded with the usage of the reply that came back.
import { BudgetExceeded, estimateTokens, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest, type Purpose, type Usage } from "./engine.js";
import { priceOf, type Price, type PriceTable } from "./prices.js";

/** What a call was for, as the meter counts it: a request's purpose, or embedding texts. */
export type Phase = Purpose | "embed";

/** The output a call is assumed to produce, for the budget's estimate, when its request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_ESTIMATE = 1_000;

/** USD for one call's usage at a price; `undefined` when the price is not known. */
export function costAt(price: Price | undefined, usage: Usage): number | undefined {
  if (price === undefined) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - cached);
  const plain = usage.inputTokens - cached - written;
  return (plain * price.input + cached * price.cachedInput + written * (price.cacheWrite ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
}

/** USD for one call of an engine (`openai:gpt-4o`), with the user's price overrides if any. */
export function costOfCall(engineId: string, usage: Usage, overrides: PriceTable = {}): number | undefined {
  return costAt(priceOf(engineId, overrides), usage);
}

/** Totals for one engine, one phase, or the run. JSON-able: an unknown cost is `null`. */
export interface Totals {
  /** Calls made to a provider (or the simulator): cache hits are not among them. */
  calls: number;
  /** Replies served by tgc's response cache: free, counted apart. */
  cacheHits: number;
  /** Tokens of the calls made: input (including the provider-cached part), provider-cached input, output. */
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** USD of the calls made; `null` when any of them was to an engine whose price is not known. */
  cost: number | null;
  /** USD the cache hits would have cost; `null` when any of them was to an engine whose price is not known. */
  savedCost: number | null;
}

export interface UsageSnapshot {
  total: Totals;
  byEngine: Record<string, Totals>;
  byPhase: Partial<Record<Phase, Totals>>;
  /** The price each engine seen was counted at (USD per million tokens), `null` where unknown. */
  prices: Record<string, Price | null>;
}

const empty = (): Totals => ({ calls: 0, cacheHits: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, cost: 0, savedCost: 0 });
const plus = (a: number | null, b: number | undefined): number | null => (a === null || b === undefined ? null : a + b);

export class Meter {
  private total = empty();
  private readonly byEngine = new Map<string, Totals>();
  private readonly byPhase = new Map<Phase, Totals>();
  /** What calls under way were estimated at, so that calls made at once cannot pass a budget together. */
  private readonly reserved = { calls: 0, tokens: 0, cost: 0 };

  constructor(private readonly overrides: PriceTable = {}) {}

  /** A meter with the same prices and nothing recorded: one run's share, when runs at once share the engines. */
  fresh(): Meter {
    return new Meter(this.overrides);
  }

  priceOf(engineId: string): Price | undefined {
    return priceOf(engineId, this.overrides);
  }

  costOfCall(engineId: string, usage: Usage): number | undefined {
    return costAt(this.priceOf(engineId), usage);
  }

  /** A call made (`cached` false), or a reply served by the response cache (`cached` true: free, saves its cost). */
  record(engineId: string, purpose: Phase, usage: Usage, cached: boolean): void {
    const cost = this.costOfCall(engineId, usage);
    const engine = this.byEngine.get(engineId) ?? empty();
    const phase = this.byPhase.get(purpose) ?? empty();
    this.byEngine.set(engineId, engine);
    this.byPhase.set(purpose, phase);
    for (const t of [this.total, engine, phase]) {
      if (cached) {
        t.cacheHits++;
        t.savedCost = plus(t.savedCost, cost);
      } else {
        t.calls++;
        t.inputTokens += usage.inputTokens;
        t.cachedInputTokens += Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
        t.outputTokens += usage.outputTokens;
        t.cost = plus(t.cost, cost);
      }
    }
  }

  /** A reply served by tgc's response cache, reported by the runtime from its events. */
  recordHit(engineId: string, purpose: Phase, usage: Usage): void {
    this.record(engineId, purpose, usage, true);
  }

  /** Spent so far on calls made (cache hits excluded), for the budgets. `cost` counts only priced calls. */
  spent(): { calls: number; tokens: number; cost: number } {
    let cost = 0;
    for (const [id, t] of this.byEngine) if (this.priceOf(id) !== undefined) cost += t.cost ?? 0;
    return { calls: this.total.calls, tokens: this.total.inputTokens + this.total.outputTokens, cost };
  }

  /** Spent plus what calls under way were estimated at. */
  committed(): { calls: number; tokens: number; cost: number } {
    const s = this.spent();
    return { calls: s.calls + this.reserved.calls, tokens: s.tokens + this.reserved.tokens, cost: s.cost + this.reserved.cost };
  }

  /** Holds a call's estimate while it is under way; call the function returned when it is over. */
  reserve(estimate: { calls: number; tokens: number; cost: number }): () => void {
    const add = (sign: number) => {
      this.reserved.calls += sign * estimate.calls;
      this.reserved.tokens += sign * estimate.tokens;
      this.reserved.cost += sign * estimate.cost;
    };
    add(1);
    let released = false;
    return () => {
      if (!released) add(-1);
      released = true;
    };
  }

  /** Continues from a checkpoint's totals: a resumed run's budgets count what was spent before. */
  restore(s: UsageSnapshot): void {
    this.total = { ...s.total };
    this.byEngine.clear();
    this.byPhase.clear();
    for (const [k, v] of Object.entries(s.byEngine)) this.byEngine.set(k, { ...v });
    for (const [k, v] of Object.entries(s.byPhase)) if (v) this.byPhase.set(k as Phase, { ...v });
  }

  snapshot(): UsageSnapshot {
    const prices: Record<string, Price | null> = {};
    for (const id of this.byEngine.keys()) prices[id] = this.priceOf(id) ?? null;
    return {
      total: { ...this.total },
      byEngine: Object.fromEntries([...this.byEngine].map(([k, v]) => [k, { ...v }])),
      byPhase: Object.fromEntries([...this.byPhase].map(([k, v]) => [k, { ...v }])),
      prices,
    };
  }
}

export interface Budget {
  /** USD. */
  maxCost?: number;
  /** Calls made to providers (cache hits and retries inside one call are not counted). */
  maxCalls?: number;
  /** Input (cached included) plus output tokens. */
  maxTokens?: number;
}

const usd = (n: number) => `$${n.toFixed(4)}`;
const count = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * Refuses, before it is made, any call that could take the run past a budget (`BudgetExceeded`, naming the budget);
 * records each call's actual usage in the shared meter after it returns. The estimate: input ≈ characters / 4 of all
 * messages; output = `max_tokens` if the request sets it, else DEFAULT_OUTPUT_ESTIMATE. A reply longer than its
 * estimate can take the run past a budget by the difference: set `max_tokens` to make the guard exact on output.
 */
export class BudgetedEngine implements Engine {
  readonly id: string;
  readonly simulated: boolean;

  constructor(
    private readonly inner: Engine,
    private readonly meter: Meter,
    private readonly budget: Budget,
  ) {
    this.id = inner.id;
    this.simulated = inner.simulated;
    const embed = inner.embed?.bind(inner);
    if (embed) {
      this.embed = async (texts, signal) => {
        const input = texts.reduce((n, t) => n + estimateTokens(t), 0);
        const release = this.meter.reserve(this.check(input, 0, "embed"));
        let reply: EmbeddingReply;
        try {
          reply = await embed(texts, signal);
        } finally {
          release();
        }
        this.meter.record(this.id, "embed", reply.usage, reply.cached === true);
        return reply;
      };
    }
  }

  /** Embeds within the budgets, metered under the phase `embed` (input tokens only); present when the inner engine embeds. */
  readonly embed?: (texts: readonly string[], signal?: AbortSignal) => Promise<EmbeddingReply>;

  async complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
    const input = request.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    const release = this.meter.reserve(this.check(input, request.options.max_tokens ?? DEFAULT_OUTPUT_ESTIMATE, request.context.purpose));
    let reply: EngineReply;
    try {
      reply = await this.inner.complete(request, signal);
    } finally {
      release();
    }
    this.meter.record(this.id, request.context.purpose, reply.usage, reply.cached === true);
    return reply;
  }

  /** The estimate of a call of about `input` and `output` tokens, if it fits every budget; throws BudgetExceeded if it may not. */
  private check(input: number, output: number, phase: Phase): { calls: number; tokens: number; cost: number } {
    const what = `this ${phase} call to ${this.id}`;
    const notMade = "the call was not made";
    const so = this.meter.committed();
    const { maxCalls, maxTokens, maxCost } = this.budget;
    if (maxCalls !== undefined && so.calls + 1 > maxCalls) {
      throw new BudgetExceeded(`budget --max-calls ${maxCalls} reached: ${so.calls} calls made so far; ${what} would be one more, so ${notMade}`, "calls");
    }
    if (maxTokens !== undefined && so.tokens + input + output > maxTokens) {
      throw new BudgetExceeded(
        `budget --max-tokens ${count(maxTokens)} would be exceeded: ${count(so.tokens)} tokens spent so far and ${what} is estimated at ${count(input + output)} (${count(input)} in, ${count(output)} out), so ${notMade}`,
        "tokens",
      );
    }
    let cost = 0;
    if (maxCost !== undefined) {
      const price = this.meter.priceOf(this.id);
      if (price === undefined) {
        throw new BudgetExceeded(
          `budget --max-cost ${usd(maxCost)} cannot be kept: the price of engine ${this.id} is unknown, so the cost of its calls cannot be counted, and ${notMade}. ` +
            `Give its price in USD per million tokens in a prices file (--prices FILE), e.g. { "${this.id}": { "input": 2.5, "cachedInput": 1.25, "output": 10 } }, or run without --max-cost`,
          "cost",
        );
      }
      cost = costAt(price, { inputTokens: input, outputTokens: output }) ?? 0;
      if (so.cost + cost > maxCost) {
        throw new BudgetExceeded(
          `budget --max-cost ${usd(maxCost)} would be exceeded: ${usd(so.cost)} spent so far and ${what} is estimated at ${usd(cost)}, so ${notMade}`,
          "cost",
        );
      }
    }
    return { calls: 1, tokens: input + output, cost };
  }
}

/** A compact table of a snapshot, per engine then per phase, for printing after each step and at the end of a run. */
export function formatUsageTable(snapshot: UsageSnapshot): string {
  const header = ["", "calls", "hits", "in", "cached", "out", "cost USD"];
  const row = (label: string, t: Totals) => [label, count(t.calls), count(t.cacheHits), count(t.inputTokens), count(t.cachedInputTokens), count(t.outputTokens), t.cost === null ? "unknown" : t.cost.toFixed(4)];
  const phases: readonly Phase[] = ["forward", "agent", "loss", "backward", "update", "condense", "propose", "embed"];
  const rows: string[][] = [
    ["engine", ...header.slice(1)],
    ...Object.entries(snapshot.byEngine).map(([id, t]) => row(`  ${id}`, t)),
    ["phase", "", "", "", "", "", ""],
    ...phases.flatMap((ph) => {
      const t = snapshot.byPhase[ph];
      return t ? [row(`  ${ph}`, t)] : [];
    }),
    row("total", snapshot.total),
  ];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
  const { cacheHits, savedCost } = snapshot.total;
  if (cacheHits > 0) lines.push(`${count(cacheHits)} cached ${cacheHits === 1 ? "reply" : "replies"} saved ${savedCost === null ? "an unknown amount" : `${savedCost.toFixed(4)} USD`}`);
  return lines.join("\n");
}
