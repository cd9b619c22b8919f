// What every part of a run shares: the engines by program name, native functions, the event sink.
import {
  EngineError,
  type Engine,
  type EngineReply,
  type EngineRequest,
  type RequestContext,
  type SamplingOptions,
  type ToolSpec,
} from "../engines/engine.js";
import type { Code } from "../diagnostics/codes.js";
import type { Range } from "../diagnostics/diagnostic.js";
import type { Graph, NodeId } from "../ir/graph.js";
import type { EventSink } from "./events.js";
import type { NativeRegistry } from "./natives.js";
import type { Retrieval } from "./retrieval.js";
import { extractTagged, type Prompt } from "./prompts/tags.js";

/**
 * A problem that stops a run (an engine that fails, a native function that throws, an example without a field):
 * carried to `runProgram`, which turns it into a diagnostic pointing at the node that failed.
 */
export class RuntimeFailure extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly range: Range | undefined,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "RuntimeFailure";
  }
}

export interface RuntimeContext {
  readonly graph: Graph;
  readonly engines: ReadonlyMap<string, Engine>;
  readonly natives: NativeRegistry;
  readonly emit: EventSink;
  readonly signal?: AbortSignal;
  /** Corpora's indexes, built when first searched; absent where nothing can be read (the playground). */
  readonly retrieval?: Retrieval;
  /**
   * Which of repeated runs this is, when their calls must be distinct samples rather than one reply served from the
   * cache again (test-time optimization with a seed). Part of every request's cache key; providers never see it.
   */
  readonly repetition?: number;
}

export interface CallSite {
  readonly node: NodeId | undefined;
  readonly label: string;
  readonly sample: number | undefined;
}

/** How many times an empty reply or a refusal is asked again before it is accepted as the reply. */
export const REASK_EMPTY = 2;

/**
 * Sends a request to a program engine and returns the reply's text. An empty reply or a refusal is asked again
 * (as a new sample) a bounded number of times, each time recorded as an event; then it is accepted, so a run goes
 * on rather than crash.
 */
export async function ask(
  ctx: RuntimeContext,
  engineName: string,
  prompt: Prompt,
  context: RequestContext,
  site: CallSite,
  callOptions: SamplingOptions = {},
): Promise<string> {
  return (await askReplying(ctx, engineName, prompt, context, site, callOptions, undefined)).text;
}

/**
 * One turn of an agent: the conversation so far, with the tools offered. The reply's tool calls (if any) are the
 * agent's next steps; an empty reply is asked again as `ask` does.
 */
export const askWithTools = (ctx: RuntimeContext, engineName: string, prompt: Prompt, context: RequestContext, site: CallSite, callOptions: SamplingOptions, tools: readonly ToolSpec[]) =>
  askReplying(ctx, engineName, prompt, context, site, callOptions, tools);

/** `ask`'s loop: a reply with neither text nor tool calls, or a refusal, is asked again as a new sample. */
async function askReplying(
  ctx: RuntimeContext,
  engineName: string,
  prompt: Prompt,
  context: RequestContext,
  site: CallSite,
  callOptions: SamplingOptions,
  tools: readonly ToolSpec[] | undefined,
): Promise<EngineReply> {
  for (let attempt = 1; ; attempt++) {
    const reply = await callOnce(ctx, engineName, prompt, context, site, callOptions, attempt > 1 ? attempt - 1 : undefined, tools);
    const problem = reply.text.trim() === "" && !reply.toolCalls?.length ? "empty reply" : reply.finishReason === "refusal" ? "refusal" : undefined;
    if (!problem || attempt > REASK_EMPTY) return reply;
    ctx.emit({ type: "reply_malformed", purpose: context.purpose, engine: engineName, attempt, problem, retrying: true });
  }
}

