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
      const system = request.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
      const messages = request.messages
        .filter((m) => m.role !== "system")
        .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
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
