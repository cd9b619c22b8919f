// Fake OpenAI and Anthropic HTTP servers for tests.
//
// Each server listens on 127.0.0.1 (port 0) and speaks the provider's real wire format for the
// endpoints tgc uses, so the real SDKs (`openai` v6, `@anthropic-ai/sdk` v1) can be driven against it
// with `baseURL: server.url`:
//   - OpenAI Chat Completions: POST /v1/chat/completions   (server.url = "http://127.0.0.1:PORT/v1")
//   - OpenAI Embeddings:       POST /v1/embeddings
//   - Anthropic Messages:      POST /v1/messages           (server.url = "http://127.0.0.1:PORT")
//
// Tools are spoken too: OpenAI `tools`, `tool_calls` and `tool` messages; Anthropic `tools`, `tool_use` and
// `tool_result` blocks. A reply behavior with `toolCalls` answers with calls. A conversation whose tool results
// do not answer the calls of the assistant turn before them is rejected with the provider's 400, as the real APIs do.
//
// Every request is recorded. Requests the real API would reject are rejected first, with the
// provider's error body: missing auth -> 401, invalid body -> 400, unknown path -> 404. Those
// rejections do NOT consume a queued behavior. A valid request consumes the next queued behavior,
// or the default one when the queue is empty (initially `{ kind: "reply", text: "ok" }`).
//
// Shapes follow the SDKs' own type definitions (node_modules/openai/src/resources/chat/completions,
// node_modules/@anthropic-ai/sdk/src/resources/messages/messages.ts, .../shared.ts ErrorResponse)
// and the providers' error documentation (platform.openai.com "Error codes",
// platform.claude.com/docs/en/api/errors).

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ReplyUsage {
  /** prompt_tokens / input_tokens; default ceil(chars of all message text (and system) / 4). */
  input?: number;
  /** completion_tokens / output_tokens; default ceil(chars of the reply text / 4). */
  output?: number;
  /** OpenAI prompt_tokens_details.cached_tokens / Anthropic cache_read_input_tokens; default 0. */
  cacheRead?: number;
  /** Anthropic cache_creation_input_tokens; default 0 (OpenAI: prompt_tokens_details.cache_write_tokens is not sent). */
  cacheWrite?: number;
  /** OpenAI completion_tokens_details.reasoning_tokens; default 0. */
  reasoning?: number;
}

/** A tool call a fake reply makes. `arguments` as a string goes to OpenAI verbatim (so it may be malformed JSON). */
export interface FakeToolCall {
  /** Default: OpenAI `call_…`, Anthropic `toolu_01…`. */
  id?: string;
  name: string;
  arguments: Record<string, unknown> | string;
}

export type Behavior =
  /**
   * A normal completion in the provider's shape. `finish` is sent verbatim as OpenAI
   * `finish_reason` (default "stop") or Anthropic `stop_reason` (default "end_turn", or "refusal"
   * when `refusal` is given). With `refusal`, OpenAI gets `content: null, refusal`, Anthropic gets
   * `stop_reason: "refusal"` and `stop_details: {type: "refusal", category: null, explanation}`.
   */
  /**
   * With `toolCalls`, the reply calls tools: OpenAI `message.tool_calls` (content null when `text` is ""), finish
   * "tool_calls"; Anthropic `tool_use` blocks after any text, stop_reason "tool_use". On the embeddings endpoint a
   * reply behavior answers with the default vectors (see `embedding`).
   */
  | { kind: "reply"; text: string; finish?: string; usage?: ReplyUsage; refusal?: string; delayMs?: number; toolCalls?: FakeToolCall[] }
  /**
   * Embeddings (OpenAI POST /v1/embeddings): these vectors, one per input, or by default a deterministic vector per
   * input of `dimensions` (or 1536, 3072 for a "-large" model) numbers derived from its text. `usage.input` is
   * prompt_tokens (default ceil(chars of all inputs / 4)). Sent as floats, or base64 float32 when asked.
   */
  | { kind: "embedding"; vectors?: number[][]; usage?: { input?: number } }
  /**
   * A provider error body with this status. `errorType` defaults by status (see the servers);
   * `headers` are added to (and override) the default response headers: pass e.g.
   * `{"retry-after": "2"}`, `{"retry-after-ms": "10"}`, `{"x-should-retry": "false"}`.
   * `code` / `param` are OpenAI-only extras (defaults by status).
   */
  | {
      kind: "error";
      status: number;
      errorType?: string;
      message?: string;
      headers?: Record<string, string>;
      code?: string | null;
      param?: string | null;
    }
  /** Destroy the socket (TCP RST where available) without sending a response. */
  | { kind: "reset" }
  /** Never respond; the socket is destroyed when the server closes. */
  | { kind: "hang" }
  /**
   * 200 with Content-Type application/json and a Content-Length for the full body, then only the
   * first half of a valid reply body, then the connection is destroyed (a body cut mid-transfer).
   * For a complete-but-malformed JSON body use `raw` instead.
   */
  | { kind: "truncated" }
  /** Exactly this status, body and headers (Content-Type defaults to application/json). */
  | { kind: "raw"; status: number; body: string; headers?: Record<string, string> };

