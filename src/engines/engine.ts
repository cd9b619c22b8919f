// The one interface every engine implements: the simulator, scripted replies, and (next) real providers.
// Engines know nothing of the tg language: they receive messages, options, and the structured pieces the
// messages were built from. Real providers ignore those pieces; the simulator answers from them.

/**
 * One message of a conversation. An assistant message may ask for tool calls; each is answered by a `tool` message
 * with the call's id. Providers translate these to their own wire formats (OpenAI `tool_calls` and `tool` messages,
 * Anthropic `tool_use` and `tool_result` blocks).
 */
export type Message =
  | { readonly role: "system" | "user"; readonly content: string }
  | { readonly role: "assistant"; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: "tool"; readonly toolCallId: string; readonly name: string; readonly content: string };

/** A typed parameter of a tool, as the model is shown it (a JSON Schema property on the wire). */
export interface ToolParameter {
  readonly name: string;
  readonly type: "text" | "number" | "bool";
  readonly description?: string;
}

/** A tool an agent may call: a `.tg` function or a native one, with what it does and its parameters. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ToolParameter[];
}

/** A call the model asks for. `arguments` is the model's JSON, unchecked: the runtime checks it against the tool. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** One step of an agent's trajectory so far: the call it made and what the tool answered (or why it failed). */
export interface AgentStep {
  readonly call: ToolCall;
  readonly result: string;
  readonly failed: boolean;
}

export interface SamplingOptions {
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly top_p?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
}

export interface Labeled {
  readonly label: string;
  readonly text: string;
}

/** Why a request is made, with what it was built from. */
export type RequestContext =
  | { readonly purpose: "forward"; readonly system: string | undefined; readonly user: string; readonly role: string }
  | {
      /** One turn of an agent's loop: call tools, or answer. */
      readonly purpose: "agent";
      readonly system: string | undefined;
      readonly user: string;
      readonly role: string;
      readonly tools: readonly ToolSpec[];
      readonly trajectory: readonly AgentStep[];
      /** The turns left, this one included; on the last the agent must answer. */
      readonly turnsLeft: number;
    }
  | {
      readonly purpose: "loss";
      readonly targets: readonly Labeled[];
      readonly context: readonly Labeled[];
      readonly criteria: string;
    }
  | {
      readonly purpose: "backward";
      /** The text that should change, and what it is for. */
      readonly variable: string;
      readonly variableRole: string;
      /** How it relates to the output: it was evaluated directly, was part of the prompt, or was an argument. */
      readonly relation: "evaluated" | "prompt" | "argument";
      /** The output whose feedback is being passed back, and the feedback it received. */
      readonly output: string;
      readonly outputRole: string;
      readonly feedback: readonly string[];
      /** The full prompt (for `prompt` relations), so the variable is seen where it stands. */
      readonly prompt: { readonly system: string | undefined; readonly user: string } | undefined;
      /** How the output was made, when it was not one reply to the prompt: the passages retrieved, the agent's steps. */
      readonly process?: Process;
    }
  | {
      readonly purpose: "update";
      readonly variable: string;
      readonly variableRole: string;
      readonly gradients: readonly string[];
      readonly pastValues: readonly string[];
      readonly pastGradients: readonly (readonly string[])[];
      readonly rejected: readonly { readonly value: string; readonly score: number }[];
      readonly constraints: readonly string[];
      readonly examples: readonly string[];
      /** The largest share of the variable's words one update may change, when the program limits it. */
      readonly maxChange: number | undefined;
    }
  | { readonly purpose: "condense"; readonly variableRole: string; readonly gradients: readonly string[] }
  | {
      /** The whole-graph optimizer's one call per step: new values for every trainable variable at once. */
      readonly purpose: "propose";
      readonly variables: readonly ProposedVariable[];
      /** The executed subgraph of each example, as text: each node's inputs, role and value. */
      readonly traces: readonly string[];
      /** The losses' critiques, each example's in order. */
      readonly feedback: readonly string[];
      readonly constraints: readonly string[];
      readonly examples: readonly string[];
    };

/** What happened between a prompt and its output, for the backward pass to reason about. */
export type Process =
  | { readonly kind: "retrieval"; readonly corpus: string; readonly passages: readonly { readonly source: string; readonly score: number; readonly text: string }[] }
  | { readonly kind: "agent"; readonly steps: readonly AgentStep[]; readonly answer: string };

