// OpenAI Chat Completions through the `openai` SDK, for `openai(model)` and for OpenAI-compatible servers
// (`compatible(base_url, model)`: Ollama, vLLM, llama.cpp's server, LM Studio, hosted ones).
// The SDK is imported when the first engine is created, never on the path of `check` or `fmt`.
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Engine, EngineReply, EngineRequest, Message } from "../engine.js";
import { fromSdkError } from "./errors.js";

export interface OpenAIEngineConfig {
  readonly id: string;
  readonly model: string;
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  /** Which variable the key came from, for hints. */
  readonly keyVariable: string | undefined;
  /** `compatible` servers take `max_tokens`; OpenAI's newer models only `max_completion_tokens`. */
  readonly flavor: "openai" | "compatible";
}

type Finish = EngineReply["finishReason"];
const finishOf = (reason: string | null | undefined, refusal: string | null | undefined): Finish =>
  refusal ? "refusal" : reason === "stop" ? "stop" : reason === "length" ? "length" : reason === "content_filter" ? "refusal" : "other";

/** A message in Chat Completions' wire format: tool calls as `tool_calls` with JSON arguments, results as `tool`. */
function toOpenAIMessage(m: Message): ChatCompletionMessageParam {
  switch (m.role) {
    case "tool":
      return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
    case "assistant":
      return {
        role: "assistant",
        content: m.content,
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
          : {}),
      };
    case "system":
    case "user":
      return { role: m.role, content: m.content };
    default: {
      const never: never = m;
      return never;
    }
  }
}

export async function openAIEngine(config: OpenAIEngineConfig): Promise<Engine> {
  const sdk = await import("openai");
  const OpenAI = sdk.default;
  // Retries and timeouts are ours (RetryingEngine), the same for every provider.
  const client = new OpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, maxRetries: 0, timeout: 24 * 3600_000 });
  return {
    id: config.id,
    simulated: false,
    async complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
      const o = request.options;
      const limit = o.max_tokens === undefined ? {} : config.flavor === "openai" ? { max_completion_tokens: o.max_tokens } : { max_tokens: o.max_tokens };
      try {
        const response = await client.chat.completions.create(
          {
            model: config.model,
            messages: request.messages.map(toOpenAIMessage),
            ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
            ...(o.top_p !== undefined ? { top_p: o.top_p } : {}),
            ...(o.seed !== undefined ? { seed: o.seed } : {}),
            ...(o.stop !== undefined ? { stop: [...o.stop] } : {}),
            ...limit,
          },
          { signal },
        );
        const choice = response.choices[0];
        const message = choice?.message;
        return {
          text: message?.content ?? "",
          finishReason: finishOf(choice?.finish_reason, message?.refusal),
          usage: {
            inputTokens: response.usage?.prompt_tokens ?? 0,
            outputTokens: response.usage?.completion_tokens ?? 0,
            cachedInputTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          },
        };
      } catch (e) {
        throw fromSdkError(e, sdk, config.id, [config.apiKey], config.keyVariable);
      }
    },
  };
}
