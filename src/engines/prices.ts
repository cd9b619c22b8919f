// What a token costs, per engine: a default table of list prices, a user's overrides (a JSON file), and a lookup
// that never guesses. An engine whose price is not known costs `undefined`: its tokens are still counted, its cost
// is reported as unknown, and a cost budget refuses to call it (see cost.ts).

/**
 * USD per million tokens. `cachedInput` is the rate for input tokens the provider served from its prompt cache;
 * `cacheWrite` the rate for input tokens it wrote to that cache (Anthropic: 1.25 times input for its 5-minute cache),
 * the input rate when not given.
 */
export interface Price {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
  readonly cacheWrite?: number;
}

/** Keyed by engine id, `provider:model`, as the engines name themselves (`openai:gpt-4o`). */
export type PriceTable = Readonly<Record<string, Price>>;

const p = (input: number, cachedInput: number, output: number): Price => ({ input, cachedInput, output });
/** Anthropic's prices, with its 5-minute cache writes at 1.25 times input. */
const a = (input: number, cachedInput: number, output: number): Price => ({ input, cachedInput, output, cacheWrite: input * 1.25 });

/**
 * List prices (standard tier, not batch, not priority) as published by the providers, taken on 2026-11-29 from
 * stored copies of platform.claude.com/docs/en/about-claude/pricing, of OpenAI's pricing page as quoted by
 * github.com/simonw/llm-prices (data/openai.json, data/anthropic.json) and by several dated third-party tables that
 * agree with it. Prices change: verify before relying on them, and override any of them with a prices file.
 *
 * Not modelled (the table has one rate per kind of token): long-context tiers (OpenAI GPT-5.4/5.5 above 272K input
 * tokens, Claude Sonnet 4/4.5 above 200K with the 1M-context option, Haiku 5.5 above 100K cost more). Anthropic
 * cache writes are priced at 1.25 times input: tgc marks shared prompt prefixes for Anthropic's 5-minute cache.
 */
export const defaultPrices: PriceTable = {
  // OpenAI
  "openai:gpt-4o": p(2.5, 1.25, 10),
  "openai:gpt-4o-2024-05-13": p(5, 5, 15), // the first gpt-4o snapshot kept its launch price; no cached rate listed
  "openai:gpt-4o-mini": p(0.15, 0.075, 0.6),
  // The paper's forward model (TextGrad's prompt optimization); no cached rate listed.
  "openai:gpt-3.5-turbo-0125": p(0.5, 0.5, 1.5),
  "openai:gpt-3.5-turbo": p(0.5, 0.5, 1.5),
  "openai:gpt-4.1": p(2, 0.5, 8),
  "openai:gpt-4.1-mini": p(0.4, 0.1, 1.6),
  "openai:gpt-4.1-nano": p(0.1, 0.025, 0.4),
  "openai:gpt-5": p(1.25, 0.125, 10),
  "openai:gpt-5-mini": p(0.25, 0.025, 2),
  "openai:gpt-5-nano": p(0.05, 0.005, 0.4),
  "openai:gpt-5.1": p(1.25, 0.125, 10),
  "openai:gpt-5.2": p(1.75, 0.175, 14),
  "openai:gpt-5.4": p(2.5, 0.25, 15), // up to 272K input tokens
  "openai:gpt-5.4-mini": p(0.75, 0.075, 4.5),
  "openai:gpt-5.4-nano": p(0.2, 0.02, 1.25),
  "openai:gpt-5.5": p(5, 0.5, 30), // up to 272K input tokens
  // o3 launched at $10/$40 and was cut to $2/$8 in June 2025; sources still disagree, this is the cut price.
  "openai:o3": p(2, 0.5, 8),
  "openai:o3-mini": p(1.1, 0.55, 4.4),
  "openai:o4-mini": p(1.1, 0.275, 4.4),
  // OpenAI embeddings: input tokens only (no output, no cached rate).
  "openai:text-embedding-3-small": p(0.02, 0.02, 0),
  "openai:text-embedding-3-large": p(0.13, 0.13, 0),
  // Anthropic (aliases such as claude-sonnet-4-0 and the bare family names of dated snapshots are both listed)
  "anthropic:claude-3-haiku": a(0.25, 0.03, 1.25),
  "anthropic:claude-3-5-haiku": a(0.8, 0.08, 4),
  "anthropic:claude-3-7-sonnet": a(3, 0.3, 15),
  "anthropic:claude-sonnet-4": a(3, 0.3, 15),
  "anthropic:claude-sonnet-4-0": a(3, 0.3, 15),
  "anthropic:claude-sonnet-4-5": a(3, 0.3, 15),
  "anthropic:claude-sonnet-4-6": a(3, 0.3, 15),
  "anthropic:claude-sonnet-5": a(2, 0.2, 10),
  // Cache hits cut from $0.20 to $0.10 on 2026-10-07 according to several tools' release notes; not seen on the
  // stored copy of the official page, so unsure.
  "anthropic:claude-sonnet-5-5": a(2, 0.1, 10),
  "anthropic:claude-haiku-4-5": a(1, 0.1, 5),
  // Haiku 5.5 at its price for prompts up to 100K tokens; longer prompts cost 5x, which this table does not see.
  "anthropic:claude-haiku-5-5": a(0.1, 0.01, 0.5),
  "anthropic:claude-opus-4": a(15, 1.5, 75),
  "anthropic:claude-opus-4-0": a(15, 1.5, 75),
  "anthropic:claude-opus-4-1": a(15, 1.5, 75),
  "anthropic:claude-opus-4-5": a(5, 0.5, 25),
  "anthropic:claude-opus-4-6": a(5, 0.5, 25),
  "anthropic:claude-opus-4-7": a(5, 0.5, 25),
  "anthropic:claude-opus-4-8": a(5, 0.5, 25),
  "anthropic:claude-opus-5": a(5, 0.5, 25),
};