export interface RecordedRequest {
  method: string;
  /** Path including any query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
}

export interface FakeServer {
  /** Base URL for the SDK: OpenAI "http://127.0.0.1:PORT/v1", Anthropic "http://127.0.0.1:PORT". */
  readonly url: string;
  /** Every request received, in order (including rejected ones). */
  readonly requests: RecordedRequest[];
  /** Behaviors consumed one per valid request, in order. */
  enqueue(...behaviors: Behavior[]): void;
  /** Used when the queue is empty (initially reply "ok"). */
  setDefault(behavior: Behavior | ((req: RecordedRequest) => Behavior)): void;
  /** Closes the server and destroys every socket, including hanging ones; cancels pending delays. Idempotent. */
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** When set, any other key is rejected with 401 (OpenAI code "invalid_api_key"). Default: any non-empty key. */
  apiKey?: string;
}

/** What a provider contributes: validation, reply and error bodies, and standard headers. */
interface Dialect {
  basePath: string;
  endpoint: string;
  /** Returns an error response if the request would be rejected by the real API. */
  validate(req: RecordedRequest, opts: FakeServerOptions): ErrorSpec | undefined;
  replyBody(req: RecordedRequest, b: Extract<Behavior, { kind: "reply" }>): unknown;
  /** A second endpoint (OpenAI embeddings), validated and answered apart; its errors share the dialect's shape. */
  embeddings?: {
    endpoint: string;
    validate(req: RecordedRequest, opts: FakeServerOptions): ErrorSpec | undefined;
    replyBody(req: RecordedRequest, b: Extract<Behavior, { kind: "embedding" }>): unknown;
  };
  errorBody(e: ErrorSpec, requestId: string): unknown;
  /** Standard headers on every response. */
  headers(requestId: string, status: number): Record<string, string>;
  requestId(): string;
  notFound(req: RecordedRequest): ErrorSpec;
}

interface ErrorSpec {
  status: number;
  errorType?: string | undefined;
  message?: string | undefined;
  code?: string | null | undefined;
  param?: string | null | undefined;
  headers?: Record<string, string> | undefined;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function randomId(n: number): string {
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += ALNUM[bytes[i]! % ALNUM.length];
  return s;
}

const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/** Characters of text in a message `content` (a string, or an array of blocks with `text`). */
function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (Array.isArray(content)) {
    let n = 0;
    for (const block of content) {
      if (typeof block === "string") n += block.length;
      else if (block && typeof block === "object" && typeof (block as { text?: unknown }).text === "string") {
        n += ((block as { text: string }).text).length;
      } else if (block && typeof block === "object" && (block as { type?: unknown }).type === "tool_result") {
        n += contentChars((block as { content?: unknown }).content);
      } else if (block && typeof block === "object" && (block as { type?: unknown }).type === "tool_use") {
        n += JSON.stringify((block as { input?: unknown }).input ?? {}).length;
      }
    }
    return n;
  }
  return 0;
}

function promptChars(body: Record<string, unknown>): number {
  let n = contentChars(body["system"]);
  const messages = body["messages"];
  if (Array.isArray(messages)) {
    for (const m of messages) if (m && typeof m === "object") n += contentChars((m as { content?: unknown }).content);
  }
  return n;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------- OpenAI

const openAIDefaults: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: {
    type: "invalid_request_error",
    code: "invalid_api_key",
    message: "Incorrect API key provided: sk-test***. You can find your API key at https://platform.openai.com/account/api-keys.",
  },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Country, region, or territory not supported" },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist or you do not have access to it." },
  429: {
    type: "requests",
    code: "rate_limit_exceeded",
    message: "Rate limit reached for requests. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.",
  },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  503: { type: "service_unavailable_error", code: "server_is_overloaded", message: "The engine is currently overloaded, please try again later." },
};


const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const bad = (param: string, message: string, code: string | null = "invalid_value"): ErrorSpec => ({ status: 400, errorType: "invalid_request_error", code, param, message });
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);

