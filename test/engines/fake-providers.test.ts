// Drives the REAL provider SDKs against the fake servers in ./fake-providers.ts, proving that the
// fakes speak the wire format the SDKs expect and documenting how each SDK surfaces each failure.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startAnthropicServer, startOpenAIServer } from "./fake-providers.js";

/** Awaits a promise that must reject and returns the rejection. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

const post = (url: string, headers: Record<string, string>, body: unknown): Promise<Response> =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("fake OpenAI server with the real openai SDK", () => {
  let server: FakeServer;
  let client: OpenAI;
  const ask = (c: OpenAI = client) =>
    c.chat.completions.create({
      model: "gpt-test",
      messages: [
        { role: "system", content: "be brief" }, // 8 chars
        { role: "user", content: "hello there" }, // 11 chars
      ],
    });

  beforeEach(async () => {
    server = await startOpenAIServer();
    client = new OpenAI({ apiKey: "sk-test-openai", baseURL: server.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it("serves a chat completion the SDK parses: content, usage, finish reason, ids, headers", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    server.enqueue({ kind: "reply", text: "General Kenobi!" });
    const { data, response, request_id } = await ask().withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.model).toBe("gpt-test");
    expect(typeof data.created).toBe("number");
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]!.message).toMatchObject({ role: "assistant", content: "General Kenobi!", refusal: null });
    expect(data.choices[0]!.finish_reason).toBe("stop");
    expect(data.choices[0]!.logprobs).toBeNull();
    // usage: ceil(19 prompt chars / 4) = 5, ceil(15 reply chars / 4) = 4
    expect(data.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0 } });
    expect(data.system_fingerprint).toMatch(/^fp_/);
    expect(request_id).toMatch(/^req_/);
    expect(response.headers.get("x-request-id")).toBe(request_id);
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9999");
  });

  it("echoes explicit usage, finish reason and refusals", async () => {
    server.enqueue(
      { kind: "reply", text: "truncat", finish: "length", usage: { input: 100, output: 7, cacheRead: 64, reasoning: 3 } },
      { kind: "reply", text: "", refusal: "I can't help with that." },
    );
    const a = await ask();
    expect(a.choices[0]!.finish_reason).toBe("length");
    expect(a.usage).toMatchObject({
      prompt_tokens: 100,
      completion_tokens: 7,
      total_tokens: 107,
      prompt_tokens_details: { cached_tokens: 64 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    const b = await ask();
    expect(b.choices[0]!.message.content).toBeNull();
    expect(b.choices[0]!.message.refusal).toBe("I can't help with that.");
  });

  it("records the request: path, bearer auth, model and messages", async () => {
    await ask();
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers["authorization"]).toBe("Bearer sk-test-openai");
    expect(req.headers["x-stainless-retry-count"]).toBe("0");
    expect(req.body).toMatchObject({
      model: "gpt-test",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello there" },
      ],
    });
    expect(JSON.parse(req.rawBody)).toEqual(req.body);
  });

  it.each([
    [400, OpenAI.BadRequestError, "invalid_request_error"],
    [401, OpenAI.AuthenticationError, "invalid_request_error"],
    [429, OpenAI.RateLimitError, "requests"],
    [500, OpenAI.InternalServerError, "server_error"],
    [503, OpenAI.InternalServerError, "service_unavailable_error"],
  ] as const)("surfaces a %i as %o with status, body fields and headers", async (status, cls, type) => {
    server.enqueue({ kind: "error", status, message: `boom ${status}`, headers: { "retry-after": "7", "x-ratelimit-remaining-tokens": "0" } });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(status);
    expect(e.message).toBe(`${status} boom ${status}`);
    expect(e.type).toBe(type); // error.type, also e.code / e.param; e.error is the inner `error` object
    expect(e.error).toMatchObject({ message: `boom ${status}`, type });
    expect(e.headers?.get("retry-after")).toBe("7");
    expect(e.headers?.get("x-ratelimit-remaining-tokens")).toBe("0");
    expect(e.requestID).toMatch(/^req_/);
    expect(e.requestID).toBe(e.headers?.get("x-request-id"));
  });

  it("uses realistic defaults for a 429 body and headers", async () => {
    server.enqueue({ kind: "error", status: 429 });
    const e = (await failure(ask())) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.code).toBe("rate_limit_exceeded");
    expect(e.message).toMatch(/^429 Rate limit reached/);
    expect(e.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(e.headers.get("retry-after")).toBeNull(); // only when the behavior asks for it
  });

  it("rejects what the real API rejects, without consuming the queue", async () => {
    server.enqueue({ kind: "reply", text: "kept for the valid request" });
    const noAuth = await post(`${server.url}/chat/completions`, {}, { model: "m", messages: [{ role: "user", content: "x" }] });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ error: { message: expect.stringMatching(/^You didn't provide an API key/), type: "invalid_request_error", param: null, code: null } });
    const auth = { authorization: "Bearer sk-test-openai" };
    const noModel = await post(`${server.url}/chat/completions`, auth, { messages: [{ role: "user", content: "x" }] });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: { message: string } }).error.message).toBe("you must provide a model parameter");
    const notJSON = await post(`${server.url}/chat/completions`, auth, "{nope");
    expect(notJSON.status).toBe(400);
    const wrongPath = await post(`${server.url}/completions`, auth, {});
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.json()).toMatchObject({ error: { message: "Invalid URL (POST /v1/completions)", type: "invalid_request_error" } });

    const empty = await failure(client.chat.completions.create({ model: "m", messages: [] }));
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect((empty as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("messages");
    const streaming = await failure(client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }], stream: true }));
    expect(streaming).toBeInstanceOf(OpenAI.BadRequestError);
    expect((streaming as Error).message).toBe("400 streaming not supported by the fake");

    expect((await ask()).choices[0]!.message.content).toBe("kept for the valid request");
    expect(server.requests).toHaveLength(7);
  });

  it("rejects a wrong key when the server is given one", async () => {
    const strict = await startOpenAIServer({ apiKey: "sk-test-right" });
    try {
      const e = await failure(ask(new OpenAI({ apiKey: "sk-test-wrong", baseURL: strict.url, maxRetries: 0 })));
      expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((e as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
      const ok = await ask(new OpenAI({ apiKey: "sk-test-right", baseURL: strict.url, maxRetries: 0 }));
      expect(ok.choices[0]!.message.content).toBe("ok");
    } finally {
      await strict.close();
    }
  });

  it("surfaces a reset as APIConnectionError (not a timeout), caused by ECONNRESET", async () => {
    server.enqueue({ kind: "reset" });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(err).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const e = err as InstanceType<typeof OpenAI.APIConnectionError>;
    expect(e.status).toBeUndefined();
    expect(e.headers).toBeUndefined();
    expect(e.message).toBe("Connection error.");
    expect(String((e.cause as Error & { cause?: unknown }).cause)).toMatch(/ECONNRESET|other side closed/);
    // the server keeps working afterwards
    expect((await ask()).choices[0]!.message.content).toBe("ok");
  });

  it("surfaces a hang with timeout 200 as APIConnectionTimeoutError", async () => {
    server.enqueue({ kind: "hang" });
    const started = Date.now();
    const err = await failure(ask(new OpenAI({ apiKey: "sk-test-openai", baseURL: server.url, maxRetries: 0, timeout: 200 })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError); // the timeout class extends the connection class
    expect((err as Error).message).toBe("Request timed out.");
  });

  it("close() ends a hanging request that has no timeout", async () => {
    server.enqueue({ kind: "hang" });
    const pending = failure(ask());
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("surfaces a truncated body as a raw TypeError('terminated'), NOT an SDK error", async () => {
    server.enqueue({ kind: "truncated" });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(TypeError);
    expect(err).not.toBeInstanceOf(OpenAI.OpenAIError);
    expect((err as Error).message).toBe("terminated");
  });

  it("surfaces a complete but malformed JSON body as a raw SyntaxError", async () => {
    server.enqueue({ kind: "raw", status: 200, body: '{"id": "chatcmpl-1", "choi' });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(SyntaxError);
    expect(err).not.toBeInstanceOf(OpenAI.OpenAIError);
  });

  it("delays a reply by delayMs and uses setDefault (value or function) once the queue is empty", async () => {
    server.enqueue({ kind: "reply", text: "late", delayMs: 150 });
    const started = Date.now();
    expect((await ask()).choices[0]!.message.content).toBe("late");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    server.setDefault((req) => ({ kind: "reply", text: `echo ${(req.body as { model: string }).model}` }));
    expect((await ask()).choices[0]!.message.content).toBe("echo gpt-test");
    server.setDefault({ kind: "error", status: 500 });
    expect(await failure(ask())).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("lets the SDK's own retry logic retry a 429 honoring retry-after-ms (maxRetries: 2)", async () => {
    server.enqueue(
      { kind: "error", status: 429, headers: { "retry-after-ms": "10" } },
      { kind: "error", status: 429, headers: { "retry-after-ms": "10" } },
      { kind: "reply", text: "third time lucky" },
    );
    const retrying = new OpenAI({ apiKey: "sk-test-openai", baseURL: server.url, maxRetries: 2 });
    const started = Date.now();
    expect((await ask(retrying)).choices[0]!.message.content).toBe("third time lucky");
    expect(Date.now() - started).toBeLessThan(400); // the default backoff would be >= ~0.75 s
    expect(server.requests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
  });

  it("x-should-retry: false stops the SDK from retrying", async () => {
    server.enqueue({ kind: "error", status: 503, headers: { "x-should-retry": "false" } });
    const retrying = new OpenAI({ apiKey: "sk-test-openai", baseURL: server.url, maxRetries: 2 });
    expect(await failure(ask(retrying))).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("fake Anthropic server with the real @anthropic-ai/sdk", () => {
  let server: FakeServer;
  let client: Anthropic;
  const ask = (c: Anthropic = client) =>
    c.messages.create({
      model: "claude-test",
      max_tokens: 64,
      system: "be brief", // 8 chars
      messages: [{ role: "user", content: "hello there" }], // 11 chars
    });

  beforeEach(async () => {
    server = await startAnthropicServer();
    client = new Anthropic({ apiKey: "sk-test-anthropic", baseURL: server.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it("serves a message the SDK parses: content, usage, stop reason, ids, headers", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    server.enqueue({ kind: "reply", text: "General Kenobi!" });
    const { data, response, request_id } = await ask().withResponse();
    expect(data.type).toBe("message");
    expect(data.role).toBe("assistant");
    expect(data.id).toMatch(/^msg_/);
    expect(data.model).toBe("claude-test");
    expect(data.content).toEqual([{ type: "text", text: "General Kenobi!", citations: null }]);
    expect(data.stop_reason).toBe("end_turn");
    expect(data.stop_sequence).toBeNull();
    // usage: ceil((8 system + 11 message chars) / 4) = 5, ceil(15 / 4) = 4
    expect(data.usage).toMatchObject({ input_tokens: 5, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(request_id).toMatch(/^req_/);
    expect((data as { _request_id?: string | null })._request_id).toBe(request_id); // also on a plain `await create()`
    expect(response.headers.get("request-id")).toBe(request_id);
    expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("49");
  });

  it("echoes explicit usage, stop reason and refusals", async () => {
    server.enqueue(
      { kind: "reply", text: "truncat", finish: "max_tokens", usage: { input: 100, output: 7, cacheRead: 64, cacheWrite: 12 } },
      { kind: "reply", text: "", refusal: "declined" },
    );
    const a = await ask();
    expect(a.stop_reason).toBe("max_tokens");
    expect(a.usage).toMatchObject({ input_tokens: 100, output_tokens: 7, cache_read_input_tokens: 64, cache_creation_input_tokens: 12 });
    const b = await ask();
    expect(b.stop_reason).toBe("refusal");
    expect(b.content).toEqual([]);
    expect(b.stop_details).toEqual({ type: "refusal", category: null, explanation: "declined" });
  });

  it("records the request: path, auth, anthropic-version, model, max_tokens, system and messages", async () => {
    await ask();
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/messages");
    // SDK v1 (API version 2026-10-21) sends the key as a bearer token, not x-api-key.
    expect(req.headers["authorization"]).toBe("Bearer sk-test-anthropic");
    expect(req.headers["x-api-key"]).toBeUndefined();
    expect(req.headers["anthropic-version"]).toBe("2026-10-21");
    expect(req.body).toEqual({ model: "claude-test", max_tokens: 64, system: "be brief", messages: [{ role: "user", content: "hello there" }] });
  });

  it.each([
    [400, Anthropic.BadRequestError, "invalid_request_error"],
    [401, Anthropic.AuthenticationError, "authentication_error"],
    [429, Anthropic.RateLimitError, "rate_limit_error"],
    [500, Anthropic.InternalServerError, "api_error"],
    [529, Anthropic.OverloadedError, "overloaded_error"],
  ] as const)("surfaces a %i as %o with status, body fields and headers", async (status, cls, type) => {
    server.enqueue({ kind: "error", status, message: `boom ${status}`, headers: { "retry-after": "7", "anthropic-ratelimit-tokens-remaining": "0" } });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(status);
    expect(e.type).toBe(type); // error.error.type
    expect(e.apiMessage).toBe(`boom ${status}`); // error.error.message
    // e.error is the WHOLE body, and e.message is `${status} ${JSON of the whole body}`
    expect(e.error).toEqual({ type: "error", error: { type, message: `boom ${status}` }, request_id: e.requestID });
    expect(e.message).toBe(`${status} ${JSON.stringify(e.error)}`);
    expect(e.headers?.get("retry-after")).toBe("7");
    expect(e.headers?.get("anthropic-ratelimit-tokens-remaining")).toBe("0");
    expect(e.requestID).toMatch(/^req_/);
    expect(e.requestID).toBe(e.headers?.get("request-id"));
  });

  it("maps 503 to ServiceUnavailableError, a subclass of InternalServerError", async () => {
    server.enqueue({ kind: "error", status: 503, errorType: "api_error" });
    const e = await failure(ask());
    expect(e).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    expect(e).toBeInstanceOf(Anthropic.InternalServerError);
  });

  it("rejects what the real API rejects, without consuming the queue", async () => {
    server.enqueue({ kind: "reply", text: "kept for the valid request" });
    const url = `${server.url}/v1/messages`;
    const valid = { model: "m", max_tokens: 5, messages: [{ role: "user", content: "x" }] };
    const noAuth = await post(url, { "anthropic-version": "2023-06-01" }, valid);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const key = { "x-api-key": "sk-test-anthropic" };
    const noVersion = await post(url, key, valid);
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: "anthropic-version: header is required" } });
    const v1 = { ...key, "anthropic-version": "2023-06-01" };
    const v2 = { ...key, "anthropic-version": "2026-10-21" };
    for (const missing of ["model", "max_tokens", "messages"]) {
      const body: Record<string, unknown> = { ...valid };
      delete body[missing];
      const r = await post(url, v1, body);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: { type: "invalid_request_error", message: `${missing}: Field required` } });
    }
    // a system turn in messages is invalid on 2023-06-01 (it takes top-level `system`)
    expect((await post(url, v1, { ...valid, messages: [{ role: "system", content: "s" }] })).status).toBe(400);
    // 2026-10-21 removed temperature / top_p / top_k; 2023-06-01 still takes them
    const hot = await post(url, v2, { ...valid, temperature: 1 });
    expect(hot.status).toBe(400);
    expect(await hot.json()).toMatchObject({ error: { message: "temperature: Extra inputs are not permitted" } });
    const wrongPath = await post(`${server.url}/v1/complete`, v2, valid);
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });

    const streaming = await failure(client.messages.create({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "x" }], stream: true }));
    expect(streaming).toBeInstanceOf(Anthropic.BadRequestError);
    expect((streaming as InstanceType<typeof Anthropic.BadRequestError>).apiMessage).toBe("streaming not supported by the fake");

    // x-api-key on the legacy version, with temperature: accepted, consumes the queued reply
    const ok = await post(url, v1, { ...valid, temperature: 0.5 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: "message", content: [{ type: "text", text: "kept for the valid request" }] });
    expect(ok.headers.get("request-id")).toMatch(/^req_/);
  });

  it("surfaces a reset as APIConnectionError (not a timeout), caused by ECONNRESET", async () => {
    server.enqueue({ kind: "reset" });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(err).not.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    const e = err as InstanceType<typeof Anthropic.APIConnectionError>;
    expect(e.status).toBeUndefined();
    expect(e.message).toBe("Connection error.");
    expect(String((e.cause as Error & { cause?: unknown }).cause)).toMatch(/ECONNRESET|other side closed/);
    expect((await ask()).content).toEqual([{ type: "text", text: "ok", citations: null }]);
  });

  it("surfaces a hang with timeout 200 as APIConnectionTimeoutError", async () => {
    server.enqueue({ kind: "hang" });
    const started = Date.now();
    const err = await failure(ask(new Anthropic({ apiKey: "sk-test-anthropic", baseURL: server.url, maxRetries: 0, timeout: 200 })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(err).toBeInstanceOf(Anthropic.APIConnectionError);
    expect((err as Error).message).toBe("Request timed out.");
  });

  it("surfaces a truncated body as a raw TypeError('terminated'), NOT an SDK error", async () => {
    server.enqueue({ kind: "truncated" });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(TypeError);
    expect(err).not.toBeInstanceOf(Anthropic.AnthropicError);
    expect((err as Error).message).toBe("terminated");
  });

  it("surfaces a complete but malformed JSON body as a raw SyntaxError", async () => {
    server.enqueue({ kind: "raw", status: 200, body: '{"id": "msg_1", "conte' });
    const err = await failure(ask());
    expect(err).toBeInstanceOf(SyntaxError);
    expect(err).not.toBeInstanceOf(Anthropic.AnthropicError);
  });

  it("surfaces a non-JSON error body (e.g. a proxy page) with the text as the message", async () => {
    server.enqueue({ kind: "raw", status: 502, body: "<html>Bad Gateway</html>", headers: { "content-type": "text/html" } });
    const e = (await failure(ask())) as InstanceType<typeof Anthropic.InternalServerError>;
    expect(e).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e.status).toBe(502);
    expect(e.message).toBe("502 <html>Bad Gateway</html>");
    expect(e.type).toBeNull();
  });

  it("lets the SDK's own retry logic retry a 429 honoring retry-after-ms (maxRetries: 2)", async () => {
    server.enqueue(
      { kind: "error", status: 429, headers: { "retry-after-ms": "10" } },
      { kind: "error", status: 529, headers: { "retry-after-ms": "10" } },
      { kind: "reply", text: "third time lucky" },
    );
    const retrying = new Anthropic({ apiKey: "sk-test-anthropic", baseURL: server.url, maxRetries: 2 });
    const started = Date.now();
    expect((await ask(retrying)).content).toEqual([{ type: "text", text: "third time lucky", citations: null }]);
    expect(Date.now() - started).toBeLessThan(400);
    expect(server.requests.map((r) => r.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
  });
});

describe("fake servers' tools and embeddings, with the real SDKs", () => {
  let server: FakeServer;
  afterEach(async () => {
    await server.close();
  });
  const fn = { type: "function" as const, function: { name: "get_weather", description: "Weather in a city.", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };

  it("OpenAI: replies with tool_calls the SDK parses, and checks tools and tool messages as the API does", async () => {
    server = await startOpenAIServer();
    const client = new OpenAI({ apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
    server.enqueue({ kind: "reply", text: "", toolCalls: [{ id: "call_w", name: "get_weather", arguments: { city: "Oslo" } }] });
    const first = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "weather?" }], tools: [fn] });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([{ id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }]);

    const reject = async (body: Record<string, unknown>) => (await failure(client.chat.completions.create({ model: "gpt-test", ...body } as never))) as InstanceType<typeof OpenAI.BadRequestError>;
    const calls = { role: "assistant", content: null, tool_calls: choice.message.tool_calls };
    const orphan = await reject({ messages: [{ role: "user", content: "q" }, { role: "tool", tool_call_id: "call_w", content: "sunny" }] });
    expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
    expect(orphan.message).toBe("400 Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
    expect(orphan.param).toBe("messages.[1].role");
    const unanswered = await reject({ messages: [{ role: "user", content: "q" }, calls, { role: "user", content: "and?" }] });
    expect(unanswered.message).toContain("The following tool_call_ids did not have response messages: call_w");
    const objectArgs = await reject({ messages: [{ role: "user", content: "q" }, { ...calls, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: {} } }] }, { role: "tool", tool_call_id: "c", content: "x" }] });
    expect(objectArgs.param).toBe("messages[1].tool_calls[0].function.arguments");
    expect((await reject({ messages: [{ role: "user", content: "q" }], tools: [] })).code).toBe("empty_array");
    expect((await reject({ messages: [{ role: "user", content: "q" }], tools: [{ ...fn, function: { ...fn.function, name: "get weather" } }] })).param).toBe("tools[0].function.name");

    server.enqueue({ kind: "reply", text: "Sunny." });
    const second = await client.chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "q" }, calls as never, { role: "tool", tool_call_id: "call_w", content: "sunny" }], tools: [fn] });
    expect(second.choices[0]!.message.content).toBe("Sunny.");
  });

  it("OpenAI: serves embeddings as floats or base64, which the SDK decodes by default", async () => {
    server = await startOpenAIServer();
    const client = new OpenAI({ apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
    server.enqueue({ kind: "embedding", vectors: [[0.5, -0.25]] });
    const floats = await client.embeddings.create({ model: "text-embedding-3-small", input: ["hi"], encoding_format: "float" });
    expect(floats).toMatchObject({ object: "list", model: "text-embedding-3-small", data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }], usage: { prompt_tokens: 1, total_tokens: 1 } });
    server.enqueue({ kind: "embedding", vectors: [[0.5, -0.25]] });
    const decoded = await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
    expect(server.requests[1]!.body).toMatchObject({ encoding_format: "base64" });
    expect(decoded.data[0]!.embedding).toEqual([0.5, -0.25]);
    const sized = await client.embeddings.create({ model: "text-embedding-3-large", input: ["a", "b"], encoding_format: "float" });
    expect(sized.data.map((d) => d.embedding.length)).toEqual([3072, 3072]);
    const empty = await failure(client.embeddings.create({ model: "text-embedding-3-small", input: [] }));
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    const noKey = await post(`${server.url}/embeddings`, {}, { model: "m", input: "x" });
    expect(noKey.status).toBe(401);
  });

  it("Anthropic: replies with tool_use blocks the SDK parses, and pairs tool_result with tool_use as the API does", async () => {
    server = await startAnthropicServer();
    const client = new Anthropic({ apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
    const tool = { name: "get_weather", description: "Weather in a city.", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };
    server.enqueue({ kind: "reply", text: "Checking.", toolCalls: [{ id: "toolu_w", name: "get_weather", arguments: { city: "Oslo" } }] });
    const first = await client.messages.create({ model: "claude-test", max_tokens: 64, messages: [{ role: "user", content: "weather?" }], tools: [tool] });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "text", text: "Checking.", citations: null },
      { type: "tool_use", id: "toolu_w", name: "get_weather", input: { city: "Oslo" }, caller: { type: "direct" } },
    ]);
    const use = { role: "assistant" as const, content: [{ type: "tool_use" as const, id: "toolu_w", name: "get_weather", input: { city: "Oslo" } }] };
    const result = (id: string) => ({ role: "user" as const, content: [{ type: "tool_result" as const, tool_use_id: id, content: "sunny" }] });
    const reject = async (messages: Anthropic.MessageParam[], tools: unknown[] = [tool]) =>
      (await failure(client.messages.create({ model: "claude-test", max_tokens: 64, messages, tools: tools as never }))) as InstanceType<typeof Anthropic.BadRequestError>;
    const stray = await reject([{ role: "user", content: "q" }, { role: "assistant", content: "no calls" }, result("toolu_other")]);
    expect(stray).toBeInstanceOf(Anthropic.BadRequestError);
    expect(stray.message).toContain("messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_other.");
    expect((await reject([{ role: "user", content: "q" }, use, { role: "user", content: "go on" }])).message).toContain("`tool_use` ids were found without `tool_result` blocks immediately after: toolu_w");
    expect((await reject([{ role: "user", content: "q" }], [{ name: "t" }])).message).toContain("tools.0.custom.input_schema: Field required");
    expect((await reject([{ role: "user", content: [{ type: "text", text: "" }] }])).message).toContain("text content blocks must be non-empty");

    server.enqueue({ kind: "reply", text: "Sunny." });
    const second = await client.messages.create({ model: "claude-test", max_tokens: 64, messages: [{ role: "user", content: "q" }, use, result("toolu_w")], tools: [tool] });
    expect(second.content).toEqual([{ type: "text", text: "Sunny.", citations: null }]);
  });
});