const free: Price = p(0, 0, 0);

/**
 * A dated or moving snapshot of a listed model: `gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`,
 * `claude-3-7-sonnet-latest`. Only these extend a listed id: `gpt-5-pro` is not `gpt-5`, nor `claude-opus-4-9`
 * `claude-opus-4`, and a price that is not known is not guessed.
 */
const SNAPSHOT = /^-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

function lookup(table: PriceTable, engineId: string): Price | undefined {
  if (Object.hasOwn(table, engineId)) return table[engineId];
  let best: string | undefined;
  for (const id of Object.keys(table)) {
    if (engineId.startsWith(id) && SNAPSHOT.test(engineId.slice(id.length)) && (best === undefined || id.length > best.length)) best = id;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * The price of an engine's tokens: the user's overrides first, then the simulator and scripted replies (free), then
 * the default table (exact id, then the longest listed id that the id is a snapshot of), then `compatible:*` (a
 * local server: free unless overridden). Anything else is unknown: `undefined`.
 */
export function priceOf(engineId: string, overrides: PriceTable = {}): Price | undefined {
  const own = lookup(overrides, engineId);
  if (own) return own;
  if (engineId === "sim" || engineId.startsWith("sim:") || engineId.startsWith("scripted:")) return free;
  const listed = lookup(defaultPrices, engineId);
  if (listed) return listed;
  if (engineId.startsWith("compatible:")) return free;
  return undefined;
}

const FIELDS = ["input", "cachedInput", "output", "cacheWrite"] as const;

/**
 * A user's prices file: `{ "openai:gpt-4o": { "input": 2.5, "cachedInput": 1.25, "output": 10 } }`, USD per million
 * tokens. `cachedInput` may be left out: cached input is then priced as input (never less than it may cost). Every
 * problem is listed, not just the first.
 */
export function loadPriceOverrides(json: unknown): { prices: PriceTable } | { problems: string[] } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { problems: ['a prices file is a JSON object: { "provider:model": { "input": 2.5, "cachedInput": 1.25, "output": 10 } }'] };
  }
  const problems: string[] = [];
  const prices: Record<string, Price> = {};
  for (const [id, value] of Object.entries(json)) {
    const colon = id.indexOf(":");
    if (colon <= 0 || colon === id.length - 1) {
      problems.push(`'${id}': expected an engine id provider:model, such as openai:gpt-4o`);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`'${id}': expected { "input": N, "cachedInput": N, "output": N } (USD per million tokens)`);
      continue;
    }
    const entry = value as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(entry)) {
      if (!(FIELDS as readonly string[]).includes(key)) problems.push(`'${id}': unknown field '${key}' (expected input, cachedInput, output, cacheWrite)`);
    }
    const read = (field: (typeof FIELDS)[number], required: boolean): number | undefined => {
      const v = entry[field];
      if (v === undefined) {
        if (required) problems.push(`'${id}': '${field}' is missing`);
        return undefined;
      }
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        problems.push(`'${id}': '${field}' must be a number of USD per million tokens, 0 or more (got ${JSON.stringify(v)})`);
        return undefined;
      }
      return v;
    };
    const input = read("input", true);
    const cachedInput = read("cachedInput", false);
    const output = read("output", true);
    const cacheWrite = read("cacheWrite", false);
    if (problems.length === before && input !== undefined && output !== undefined) {
      prices[id] = { input, cachedInput: cachedInput ?? input, output, ...(cacheWrite !== undefined ? { cacheWrite } : {}) };
    }
  }
  return problems.length > 0 ? { problems } : { prices };
}