/** Sends one request and records the call as an event. */
async function callOnce(
  ctx: RuntimeContext,
  engineName: string,
  prompt: Prompt,
  context: RequestContext,
  site: CallSite,
  callOptions: SamplingOptions,
  variant: number | undefined,
  tools?: readonly ToolSpec[],
): Promise<EngineReply> {
  const engine = ctx.engines.get(engineName);
  if (!engine) throw new RuntimeFailure("TG4001", `engine '${engineName}' is not available`, undefined);
  const configured = ctx.graph.engines.get(engineName)?.options ?? {};
  const { messages, prefixMarks } = prompt;
  const request: EngineRequest = {
    messages,
    options: { ...configured, ...callOptions },
    context,
    ...(tools?.length ? { tools } : {}),
    ...(prefixMarks.length ? { prefixMarks } : {}),
    // A re-ask is a new sample; so is every call of another repetition, whose re-asks follow its first ask.
    ...(variant !== undefined || ctx.repetition !== undefined ? { variant: (ctx.repetition ?? 0) * (REASK_EMPTY + 1) + (variant ?? 0) } : {}),
    onRetry: (n) => ctx.emit({ type: "retry", attempt: n.attempt, status: n.status, message: n.message, delayMs: n.delayMs, engine: engineName }),
  };
  let reply;
  try {
    reply = await engine.complete(request, ctx.signal);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    const range = site.node === undefined ? undefined : ctx.graph.nodes[site.node]?.range;
    throw new RuntimeFailure("TG4001", `engine ${engineName} (${engine.id}) failed during ${context.purpose} (${site.label}): ${e.message}`, range, e.hint);
  }
  ctx.emit({
    type: "call",
    purpose: context.purpose,
    engine: engineName,
    node: site.node,
    label: site.label,
    sample: site.sample,
    messages,
    reply: reply.text,
    ...(reply.toolCalls?.length ? { toolCalls: reply.toolCalls } : {}),
    usage: reply.usage,
    cached: reply.cached ?? false,
  });
  return reply;
}

/** What a reply gave: a usable value, or what is wrong with it and what to ask next. */
export type Reading<T> = { readonly value: T } | { readonly problem: string; readonly reask: string };

/**
 * Asks for a reply that `read` can use, re-asking (with the failed reply and what `read` says to ask) a bounded
 * number of times. When no attempt was usable, returns the last problem; each failure is an event, never an
 * exception.
 */
export async function askUntilUsable<T>(
  ctx: RuntimeContext,
  engineName: string,
  prompt: Prompt,
  context: RequestContext,
  site: CallSite,
  read: (reply: string) => Reading<T>,
  retries: number,
): Promise<{ readonly value: T } | { readonly problem: string }> {
  let conversation: Prompt = prompt;
  let problem = "no reply";
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const reply = (await callOnce(ctx, engineName, conversation, context, site, {}, undefined)).text;
    const r = read(reply);
    if ("value" in r) return r;
    problem = reply.trim() === "" ? "empty reply" : r.problem;
    ctx.emit({ type: "reply_malformed", purpose: context.purpose, engine: engineName, attempt, problem, retrying: attempt <= retries });
    conversation = { ...prompt, messages: [...prompt.messages, { role: "assistant", content: reply }, { role: "user", content: r.reask }] };
  }
  return { problem };
}

/** A reply's tagged section (`<TAG>…</TAG>`), or the reminder to ask for it. */
export const taggedReading =
  (tag: string, reask: string) =>
  (reply: string): Reading<string> => {
    const found = extractTagged(reply, tag);
    return found !== undefined ? { value: found } : { problem: `no <${tag}> section`, reask };
  };

/** Asks for a reply with a tagged section (`<TAG>…</TAG>`); see askUntilUsable. */
export const askTagged = async (ctx: RuntimeContext, engineName: string, prompt: Prompt, context: RequestContext, site: CallSite, tag: string, reask: string, retries: number) => {
  const r = await askUntilUsable(ctx, engineName, prompt, context, site, taggedReading(tag, reask), retries);
  return "value" in r ? r.value : undefined;
};
