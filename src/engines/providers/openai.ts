// OpenAI Chat Completions through the `openai` SDK, for `openai(model)` and for OpenAI-compatible servers
// (`compatible(base_url, model)`: Ollama, vLLM, llama.cpp's server, LM Studio, hosted ones).
// The SDK is imported when the first engine is created, never on the path of `check` or `fmt`.
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam, ChatCompletionMessageToolCall } from "openai/resources/chat/completions";
import { EngineError, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest, type Message, type ToolCall, type ToolSpec } from "../engine.js";
import { fromSdkError } from "./errors.js";
import { argumentsText, parametersSchema, parseArguments } from "./tools.js";

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
  refusal
    ? "refusal"
    : reason === "stop"
      ? "stop"
      : reason === "length"
        ? "length"
        : reason === "content_filter"
          ? "refusal"
          : reason === "tool_calls" || reason === "function_call"
            ? "tool_calls"
            : "other";

/** A tool in Chat Completions' wire format: a function whose parameters are a JSON Schema object. */
export function toOpenAITool(tool: ToolSpec): ChatCompletionFunctionTool {
  return { type: "function", function: { name: tool.name, description: tool.description, parameters: { ...parametersSchema(tool) } } };
}

/** The function calls of a reply (custom tool calls, which tgc never offers, are left out). */
function toolCallsOf(calls: readonly ChatCompletionMessageToolCall[] | undefined): ToolCall[] {
  return (calls ?? []).flatMap((c) => (c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: parseArguments(c.function.arguments) }] : []));
}

/** A message in Chat Completions' wire format: tool calls as `tool_calls` with JSON arguments, results as `tool`. */
function toOpenAIMessage(m: Message): ChatCompletionMessageParam {
  switch (m.role) {
    case "tool":
      return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
    case "assistant":
      // Arguments go back as the model wrote them, malformed ones too; content may be null beside tool calls.
      return m.toolCalls?.length
        ? {
            role: "assistant",
            content: m.content === "" ? null : m.content,
            tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: argumentsText(c.arguments) } })),
          }
        : { role: "assistant", content: m.content };
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
            ...(request.tools?.length ? { tools: request.tools.map(toOpenAITool) } : {}),
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
        const toolCalls = toolCallsOf(message?.tool_calls);
        const finish = finishOf(choice?.finish_reason, message?.refusal);
        return {
          text: message?.content ?? "",
          // Some compatible servers call tools but say "stop".
          finishReason: toolCalls.length && finish === "stop" ? "tool_calls" : finish,
          ...(toolCalls.length ? { toolCalls } : {}),
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
    async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingReply> {
      if (texts.length === 0) return { vectors: [], usage: { inputTokens: 0, outputTokens: 0 } }; // the API rejects an empty input
      try {
        // Floats asked for explicitly: the SDK's default (base64, decoded to float32) loses precision, and some
        // compatible servers ignore the format and send floats anyway.
        const response = await client.embeddings.create({ model: config.model, input: [...texts], encoding_format: "float" }, { signal });
        const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (vectors.length !== texts.length) throw new EngineError(`${config.id}: ${texts.length} texts to embed, ${vectors.length} vectors came back`, config.id);
        return { vectors, usage: { inputTokens: response.usage?.prompt_tokens ?? 0, outputTokens: 0 } };
      } catch (e) {
        if (e instanceof EngineError) throw e;
        throw fromSdkError(e, sdk, config.id, [config.apiKey], config.keyVariable);
      }
    },
  };
}
