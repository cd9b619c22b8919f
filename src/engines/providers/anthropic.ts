// Anthropic Messages through `@anthropic-ai/sdk`. System messages go in `system`; `max_tokens` is required by the
// API, so it defaults to 4096. The API version this SDK speaks (2026-10-21) rejects `temperature`, `top_p` and
// `top_k`, and has no `seed`: those options are not sent to Anthropic.
import type { Engine, EngineReply, EngineRequest } from "../engine.js";
import { fromSdkError } from "./errors.js";

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

type Block = { type: "text"; text: string; cache_control?: { type: "ephemeral" } };

const finishOf = (reason: string | null | undefined): EngineReply["finishReason"] =>
  reason === "end_turn" || reason === "stop_sequence" ? "stop" : reason === "max_tokens" ? "length" : reason === "refusal" ? "refusal" : "other";

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
 * The request's system and messages, with a cache breakpoint at the end of each shared prefix long enough to be
 * cached. A prefix ending at the start of a message is marked at the end of the one before.
 */
export function anthropicContent(request: EngineRequest): { system: string | Block[] | undefined; messages: { role: "user" | "assistant"; content: string | Block[] }[] } {
  const all = request.messages;
  const systemText = all.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
  const messages: { role: "user" | "assistant"; content: string | Block[] }[] = all
    .filter((m) => m.role !== "system")
    .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
  // Each mark as (message, offset in it), moved back to the end of the previous message when it falls at a start.
  const marks = (request.prefixMarks ?? [])
    .map((m) => (m.chars > 0 ? m : { message: m.message - 1, chars: all[m.message - 1]?.content.length ?? 0 }))
    .filter((m) => all[m.message] !== undefined && m.chars > 0)
    .filter((m) => all.slice(0, m.message).reduce((n, x) => n + x.content.length, 0) + m.chars >= MIN_CACHED_PREFIX_CHARS)
    .slice(-MAX_BREAKPOINTS);
  const systemEnds: number[] = [];
  const messageEnds = new Map<number, number[]>();
  for (const m of marks) {
    if (all[m.message]!.role === "system") {
      // System messages are joined into one `system`; this one starts after the ones before it.
      const offset = all.slice(0, m.message).filter((x) => x.role === "system").reduce((n, x) => n + x.content.length + 2, 0);
      systemEnds.push(offset + m.chars);
    } else {
      const j = all.slice(0, m.message).filter((x) => x.role !== "system").length;
      messageEnds.set(j, [...(messageEnds.get(j) ?? []), m.chars]);
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
            ...(o.stop !== undefined ? { stop_sequences: [...o.stop] } : {}),
          },
          { signal },
        );
        const text = response.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
        return {
          text,
          finishReason: finishOf(response.stop_reason),
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
