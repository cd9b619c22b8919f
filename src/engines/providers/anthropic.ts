// Anthropic Messages through `@anthropic-ai/sdk`. System messages go in `system`; `max_tokens` is required by the
// API, so it defaults to 4096. The API version this SDK speaks (2026-10-21) rejects `temperature`, `top_p` and
// `top_k`, and has no `seed`: those options are not sent to Anthropic.
//
// Tools: an assistant message's tool calls become `tool_use` blocks after its text; the `tool` messages that answer
// them become `tool_result` blocks of one user message (the API wants every result of a turn in the next message).
import type { Engine, EngineReply, EngineRequest, Message, ToolCall, ToolSpec } from "../engine.js";
import { fromSdkError } from "./errors.js";
import { argumentsOf, parametersSchema } from "./tools.js";

export interface AnthropicEngineConfig {
  readonly id: string;
  readonly model: string;
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  readonly keyVariable: string | undefined;
}

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** Below about 1,024 tokens Anthropic does not cache a prefix, and a marked one costs a cache write for nothing. */
export const MIN_CACHED_PREFIX_CHARS = 4096;

type CacheControl = { cache_control?: { type: "ephemeral" } };
type Block = { type: "text"; text: string } & CacheControl;
type ToolUseBlock = { type: "tool_use"; id: string; name: string; input: Record<string, unknown> } & CacheControl;
type ToolResultBlock = { type: "tool_result"; tool_use_id: string; content: string } & CacheControl;
type AnyBlock = Block | ToolUseBlock | ToolResultBlock;
type WireMessage = { role: "user" | "assistant"; content: string | AnyBlock[] };

const finishOf = (reason: string | null | undefined): EngineReply["finishReason"] =>
  reason === "end_turn" || reason === "stop_sequence"
    ? "stop"
    : reason === "max_tokens"
      ? "length"
      : reason === "refusal"
        ? "refusal"
        : reason === "tool_use"
          ? "tool_calls"
          : "other";

/** A tool as Anthropic's `tools` take it: name, description, and a JSON Schema `input_schema`. */
export function toAnthropicTool(tool: ToolSpec): { name: string; description: string; input_schema: { type: "object"; [k: string]: unknown } } {
  return { name: tool.name, description: tool.description, input_schema: { ...parametersSchema(tool) } };
}

/** Anthropic accepts at most four cache breakpoints in a request. */
const MAX_BREAKPOINTS = 4;

/** A text as content blocks cut at `ends` (ascending offsets), each block ending at one of them marked for caching. */
function marked(text: string, ends: readonly number[]): Block[] {
  const blocks: Block[] = [];
  let from = 0;
  for (const end of ends) {
    if (end <= from || end > text.length) continue;
    blocks.push({ type: "text", text: text.slice(from, end), cache_control: { type: "ephemeral" } });
    from = end;
  }
  if (from < text.length) blocks.push({ type: "text", text: text.slice(from) });
  return blocks;
}

/**
 * The request's messages on Anthropic's wire, and where each of tgc's non-system messages went: the wire message,
 * and its block there when it is one of several (tool calls and results) rather than plain text.
 */
function wireMessages(all: readonly Message[]): { messages: WireMessage[]; where: Map<number, { message: number; block: number | undefined }> } {
  const messages: WireMessage[] = [];
  const where = new Map<number, { message: number; block: number | undefined }>();
  all.forEach((m, i) => {
    switch (m.role) {
      case "system":
        return;
      case "tool": {
        const result: ToolResultBlock = { type: "tool_result", tool_use_id: m.toolCallId, content: m.content };
        const last = messages[messages.length - 1];
        // Consecutive results answer one assistant turn: they go in one user message.
        if (last && last.role === "user" && Array.isArray(last.content) && last.content.every((b) => b.type === "tool_result")) last.content.push(result);
        else messages.push({ role: "user", content: [result] });
        const message = messages.length - 1;
        where.set(i, { message, block: (messages[message]!.content as AnyBlock[]).length - 1 });
        return;
      }
      case "assistant":
        if (m.toolCalls?.length) {
          const blocks: AnyBlock[] = m.content === "" ? [] : [{ type: "text", text: m.content }];
          for (const c of m.toolCalls) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: { ...c.arguments } });
          messages.push({ role: "assistant", content: blocks });
          where.set(i, { message: messages.length - 1, block: blocks.length - 1 });
          return;
        }
        messages.push({ role: "assistant", content: m.content });
        where.set(i, { message: messages.length - 1, block: undefined });
        return;
      case "user":
        messages.push({ role: "user", content: m.content });
        where.set(i, { message: messages.length - 1, block: undefined });
        return;
      default: {
        const never: never = m;
        return never;
      }
    }
  });
  return { messages, where };
}

