// The options a program may write, with the values each accepts. One table per place options appear,
// so the checker's rules and its "did you mean" hints come from the same source.
import type * as A from "../syntax/ast.js";

export type OptionSpec =
  | { readonly kind: "number"; readonly min?: number; readonly max?: number; readonly integer?: boolean; readonly doc: string }
  | { readonly kind: "string"; readonly doc: string }
  | { readonly kind: "strings"; readonly doc: string }
  | { readonly kind: "bool"; readonly doc: string }
  | { readonly kind: "engine"; readonly doc: string }
  | { readonly kind: "data"; readonly doc: string }
  | { readonly kind: "loss"; readonly doc: string }
  | { readonly kind: "vote"; readonly doc: string }
  | { readonly kind: "metric"; readonly doc: string }
  | { readonly kind: "tools"; readonly doc: string }
  | { readonly kind: "text"; readonly doc: string };

/** Sampling options: on an engine they are defaults, on a `call` they override the engine's. */
export const samplingOptions: Record<string, OptionSpec> = {
  temperature: { kind: "number", min: 0, max: 2, doc: "sampling temperature" },
  max_tokens: { kind: "number", min: 1, integer: true, doc: "upper bound on the reply's tokens" },
  top_p: { kind: "number", min: 0, max: 1, doc: "nucleus sampling mass" },
  seed: { kind: "number", integer: true, doc: "sampling seed, where the provider supports one" },
  stop: { kind: "strings", doc: "stop sequences" },
};

/** Options of an engine beyond sampling: how to reach the provider and how long to keep trying. */
export const engineOptions: Record<string, OptionSpec> = {
  ...samplingOptions,
  key_env: { kind: "string", doc: "the environment variable that holds this engine's API key" },
  timeout: { kind: "number", min: 1, doc: "seconds to wait for one reply before trying again (default 120)" },
  attempts: { kind: "number", min: 1, max: 20, integer: true, doc: "attempts per call, the first included (default 5)" },
  concurrency: { kind: "number", min: 1, max: 1000, integer: true, doc: "calls in flight at once (default: --concurrency, 8)" },
  rpm: { kind: "number", min: 1, doc: "requests per minute at most" },
  tpm: { kind: "number", min: 1, doc: "tokens per minute at most (estimated before each call)" },
};

export interface ProviderSpec {
  /** Positional arguments, all strings. */
  readonly args: readonly { readonly name: string; readonly optional?: boolean }[];
  readonly doc: string;
}

export const providers: Record<string, ProviderSpec> = {
  openai: { args: [{ name: "model" }], doc: "OpenAI Chat Completions" },
  anthropic: { args: [{ name: "model" }], doc: "Anthropic Messages" },
  compatible: { args: [{ name: "base_url" }, { name: "model" }], doc: "any OpenAI-compatible server" },
  sim: { args: [{ name: "name", optional: true }], doc: "the deterministic offline simulator" },
  scripted: { args: [{ name: "file" }], doc: "replies taken from a JSON file of rules" },
};

export const callEntries: Record<string, OptionSpec> = {
  system: { kind: "text", doc: "the system message" },
  user: { kind: "text", doc: "the user message (required)" },
  role: { kind: "string", doc: "what the reply is, as the backward pass should describe it" },
  ...samplingOptions,
};

/** An agent's entries: a call's messages and sampling, with the tools it may call and how many turns it has. */
export const agentEntries: Record<string, OptionSpec> = {
  ...callEntries,
  tools: { kind: "tools", doc: "the functions the agent may call: `fn`s with a description, or natives" },
  max_steps: { kind: "number", min: 1, max: 50, integer: true, doc: "tool calls at most before the agent must answer (default 8)" },
};

export const corpusFormats = ["files", "jsonl"] as const;

/** Options of a corpus: how its documents are cut into passages, and how they are indexed. */
export const corpusOptions: Record<string, OptionSpec> = {
  chunk: { kind: "number", min: 5, integer: true, doc: "words per passage (default 200)" },
  overlap: { kind: "number", min: 0, integer: true, doc: "words a passage repeats from the one before (default 40; less than chunk)" },
  text: { kind: "string", doc: "jsonl: the key of each record's text (default \"text\")" },
  source: { kind: "string", doc: "jsonl: the key that names each record (default \"id\"; else its line number)" },
  embed: { kind: "engine", doc: "index by this engine's embeddings instead of BM25 (the simulator's are a hashed stand-in)" },
};

