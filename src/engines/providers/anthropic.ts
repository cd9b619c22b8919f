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

/** A text as content blocks, the first `chars` characters marked as the end of the cacheable prefix. */
function marked(text: string, chars: number): Block[] {
  const head = text.slice(0, chars);
  const tail = text.slice(chars);
  return [{ type: "text", text: head, cache_control: { type: "ephemeral" } }, ...(tail ? [{ type: "text" as const, text: tail }] : [])];
}

/**
 * The request's system and messages, with a cache breakpoint where its stable prefix ends, when that prefix is
 * long enough to be cached. A prefix ending at the start of a message is marked at the end of the one before.
 */
export function anthropicContent(request: EngineRequest): { system: string | Block[] | undefined; messages: { role: "user" | "assistant"; content: string | Block[] }[] } {
  const systemText = request.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
  let system: string | Block[] | undefined = systemText || undefined;
  const messages: { role: "user" | "assistant"; content: string | Block[] }[] = request.messages
    .filter((m) => m.role !== "system")
    .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
  const sp = request.stablePrefix;
  if (!sp) return { system, messages };
  const before = request.messages.slice(0, sp.message).reduce((n, m) => n + m.content.length, 0);
  if (before + sp.chars < MIN_CACHED_PREFIX_CHARS) return { system, messages };
  // Where the breakpoint goes: inside message `sp.message`, or at the end of the one before it.
  const [index, chars] = sp.chars > 0 ? [sp.message, sp.chars] : [sp.message - 1, request.messages[sp.message - 1]?.content.length ?? 0];
  const target = request.messages[index];
  if (!target || chars <= 0) return { system, messages };
  if (target.role === "system") {
    // System messages are joined into one `system`; the breakpoint sits at this message's place in it.
    const offset = request.messages.slice(0, index).filter((m) => m.role === "system").reduce((n, m) => n + m.content.length + 2, 0);
    system = marked(systemText, offset + chars);
  } else {
    const j = request.messages.slice(0, index).filter((m) => m.role !== "system").length;
    messages[j] = { ...messages[j]!, content: marked(target.content, chars) };
  }
  return { system, messages };
}

const finishOf = (reason: string | null | undefined): EngineReply["finishReason"] =>
  reason === "end_turn" || reason === "stop_sequence" ? "stop" : reason === "max_tokens" ? "length" : reason === "refusal" ? "refusal" : "other";

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
          },
        };
      } catch (e) {
        throw fromSdkError(e, sdk, config.id, [config.apiKey], config.keyVariable);
      }
    },
  };
}