/** What the real Chat Completions API says about `tools`, assistant `tool_calls` and `tool` messages. */
function openAIToolProblem(body: Record<string, unknown>): ErrorSpec | undefined {
  const tools = body["tools"];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return bad("tools", `Invalid type for 'tools': expected an array of objects, but got ${typeName(tools)} instead.`, "invalid_type");
    if (tools.length === 0) return bad("tools", "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array");
    for (const [i, t] of tools.entries()) {
      if (!isObject(t)) return bad(`tools[${i}]`, `Invalid type for 'tools[${i}]': expected an object, but got ${typeName(t)} instead.`, "invalid_type");
      if (t["type"] === undefined) return bad(`tools[${i}].type`, `Missing required parameter: 'tools[${i}].type'.`, "missing_required_parameter");
      if (t["type"] !== "function" && t["type"] !== "custom") {
        return bad(`tools[${i}].type`, `Invalid value: '${String(t["type"])}'. Supported values are: 'function' and 'custom'.`);
      }
      if (t["type"] !== "function") continue;
      const f = t["function"];
      if (!isObject(f)) return bad(`tools[${i}].function`, `Missing required parameter: 'tools[${i}].function'.`, "missing_required_parameter");
      if (typeof f["name"] !== "string" || !TOOL_NAME.test(f["name"])) {
        return bad(`tools[${i}].function.name`, `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`);
      }
      const params = f["parameters"];
      if (params !== undefined && (!isObject(params) || params["type"] !== "object")) {
        return bad(`tools[${i}].function.parameters`, `Invalid schema for function '${f["name"]}': schema must be a JSON Schema of 'type: "object"', got 'type: "${isObject(params) ? String(params["type"]) : "None"}'.`, "invalid_function_parameters");
      }
    }
  }
  const messages = body["messages"] as Record<string, unknown>[];
  // The ids each assistant turn asked for, answered by the tool messages straight after it.
  let open: Set<string> | undefined;
  let openAt = -1;
  const unanswered = () =>
    bad(
      `messages.[${openAt}].role`,
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open!].join(", ")}`,
      null,
    );
  for (const [i, m] of messages.entries()) {
    if (m["role"] === "tool") {
      const id = m["tool_call_id"];
      if (typeof id !== "string") return bad(`messages[${i}].tool_call_id`, `Missing required parameter: 'messages[${i}].tool_call_id'.`, "missing_required_parameter");
      if (typeof m["content"] !== "string" && !Array.isArray(m["content"])) {
        return bad(`messages[${i}].content`, `Invalid type for 'messages[${i}].content': expected one of a string or array of objects, but got ${typeName(m["content"])} instead.`, "invalid_type");
      }
      if (!open || !open.has(id)) {
        return bad(`messages.[${i}].role`, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", null);
      }
      open.delete(id);
      continue;
    }
    if (open && open.size > 0) return unanswered();
    open = undefined;
    if (m["role"] === "assistant" && m["tool_calls"] !== undefined) {
      const calls = m["tool_calls"];
      if (!Array.isArray(calls)) return bad(`messages[${i}].tool_calls`, `Invalid type for 'messages[${i}].tool_calls': expected an array of objects, but got ${typeName(calls)} instead.`, "invalid_type");
      if (calls.length === 0) return bad(`messages[${i}].tool_calls`, `Invalid 'messages[${i}].tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.`, "empty_array");
      open = new Set();
      openAt = i;
      for (const [j, c] of calls.entries()) {
        const at = `messages[${i}].tool_calls[${j}]`;
        if (!isObject(c) || typeof c["id"] !== "string") return bad(`${at}.id`, `Missing required parameter: '${at}.id'.`, "missing_required_parameter");
        if (c["type"] !== "function") return bad(`${at}.type`, `Invalid value: '${String(c["type"])}'. Supported values are: 'function' and 'custom'.`);
        const f = c["function"];
        if (!isObject(f) || typeof f["name"] !== "string") return bad(`${at}.function.name`, `Missing required parameter: '${at}.function.name'.`, "missing_required_parameter");
        if (typeof f["arguments"] !== "string") {
          return bad(`${at}.function.arguments`, `Invalid type for '${at}.function.arguments': expected a string, but got ${typeName(f["arguments"])} instead.`, "invalid_type");
        }
        open.add(c["id"]);
      }
    } else if (m["role"] === "assistant" && (m["content"] === undefined || m["content"] === null)) {
      return bad(`messages[${i}].content`, `Invalid value for 'messages[${i}].content': expected a string, got null.`, null);
    }
  }
  if (open && open.size > 0) return unanswered();
  return undefined;
}