export const DEFAULT_CHUNK = 200;
export const DEFAULT_OVERLAP = 40;
export const DEFAULT_AGENT_STEPS = 8;

export const optimizers: Record<string, Record<string, OptionSpec>> = {
  tgd: {
    engine: { kind: "engine", doc: "the engine that computes gradients and updates (required)" },
    momentum: { kind: "number", min: 0, max: 20, integer: true, doc: "how many past values the update prompt shows" },
    gradient_memory: { kind: "number", min: 0, max: 20, integer: true, doc: "how many past gradients the update prompt shows" },
    constraints: { kind: "strings", doc: "rules every new value must follow" },
    examples: { kind: "strings", doc: "in-context examples of good values" },
    condense_after: {
      kind: "number",
      min: 200,
      integer: true,
      doc: "characters of gradients beyond which they are summarized before the update (default 12000)",
    },
    retries: { kind: "number", min: 0, max: 10, integer: true, doc: "re-asks when a reply lacks its tags (default 2)" },
    max_change: { kind: "number", min: 0.01, max: 1, doc: "how far one update may move: the largest share of the variable's words it may change (a learning rate)" },
  },
  opto: {
    engine: { kind: "engine", doc: "the engine that reads the executed graph and proposes new values (required)" },
    momentum: { kind: "number", min: 0, max: 20, integer: true, doc: "how many past values of each variable the prompt shows" },
    constraints: { kind: "strings", doc: "rules every new value must follow" },
    examples: { kind: "strings", doc: "in-context examples of good values" },
    retries: { kind: "number", min: 0, max: 10, integer: true, doc: "re-asks when a reply holds no usable proposal (default 2)" },
  },
};

export const optimizeSettings: Record<string, OptionSpec> = {
  minimize: { kind: "loss", doc: "the loss to minimize (required)" },
  steps: { kind: "number", min: 1, integer: true, doc: "optimizer steps; with data, an upper bound on them" },
  epochs: { kind: "number", min: 1, integer: true, doc: "passes over the data (needs data)" },
  batch: { kind: "number", min: 1, integer: true, doc: "examples per step (needs data; default 1)" },
  data: { kind: "data", doc: "the training data" },
  each: {
    kind: "data",
    doc: "test-time optimization over a data set: every example's variables start anew from their initializers and are optimized for that example alone",
  },
  score: { kind: "metric", doc: "with each: the metric each example's values are scored by, before and after their optimization" },
  seed: {
    kind: "number",
    integer: true,
    doc: "seed for shuffling the data (default 0); with each, a seed other than 0 makes every call a sample of its own, apart from other seeds' in the cache",
  },
  test: { kind: "data", doc: "the held-out data set `tgc bench` scores before and after training; never trained or validated on" },
  stop_when_solved: { kind: "bool", doc: "end the optimization at the first step whose loss finds nothing left to fix" },
  patience: { kind: "number", min: 1, integer: true, doc: "end the optimization once validation has not improved for this many steps (needs validate)" },
  vote: {
    kind: "vote",
    doc: "test-time optimization: the answer each value gives (e.g. the chosen letter); the final value is the latest one whose answer the most values gave",
  },
};

export const dataFormats = ["jsonl", "csv", "json"] as const;
export const fieldTypes = ["text", "number", "bool"] as const;

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? `did you mean '${best}'?` : undefined;
}

/** The literal value of an option expression, for settings read at compile time. */
export function literalValue(e: A.Expr): number | string | boolean | string[] | undefined {
  switch (e.kind) {
    case "NumberLit":
      return e.value;
    case "BoolLit":
      return e.value;
    case "StringLit": {
      let s = "";
      for (const p of e.parts) {
        if (p.kind === "Interpolation") return undefined;
        s += p.text;
      }
      return s;
    }
    case "ListExpr": {
      const out: string[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (typeof v !== "string") return undefined;
        out.push(v);
      }
      return out;
    }
    case "ParenExpr":
      return literalValue(e.inner);
    default:
      return undefined;
  }
}