/**
 * The request's system and messages, with a cache breakpoint at the end of each shared prefix long enough to be
 * cached. A prefix ending at the start of a message is marked at the end of the one before. Plain text messages can
 * be cut anywhere; a tool call or result only at its end (its last block is marked), so a mark inside one is dropped.
 */
export function anthropicContent(request: EngineRequest): { system: string | Block[] | undefined; messages: WireMessage[] } {
  const all = request.messages;
  const systemText = all.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
  const { messages, where } = wireMessages(all);
  // Each mark as (message, offset in it), moved back to the end of the previous message when it falls at a start.
  const marks = (request.prefixMarks ?? [])
    .map((m) => (m.chars > 0 ? m : { message: m.message - 1, chars: all[m.message - 1]?.content.length ?? 0 }))
    .filter((m) => all[m.message] !== undefined && m.chars > 0)
    .filter((m) => where.get(m.message)?.block === undefined || m.chars >= all[m.message]!.content.length)
    .filter((m) => all.slice(0, m.message).reduce((n, x) => n + x.content.length, 0) + m.chars >= MIN_CACHED_PREFIX_CHARS)
    .slice(-MAX_BREAKPOINTS);
  const systemEnds: number[] = [];
  const messageEnds = new Map<number, number[]>();
  for (const m of marks) {
    const place = where.get(m.message);
    if (all[m.message]!.role === "system") {
      // System messages are joined into one `system`; this one starts after the ones before it.
      const offset = all.slice(0, m.message).filter((x) => x.role === "system").reduce((n, x) => n + x.content.length + 2, 0);
      systemEnds.push(offset + m.chars);
    } else if (place && place.block !== undefined) {
      const blocks = messages[place.message]!.content as AnyBlock[];
      blocks[place.block] = { ...blocks[place.block]!, cache_control: { type: "ephemeral" } };
    } else if (place) {
      messageEnds.set(place.message, [...(messageEnds.get(place.message) ?? []), m.chars]);
    }
  }
  for (const [j, ends] of messageEnds) {
    messages[j] = { ...messages[j]!, content: marked(messages[j]!.content as string, ends.sort((a, b) => a - b)) };
  }
  const system = systemEnds.length ? marked(systemText, systemEnds.sort((a, b) => a - b)) : systemText || undefined;
  return { system, messages };
}

export async function anthropicEngine(config: AnthropicEngineConfig): Promise<Engine> {
  const sdk = await import("@anthropic-ai/sdk");
  const Anthropic = sdk.default;
  const client = new Anthropic({ apiKey: config.apiKey, baseURL: config.baseURL, maxRetries: 0, timeout: 24 * 3600_000 });
  return {
    id: config.id,
    simulated: false,
    async complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
      const o = request.options;
      const { system, messages } = anthropicContent(request);
      try {
        const response = await client.messages.create(
          {
            model: config.model,
            max_tokens: o.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
            messages,
            ...(system ? { system } : {}),
            ...(request.tools?.length ? { tools: request.tools.map(toAnthropicTool) } : {}),
            ...(o.stop !== undefined ? { stop_sequences: [...o.stop] } : {}),
          },
          { signal },
        );
        const text = response.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
        const toolCalls: ToolCall[] = response.content.flatMap((b) => (b.type === "tool_use" ? [{ id: b.id, name: b.name, arguments: argumentsOf(b.input) }] : []));
        return {
          text,
          finishReason: finishOf(response.stop_reason),
          ...(toolCalls.length ? { toolCalls } : {}),
          usage: {
            // Anthropic counts cache reads and writes apart from input_tokens; the total input is their sum.
            inputTokens: response.usage.input_tokens + (response.usage.cache_read_input_tokens ?? 0) + (response.usage.cache_creation_input_tokens ?? 0),
            outputTokens: response.usage.output_tokens,
            cachedInputTokens: response.usage.cache_read_input_tokens ?? 0,
            cacheWriteInputTokens: response.usage.cache_creation_input_tokens ?? 0,
          },
        };
      } catch (e) {
        throw fromSdkError(e, sdk, config.id, [config.apiKey], config.keyVariable);
      }
    },
  };
}