/** A deterministic unit vector for a text, `n` numbers long (what the fake embeds a text as by default). */
export function fakeEmbedding(text: string, n: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    v.push((h / 4294967296) * 2 - 1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

const float32Base64 = (v: readonly number[]): string => Buffer.from(new Float32Array(v).buffer).toString("base64");

/** The real API checks the bearer key before anything else. */
function openAIAuth(req: RecordedRequest, opts: FakeServerOptions): ErrorSpec | undefined {
  const auth = req.headers["authorization"];
  const m = auth ? /^Bearer\s+(\S.*)$/i.exec(auth) : null;
  if (!m) {
    return {
      status: 401,
      errorType: "invalid_request_error",
      code: null,
      param: null,
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    };
  }
  if (opts.apiKey !== undefined && m[1] !== opts.apiKey) {
    return { status: 401, errorType: "invalid_request_error", code: "invalid_api_key", param: null, message: openAIDefaults[401]!.message };
  }
  return undefined;
}

const openAIEmbeddings: NonNullable<Dialect["embeddings"]> = {
  endpoint: "/v1/embeddings",
  validate(req, opts) {
    const unauthorized = openAIAuth(req, opts);
    if (unauthorized) return unauthorized;
    const body = req.body;
    if (!isObject(body)) return bad("", "We could not parse the JSON body of your request.", null);
    if (typeof body["model"] !== "string" || body["model"] === "") return { status: 400, errorType: "invalid_request_error", code: null, param: null, message: "you must provide a model parameter" };
    const input = body["input"];
    if (input === undefined) return bad("input", "Missing required parameter: 'input'.", "missing_required_parameter");
    const texts = typeof input === "string" ? [input] : input;
    if (!Array.isArray(texts) || texts.length === 0 || texts.length > 2048 || !texts.every((t) => typeof t === "string" && t !== "")) {
      return bad("input", "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null);
    }
    const format = body["encoding_format"];
    if (format !== undefined && format !== "float" && format !== "base64") {
      return bad("encoding_format", `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`);
    }
    const dims = body["dimensions"];
    if (dims !== undefined && (!Number.isInteger(dims) || (dims as number) < 1)) return bad("dimensions", "Invalid 'dimensions': integer below minimum value. Expected a value >= 1.", "integer_below_min_value");
    return undefined;
  },
  replyBody(req, b) {
    const body = req.body as Record<string, unknown>;
    const input = body["input"];
    const texts = (typeof input === "string" ? [input] : input) as string[];
    const model = body["model"] as string;
    const n = (body["dimensions"] as number | undefined) ?? (model.includes("-large") ? 3072 : 1536);
    const vectors = b.vectors ?? texts.map((t) => fakeEmbedding(t, n));
    const base64 = body["encoding_format"] === "base64";
    const tokens = b.usage?.input ?? estimateTokens(texts.reduce((k, t) => k + t.length, 0));
    return {
      object: "list",
      data: vectors.map((v, index) => ({ object: "embedding", index, embedding: base64 ? float32Base64(v) : v })),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};

const openAI: Dialect = {
  embeddings: openAIEmbeddings,
  basePath: "/v1",
  endpoint: "/v1/chat/completions",
  requestId: () => `req_${randomBytes(16).toString("hex")}`,
  headers: (requestId, status) => ({
    "x-request-id": requestId,
    "openai-version": "2020-10-01",
    "openai-processing-ms": "42",
    "x-ratelimit-limit-requests": "10000",
    "x-ratelimit-limit-tokens": "30000000",
    "x-ratelimit-remaining-requests": status === 429 ? "0" : "9999",
    "x-ratelimit-remaining-tokens": status === 429 ? "0" : "29999990",
    "x-ratelimit-reset-requests": status === 429 ? "1s" : "6ms",
    "x-ratelimit-reset-tokens": "0s",
  }),
  notFound: (req) => ({ status: 404, errorType: "invalid_request_error", code: null, message: `Invalid URL (${req.method} ${req.path})` }),
  validate(req, opts) {
    const unauthorized = openAIAuth(req, opts);
    if (unauthorized) return unauthorized;
    const body = req.body;
    if (!isObject(body)) {
      return {
        status: 400,
        errorType: "invalid_request_error",
        code: null,
        param: null,
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
      };
    }
    if (typeof body["model"] !== "string" || body["model"] === "") {
      return { status: 400, errorType: "invalid_request_error", code: null, param: null, message: "you must provide a model parameter" };
    }
    if (body["messages"] === undefined) {
      return { status: 400, errorType: "invalid_request_error", code: "missing_required_parameter", param: "messages", message: "Missing required parameter: 'messages'." };
    }
    if (!Array.isArray(body["messages"])) {
      return { status: 400, errorType: "invalid_request_error", code: "invalid_type", param: "messages", message: "Invalid type for 'messages': expected an array of objects." };
    }
    if (body["messages"].length === 0) {
      return { status: 400, errorType: "invalid_request_error", code: "empty_array", param: "messages", message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead." };
    }
    for (const [i, msg] of body["messages"].entries()) {
      if (!isObject(msg) || !["system", "developer", "user", "assistant", "tool", "function"].includes(msg["role"] as string)) {
        return { status: 400, errorType: "invalid_request_error", code: "invalid_value", param: `messages[${i}].role`, message: `Invalid value for 'messages[${i}].role'.` };
      }
    }
    const toolProblem = openAIToolProblem(body);
    if (toolProblem) return toolProblem;
    if (body["stream"] === true) {
      return { status: 400, errorType: "invalid_request_error", code: null, param: "stream", message: "streaming not supported by the fake" };
    }
    return undefined;
  },
  replyBody(req, b) {
    const body = req.body as Record<string, unknown>;
    const input = b.usage?.input ?? estimateTokens(promptChars(body));
    const calls = (b.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_${randomId(24)}`,
      type: "function",
      function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const output = b.usage?.output ?? estimateTokens((b.refusal ?? b.text).length + calls.reduce((n, c) => n + c.function.name.length + c.function.arguments.length, 0));
    return {
      id: `chatcmpl-${randomId(29)}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body["model"],
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: b.refusal !== undefined || (calls.length > 0 && b.text === "") ? null : b.text,
            refusal: b.refusal ?? null,
            annotations: [],
            ...(calls.length ? { tool_calls: calls } : {}),
          },
          logprobs: null,
          finish_reason: b.finish ?? (calls.length ? "tool_calls" : "stop"),
        },
      ],
      usage: {
        prompt_tokens: input,
        completion_tokens: output,
        total_tokens: input + output,
        prompt_tokens_details: { cached_tokens: b.usage?.cacheRead ?? 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: b.usage?.reasoning ?? 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: "default",
      system_fingerprint: "fp_fake0c0ffee",
    };
  },
  errorBody(e) {
    const d = openAIDefaults[e.status] ?? (e.status >= 500 ? openAIDefaults[500]! : openAIDefaults[400]!);
    return {
      error: {
        message: e.message ?? d.message,
        type: e.errorType ?? d.type,
        param: e.param === undefined ? null : e.param,
        code: e.code === undefined ? d.code : e.code,
      },
    };
  },
};

// ---------------------------------------------------------------- Anthropic

const anthropicDefaults: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request." },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  402: { type: "billing_error", message: "Your credit balance is too low to access the Anthropic API." },
  403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
  404: { type: "not_found_error", message: "Not Found" },
  413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
  429: {
    type: "rate_limit_error",
    message: "This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later.",
  },
  500: { type: "api_error", message: "Internal server error" },
  504: { type: "timeout_error", message: "Request timed out" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

/** API version 2026-10-21 (sent by @anthropic-ai/sdk >= 1.0.0) removed these sampling parameters. */
const REMOVED_IN_2026_10_21 = ["temperature", "top_p", "top_k"];


/** What the real Messages API says about `tools`, content blocks, and `tool_use` / `tool_result` pairs. */
function anthropicToolProblem(body: Record<string, unknown>): ErrorSpec | undefined {
  const invalid = (message: string): ErrorSpec => ({ status: 400, errorType: "invalid_request_error", message });
  const tools = body["tools"];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return invalid("tools: Input should be a valid list");
    for (const [i, t] of tools.entries()) {
      if (!isObject(t)) return invalid(`tools.${i}: Input should be a valid dictionary or object to extract fields from`);
      if (typeof t["name"] !== "string" || !/^[a-zA-Z0-9_-]{1,128}$/.test(t["name"])) {
        return invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      }
      const schema = t["input_schema"];
      if (schema === undefined) return invalid(`tools.${i}.custom.input_schema: Field required`);
      if (!isObject(schema) || schema["type"] !== "object") return invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
    }
  }
  const messages = body["messages"] as Record<string, unknown>[];
  const blocksOf = (m: Record<string, unknown> | undefined): Record<string, unknown>[] => (m && Array.isArray(m["content"]) ? (m["content"] as unknown[]).filter(isObject) : []);
  for (const [i, m] of messages.entries()) {
    const content = m["content"];
    if (typeof content !== "string" && !Array.isArray(content)) return invalid(`messages.${i}.content: Input should be a valid string or list`);
    if (!Array.isArray(content)) continue;
    for (const [j, block] of content.entries()) {
      const at = `messages.${i}.content.${j}`;
      if (!isObject(block)) return invalid(`${at}: Input should be a valid dictionary or object to extract fields from`);
      switch (block["type"]) {
        case "text":
          if (typeof block["text"] !== "string") return invalid(`${at}.text.text: Field required`);
          if (block["text"] === "") return invalid("messages: text content blocks must be non-empty");
          break;
        case "tool_use":
          if (m["role"] !== "assistant") return invalid(`${at}: tool_use blocks may only appear in assistant messages`);
          if (typeof block["id"] !== "string" || typeof block["name"] !== "string") return invalid(`${at}.tool_use.id: Field required`);
          if (!isObject(block["input"])) return invalid(`${at}.tool_use.input: Input should be a valid dictionary`);
          break;
        case "tool_result": {
          if (m["role"] !== "user") return invalid(`${at}: tool_result blocks may only appear in user messages`);
          if (typeof block["tool_use_id"] !== "string") return invalid(`${at}.tool_result.tool_use_id: Field required`);
          const asked = messages[i - 1]?.["role"] === "assistant" ? blocksOf(messages[i - 1]).filter((b) => b["type"] === "tool_use").map((b) => b["id"]) : [];
          if (!asked.includes(block["tool_use_id"])) {
            return invalid(
              `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block["tool_use_id"]}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
            );
          }
          break;
        }
        default:
          if (typeof block["type"] !== "string") return invalid(`${at}.type: Field required`);
      }
    }
    // Every call of an assistant turn is answered in the message right after it.
    if (m["role"] === "assistant" && i + 1 < messages.length) {
      const answered = new Set(blocksOf(messages[i + 1]).filter((b) => b["type"] === "tool_result").map((b) => b["tool_use_id"]));
      const missing = blocksOf(m).filter((b) => b["type"] === "tool_use" && !answered.has(b["id"])).map((b) => String(b["id"]));
      if (missing.length) {
        return invalid(
          `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
  }
  return undefined;
}

const anthropic: Dialect = {
  basePath: "",
  endpoint: "/v1/messages",
  requestId: () => `req_011C${randomId(20)}`,
  headers: (requestId, status) => {
    const reset = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const limited = status === 429;
    return {
      "request-id": requestId,
      "anthropic-organization-id": "00000000-0000-4000-8000-000000000000",
      "anthropic-ratelimit-requests-limit": "50",
      "anthropic-ratelimit-requests-remaining": limited ? "0" : "49",
      "anthropic-ratelimit-requests-reset": reset,
      "anthropic-ratelimit-input-tokens-limit": "40000",
      "anthropic-ratelimit-input-tokens-remaining": limited ? "0" : "39990",
      "anthropic-ratelimit-input-tokens-reset": reset,
      "anthropic-ratelimit-output-tokens-limit": "8000",
      "anthropic-ratelimit-output-tokens-remaining": limited ? "0" : "7990",
      "anthropic-ratelimit-output-tokens-reset": reset,
      "anthropic-ratelimit-tokens-limit": "48000",
      "anthropic-ratelimit-tokens-remaining": limited ? "0" : "47980",
      "anthropic-ratelimit-tokens-reset": reset,
    };
  },
  notFound: () => ({ status: 404, errorType: "not_found_error", message: "Not Found" }),
  validate(req, opts) {
    const apiKey = req.headers["x-api-key"];
    const bearer = req.headers["authorization"] ? /^Bearer\s+(\S.*)$/i.exec(req.headers["authorization"])?.[1] : undefined;
    // The real API takes the key as `x-api-key` or (API version 2026-10-21, SDK >= 1.0) `Authorization: Bearer`;
    // with both present it uses x-api-key.
    const key = apiKey || bearer;
    if (!key) return { status: 401, errorType: "authentication_error", message: "x-api-key header is required" };
    if (opts.apiKey !== undefined && key !== opts.apiKey) return { status: 401, errorType: "authentication_error", message: "invalid x-api-key" };
    const version = req.headers["anthropic-version"];
    if (!version) return { status: 400, errorType: "invalid_request_error", message: "anthropic-version: header is required" };
    const body = req.body;
    if (!isObject(body)) return { status: 400, errorType: "invalid_request_error", message: "There was an error parsing the body of your request" };
    if (typeof body["model"] !== "string" || body["model"] === "") return { status: 400, errorType: "invalid_request_error", message: "model: Field required" };
    if (body["max_tokens"] === undefined) return { status: 400, errorType: "invalid_request_error", message: "max_tokens: Field required" };
    if (!Number.isInteger(body["max_tokens"]) || (body["max_tokens"] as number) < 1) {
      return { status: 400, errorType: "invalid_request_error", message: "max_tokens: Input should be greater than or equal to 1" };
    }
    if (body["messages"] === undefined) return { status: 400, errorType: "invalid_request_error", message: "messages: Field required" };
    if (!Array.isArray(body["messages"])) return { status: 400, errorType: "invalid_request_error", message: "messages: Input should be a valid list" };
    if (body["messages"].length === 0) return { status: 400, errorType: "invalid_request_error", message: "messages: at least one message is required" };
    // 2023-06-01 has only user/assistant turns (system goes in the top-level `system`);
    // 2026-10-21 also accepts role "system" messages (SDK v1 SystemMessageParam).
    const roles = version === "2023-06-01" ? ["user", "assistant"] : ["user", "assistant", "system"];
    for (const [i, msg] of body["messages"].entries()) {
      if (!isObject(msg) || !roles.includes(msg["role"] as string)) {
        return { status: 400, errorType: "invalid_request_error", message: `messages.${i}.role: Input should be ${roles.map((r) => `'${r}'`).join(" or ")}` };
      }
      if (msg["content"] === undefined) return { status: 400, errorType: "invalid_request_error", message: `messages.${i}.content: Field required` };
    }
    if (body["system"] !== undefined && typeof body["system"] !== "string" && !Array.isArray(body["system"])) {
      return { status: 400, errorType: "invalid_request_error", message: "system: Input should be a valid string or list" };
    }
    if (version !== "2023-06-01") {
      for (const p of REMOVED_IN_2026_10_21) {
        if (p in body) return { status: 400, errorType: "invalid_request_error", message: `${p}: Extra inputs are not permitted` };
      }
    }
    const toolProblem = anthropicToolProblem(body);
    if (toolProblem) return toolProblem;
    if (body["stream"] === true) return { status: 400, errorType: "invalid_request_error", message: "streaming not supported by the fake" };
    return undefined;
  },
  replyBody(req, b) {
    const body = req.body as Record<string, unknown>;
    const input = b.usage?.input ?? estimateTokens(promptChars(body));
    const uses = (b.toolCalls ?? []).map((c) => ({
      type: "tool_use",
      id: c.id ?? `toolu_01${randomId(22)}`,
      name: c.name,
      input: typeof c.arguments === "string" ? (JSON.parse(c.arguments) as unknown) : c.arguments,
      caller: { type: "direct" },
    }));
    const output = b.usage?.output ?? estimateTokens(b.text.length + uses.reduce((n, u) => n + u.name.length + JSON.stringify(u.input).length, 0));
    const refused = b.refusal !== undefined;
    return {
      id: `msg_01${randomId(22)}`,
      type: "message",
      role: "assistant",
      model: body["model"],
      content: [...((b.text === "" && (refused || uses.length > 0)) ? [] : [{ type: "text", text: b.text, citations: null }]), ...uses],
      stop_reason: b.finish ?? (refused ? "refusal" : uses.length ? "tool_use" : "end_turn"),
      stop_sequence: null,
      stop_details: refused ? { type: "refusal", category: null, explanation: b.refusal } : null,
      container: null,
      diagnostics: null,
      usage: {
        input_tokens: input,
        output_tokens: output,
        cache_creation_input_tokens: b.usage?.cacheWrite ?? 0,
        cache_read_input_tokens: b.usage?.cacheRead ?? 0,
        cache_creation: { ephemeral_5m_input_tokens: b.usage?.cacheWrite ?? 0, ephemeral_1h_input_tokens: 0 },
        inference_geo: "not_available",
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: "standard",
        speed: null,
      },
    };
  },
  errorBody(e, requestId) {
    const d = anthropicDefaults[e.status] ?? (e.status >= 500 ? anthropicDefaults[500]! : anthropicDefaults[400]!);
    return { type: "error", error: { type: e.errorType ?? d.type, message: e.message ?? d.message }, request_id: requestId };
  },
};

// ---------------------------------------------------------------- server

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function destroyHard(socket: Socket): void {
  // resetAndDestroy sends a TCP RST (ECONNRESET on the peer); fall back to a plain destroy.
  const s = socket as Socket & { resetAndDestroy?: () => Socket };
  if (typeof s.resetAndDestroy === "function" && !s.destroyed) {
    try {
      s.resetAndDestroy();
      return;
    } catch {
      /* fall through */
    }
  }
  socket.destroy();
}

async function startFake(dialect: Dialect, opts: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queue: Behavior[] = [];
  let fallback: Behavior | ((req: RecordedRequest) => Behavior) = { kind: "reply", text: "ok" };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let closed: Promise<void> | undefined;

  const send = (res: ServerResponse, requestId: string, status: number, body: string, extra: Record<string, string> = {}): void => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...dialect.headers(requestId, status),
      ...lowerKeys(extra),
      "content-length": String(Buffer.byteLength(body)),
    };
    res.writeHead(status, headers);
    res.end(body);
  };

  const sendError = (res: ServerResponse, requestId: string, e: ErrorSpec): void => {
    send(res, requestId, e.status, JSON.stringify(dialect.errorBody(e, requestId)), e.headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawBody = await readBody(req);
    let body: unknown = undefined;
    if (rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: recordHeaders(req), body, rawBody };
    requests.push(recorded);
    const requestId = dialect.requestId();

    const pathname = (req.url ?? "").split("?")[0];
    const embeddings = dialect.embeddings !== undefined && pathname === dialect.embeddings.endpoint ? dialect.embeddings : undefined;
    if (req.method !== "POST" || (pathname !== dialect.endpoint && !embeddings)) {
      sendError(res, requestId, dialect.notFound(recorded));
      return;
    }
    const invalid = (embeddings ?? dialect).validate(recorded, opts);
    if (invalid) {
      sendError(res, requestId, invalid);
      return;
    }

    const behavior = queue.length > 0 ? queue.shift()! : typeof fallback === "function" ? fallback(recorded) : fallback;
    switch (behavior.kind) {
      case "embedding":
      case "reply": {
        const payload = JSON.stringify(
          embeddings
            ? embeddings.replyBody(recorded, behavior.kind === "embedding" ? behavior : { kind: "embedding" })
            : behavior.kind === "reply"
              ? dialect.replyBody(recorded, behavior)
              : { error: "the fake was given an embedding behavior for a chat request" },
        );
        const delayMs = behavior.kind === "reply" ? behavior.delayMs : undefined;
        if (delayMs && delayMs > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              timers.delete(t);
              resolve();
            }, delayMs);
            timers.add(t);
          });
          if (closing || res.destroyed || req.socket.destroyed) return;
        }
        send(res, requestId, 200, payload);
        return;
      }
      case "error":
        sendError(res, requestId, {
          status: behavior.status,
          errorType: behavior.errorType,
          message: behavior.message,
          code: behavior.code,
          param: behavior.param,
          headers: behavior.headers,
        });
        return;
      case "reset":
        destroyHard(req.socket);
        return;
      case "hang":
        return; // the socket stays open until the client gives up or the server closes
      case "truncated": {
        const full = JSON.stringify(dialect.replyBody(recorded, { kind: "reply", text: "this reply is cut off in the middle" }));
        const cut = full.slice(0, Math.floor(full.length / 2));
        res.writeHead(200, {
          "content-type": "application/json",
          ...dialect.headers(requestId, 200),
          "content-length": String(Buffer.byteLength(full)),
        });
        res.write(cut, () => {
          // Give the bytes a moment to leave before dropping the connection.
          const t = setTimeout(() => {
            timers.delete(t);
            req.socket.destroy();
          }, 10);
          timers.add(t);
        });
        return;
      }
      case "raw":
        res.writeHead(behavior.status, {
          "content-type": "application/json",
          ...dialect.headers(requestId, behavior.status),
          ...lowerKeys(behavior.headers ?? {}),
          "content-length": String(Buffer.byteLength(behavior.body)),
        });
        res.end(behavior.body);
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`fake server error: ${String(err)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A destroyed peer (reset/timeout tests) must not crash the test process.
    socket.on("error", () => {});
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${dialect.basePath}`;

  return {
    url,
    requests,
    enqueue: (...behaviors) => {
      queue.push(...behaviors);
    },
    setDefault: (behavior) => {
      fallback = behavior;
    },
    close: () => {
      // Idempotent: a test may close early and afterEach close again.
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closed;
    },
  };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** A fake OpenAI Chat Completions server; hand `server.url` ("http://127.0.0.1:PORT/v1") to `new OpenAI({ baseURL })`. */
export function startOpenAIServer(opts?: FakeServerOptions): Promise<FakeServer> {
  return startFake(openAI, opts);
}

/** A fake Anthropic Messages server; hand `server.url` ("http://127.0.0.1:PORT") to `new Anthropic({ baseURL })`. */
export function startAnthropicServer(opts?: FakeServerOptions): Promise<FakeServer> {
  return startFake(anthropic, opts);
}