/** A trainable variable as the whole-graph optimizer is shown it. */
export interface ProposedVariable {
  readonly name: string;
  readonly role: string;
  readonly value: string;
  /** How the losses reach it: the text they judge, or through a prompt or a function's argument. */
  readonly relation: "evaluated" | "prompt" | "argument";
  readonly pastValues: readonly string[];
  readonly rejected: readonly { readonly value: string; readonly score: number }[];
}

export type Purpose = RequestContext["purpose"];

/**
 * The end of a prefix of a request that other requests share: every message before `message`, and the first
 * `chars` characters of that one. Prompts put shared parts first so that providers' prompt caches can serve them;
 * providers with explicit cache breakpoints (Anthropic) mark these ends.
 */
export interface PrefixMark {
  readonly message: number;
  readonly chars: number;
}

export interface EngineRequest {
  readonly messages: readonly Message[];
  /** Tools the model may call; its reply then may hold `toolCalls` instead of (or beside) text. */
  readonly tools?: readonly ToolSpec[];
  /** Ends of shared prefixes, shortest first (say, the variable shared by backward and update calls, then more). */
  readonly prefixMarks?: readonly PrefixMark[];
  readonly options: SamplingOptions;
  readonly context: RequestContext;
  /**
   * Which of several samples meant to differ this is (several answers at temperature > 0 for a majority vote).
   * Part of the cache key, so that samples are not all served the first one's reply.
   */
  readonly variant?: number;
  /**
   * Told when this request fails in a way worth retrying and will be tried again, so the caller can record it
   * with the request's other events. Not part of what is sent, nor of the cache key.
   */
  readonly onRetry?: (notice: { readonly attempt: number; readonly status: number | undefined; readonly message: string; readonly delayMs: number }) => void;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens the provider served from its prompt cache, where it reports them. */
  readonly cachedInputTokens?: number;
  /** Input tokens the provider wrote to its prompt cache (Anthropic), priced apart. */
  readonly cacheWriteInputTokens?: number;
}

export interface EngineReply {
  readonly text: string;
  readonly usage: Usage;
  readonly finishReason: "stop" | "length" | "refusal" | "tool_calls" | "other";
  /** The tools the model asks to call, in order, when the request offered tools. */
  readonly toolCalls?: readonly ToolCall[];
  /** True when the reply came from the response cache: it cost nothing. */
  readonly cached?: boolean;
}

/** Vectors for texts, one per text in order, from an embeddings endpoint (or the simulator's stand-in). */
export interface EmbeddingReply {
  readonly vectors: readonly (readonly number[])[];
  readonly usage: Usage;
  readonly cached?: boolean;
}

export interface Engine {
  /** e.g. "sim", "scripted:replies.json", "openai:gpt-4o". */
  readonly id: string;
  /** True for engines that do not call a model; runs say so in their banner. */
  readonly simulated: boolean;
  complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply>;
  /** Embeds texts; absent for engines without an embeddings endpoint (Anthropic has none). */
  embed?(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingReply>;
}

/** A failure an engine reports about a request (not a bug): the runtime turns it into a diagnostic. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly engine: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/**
 * A failed call to a provider: the HTTP status if there was a response, whether trying again may help, and how long
 * the provider asked us to wait. Messages never contain keys or credentials.
 */
export class ProviderError extends EngineError {
  constructor(
    message: string,
    engine: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs: number | undefined,
    hint?: string,
  ) {
    super(message, engine, hint);
    this.name = "ProviderError";
  }
}

/** A run reached one of its budgets (`--max-cost`, `--max-calls`, `--max-tokens`); the call was not made. */
export class BudgetExceeded extends Error {
  constructor(
    message: string,
    readonly budget: "cost" | "calls" | "tokens",
  ) {
    super(message);
    this.name = "BudgetExceeded";
  }
}

/** A rough token count (4 characters a token) for engines that do not report usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function usageOf(request: EngineRequest, reply: string): Usage {
  return {
    inputTokens: request.messages.reduce((n, m) => n + estimateTokens(m.content), 0),
    outputTokens: estimateTokens(reply),
  };
}

/**
 * Lets timers and signals run before an engine that answers at once (the simulator, scripted replies) replies, so
 * Ctrl-C and the status line work as they do with a provider. setImmediate in Node; a zero timeout in a browser.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
