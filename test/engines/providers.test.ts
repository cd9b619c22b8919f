// The real provider engines, driven through createEngines as `tgc run` does, against loopback servers that speak
// the OpenAI and Anthropic wire formats, including their errors, rate limits and broken connections.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InFlight } from "../../src/cli/status-line.js";
import { cacheKey, ResponseCache } from "../../src/engines/cache.js";
import { costOfCall, Meter } from "../../src/engines/cost.js";
import type { Engine, EngineReply, EngineRequest, Message, ToolSpec } from "../../src/engines/engine.js";
import { createEngines, type EngineSpec } from "../../src/engines/index.js";
import type { RetryClock, RetryNotice } from "../../src/engines/retry.js";
import { startAnthropicServer, startOpenAIServer, type FakeServer } from "./fake-providers.js";

const KEY = "sk-test-0123456789abcdefSECRET";

const request = (options: EngineRequest["options"] = {}): EngineRequest => ({
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is 2 + 2?" },
  ],
  options,
  context: { purpose: "forward", system: "Be brief.", user: "What is 2 + 2?", role: "r" },
});

const clock: RetryClock & { slept: number[] } = { slept: [], sleep: async (ms) => void clock.slept.push(ms), random: () => 0.5 };

async function engineFor(spec: Partial<EngineSpec> & Pick<EngineSpec, "provider" | "args">, env: Record<string, string>, notices: RetryNotice[] = []): Promise<Engine> {
  const engines = await createEngines([{ name: "e", connection: { attempts: 3, timeoutMs: 2_000 }, ...spec }], undefined, {
    env,
    scripts: () => [],
    onRetry: (n) => notices.push(n),
    concurrency: 4,
    clock,
  });
  return engines.get("e")!;
}

let server: FakeServer;
beforeEach(() => {
  clock.slept.length = 0;
});
afterEach(async () => server?.close());

describe("openai", () => {
  beforeEach(async () => {
    server = await startOpenAIServer();
  });
  const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });

  it("sends the messages and every sampling option, and reads text, finish and usage", async () => {
    server.enqueue({ kind: "reply", text: "4", usage: { input: 12, output: 1, cacheRead: 8 } });
    const e = await engineFor({ provider: "openai", args: ["gpt-4o-mini"] }, env());
    const reply = await e.complete(request({ temperature: 0.2, top_p: 0.9, seed: 7, max_tokens: 50, stop: ["END"] }));
    expect(reply).toEqual({ text: "4", finishReason: "stop", usage: { inputTokens: 12, outputTokens: 1, cachedInputTokens: 8 } });
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is 2 + 2?" },
      ],
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      max_completion_tokens: 50,
      stop: ["END"],
    });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(e.id).toBe("openai:gpt-4o-mini");
  });

  it("retries 429 (honouring retry-after), 500, a reset connection and a cut-off body, then succeeds", async () => {
    server.enqueue({ kind: "error", status: 429, headers: { "retry-after": "2" } }, { kind: "error", status: 500 });
    const notices: RetryNotice[] = [];
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env(), notices);
    expect((await e.complete(request())).text).toBe("ok");
    expect(notices.map((n) => n.status)).toEqual([429, 500]);
    expect(clock.slept[0]).toBe(2000);
    server.enqueue({ kind: "reset" }, { kind: "truncated" });
    expect((await e.complete(request())).text).toBe("ok");
    expect(notices.slice(2).map((n) => n.message)).toEqual([expect.stringContaining("connection failed"), expect.stringContaining("connection broke")]);
  });

  it("stops after the last attempt with the engine, status and provider message", async () => {
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: "error" as const, status: 503, message: "The server is overloaded." })));
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    await expect(e.complete(request())).rejects.toThrow("openai:gpt-4o failed 3 times (last status 503): status 503: The server is overloaded.");
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a bad key, says where the key came from, and never repeats the key", async () => {
    await server.close();
    server = await startOpenAIServer({ apiKey: "sk-the-right-one" });
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    const failure = await e.complete(request()).catch((x: Error & { hint?: string }) => x);
    expect(server.requests).toHaveLength(1);
    expect(String(failure)).toContain("status 401");
    expect((failure as { hint?: string }).hint).toBe("check the key in OPENAI_API_KEY");
    expect(String(failure)).not.toContain(KEY);
  });

  it("times out a reply that never comes, and tries again", async () => {
    server.enqueue({ kind: "hang" });
    const notices: RetryNotice[] = [];
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"], connection: { timeoutMs: 200, attempts: 2 } }, env(), notices);
    expect((await e.complete(request())).text).toBe("ok");
    expect(notices[0]!.message).toContain("200 ms");
  });

  it("reads the key from the variable an engine names", async () => {
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"], connection: { keyEnv: "MY_TEAM_KEY" } }, { MY_TEAM_KEY: KEY, OPENAI_BASE_URL: server.url });
    await e.complete(request());
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("explains a missing key in one line", async () => {
    await expect(engineFor({ provider: "openai", args: ["gpt-4o"] }, {})).rejects.toThrow("engine 'e' (openai gpt-4o) needs an API key: set OPENAI_API_KEY");
  });

  it("serves compatible servers with max_tokens and no key unless one is named", async () => {
    const e = await engineFor({ provider: "compatible", args: [server.url, "llama3.1"] }, {});
    // The fake, like OpenAI, insists on a bearer token; local servers ignore it.
    await e.complete(request({ max_tokens: 20 }));
    expect(server.requests[0]!.body).toMatchObject({ model: "llama3.1", max_tokens: 20 });
    expect(e.id).toBe("compatible:llama3.1");
  });

  it("reports a refusal", async () => {
    server.enqueue({ kind: "reply", text: "", refusal: "I can't help with that." });
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    expect((await e.complete(request())).finishReason).toBe("refusal");
  });
});

describe("anthropic", () => {
  beforeEach(async () => {
    server = await startAnthropicServer();
  });
  const env = () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });

  it("puts system messages in `system`, sends max_tokens and stop sequences, and reads usage", async () => {
    server.enqueue({ kind: "reply", text: "4", usage: { input: 20, output: 2, cacheRead: 16 } });
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, env());
    const reply = await e.complete(request({ stop: ["END"], temperature: 0.3, seed: 1 }));
    expect(reply).toEqual({ text: "4", finishReason: "stop", usage: { inputTokens: 36, outputTokens: 2, cachedInputTokens: 16, cacheWriteInputTokens: 0 } });
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: "claude-sonnet-4-5", system: "Be brief.", max_tokens: 4096, stop_sequences: ["END"], messages: [{ role: "user", content: "What is 2 + 2?" }] });
    // The API version this SDK speaks rejects sampling parameters; they are not sent.
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("seed");
  });

  it("retries 529 overloaded and 429 with retry-after, then gives up with the provider's message", async () => {
    server.enqueue({ kind: "error", status: 529 }, { kind: "error", status: 429, headers: { "retry-after": "1" } });
    const notices: RetryNotice[] = [];
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, env(), notices);
    expect((await e.complete(request())).text).toBe("ok");
    expect(notices.map((n) => n.status)).toEqual([529, 429]);
    expect(clock.slept[1]).toBe(1000);
    server.enqueue(...Array.from({ length: 3 }, () => ({ kind: "error" as const, status: 529, message: "Overloaded" })));
    await expect(e.complete(request())).rejects.toThrow("anthropic:claude-sonnet-4-5 failed 3 times (last status 529): status 529: Overloaded");
  });

  it("explains a missing key in one line", async () => {
    await expect(engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, {})).rejects.toThrow("needs an API key: set ANTHROPIC_API_KEY");
  });
});

describe("prompt caching", () => {
  beforeEach(async () => {
    server = await startAnthropicServer();
  });

  it("marks where a long shared prefix ends with an Anthropic cache breakpoint", async () => {
    const system = "You are a careful assistant. ".repeat(200); // about 5,800 characters, shared by a batch
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
    await e.complete({ ...request(), messages: [{ role: "system", content: system }, { role: "user", content: "Q1" }], prefixMarks: [{ message: 0, chars: system.length }] });
    const body = server.requests[0]!.body as { system: { type: string; text: string; cache_control?: unknown }[] };
    expect(body.system).toEqual([{ type: "text", text: system, cache_control: { type: "ephemeral" } }]);
  });

  it("splits a user message at the end of its stable part", async () => {
    const stable = "<VARIABLE>\n" + "word ".repeat(1000) + "\n</VARIABLE>";
    const user = `${stable}\n\nfeedback for this example`;
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
    await e.complete({ ...request(), messages: [{ role: "system", content: "sys" }, { role: "user", content: user }], prefixMarks: [{ message: 1, chars: stable.length }] });
    const body = server.requests[0]!.body as { system: string; messages: { content: unknown }[] };
    expect(body.system).toBe("sys");
    expect(body.messages[0]!.content).toEqual([
      { type: "text", text: stable, cache_control: { type: "ephemeral" } },
      { type: "text", text: "\n\nfeedback for this example" },
    ]);
  });

  it("marks each long shared prefix, the variable's and the batch's, in one message", async () => {
    const variable = "v ".repeat(2500);
    const user = `${variable}\n\nthe prompt it took part in${"!".repeat(100)}\n\nper-example feedback`;
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
    const second = variable.length + 2 + 26 + 100;
    await e.complete({ ...request(), messages: [{ role: "system", content: "sys" }, { role: "user", content: user }], prefixMarks: [{ message: 1, chars: variable.length }, { message: 1, chars: second }] });
    const body = server.requests[0]!.body as { messages: { content: { text: string; cache_control?: unknown }[] }[] };
    expect(body.messages[0]!.content.map((b) => [b.text.length, b.cache_control !== undefined])).toEqual([
      [variable.length, true],
      [second - variable.length, true],
      [user.length - second, false],
    ]);
  });

  it("marks nothing when the shared prefix is too short to be cached", async () => {
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
    await e.complete({ ...request(), prefixMarks: [{ message: 0, chars: 9 }] });
    const body = server.requests[0]!.body as { system: unknown; messages: { content: unknown }[] };
    expect(body.system).toBe("Be brief.");
    expect(body.messages[0]!.content).toBe("What is 2 + 2?");
  });
});

// ---------------------------------------------------------------- tools and embeddings

const lookup: ToolSpec = {
  name: "lookup",
  description: "Looks a word up in the dictionary.",
  parameters: [
    { name: "word", type: "text", description: "the word" },
    { name: "limit", type: "number" },
    { name: "exact", type: "bool" },
  ],
};

const agentRequest = (messages: Message[]): EngineRequest => ({
  messages,
  tools: [lookup],
  options: {},
  context: { purpose: "agent", system: "Use the tools.", user: "Define tarn.", role: "answer", tools: [lookup], trajectory: [], turnsLeft: 3 },
});

const schema = {
  type: "object",
  properties: { word: { type: "string", description: "the word" }, limit: { type: "number" }, exact: { type: "boolean" } },
  required: ["word", "limit", "exact"],
  additionalProperties: false,
};

/** The first turn, the model's calls as tgc records them, and the second turn with the tools' results. */
function secondTurn(first: readonly Message[], reply: EngineReply): Message[] {
  return [
    ...first,
    { role: "assistant", content: reply.text, toolCalls: reply.toolCalls! },
    ...reply.toolCalls!.map((c, i): Message => ({ role: "tool", toolCallId: c.id, name: c.name, content: `result ${i + 1}` })),
  ];
}

const firstTurn: Message[] = [
  { role: "system", content: "Use the tools." },
  { role: "user", content: "Define tarn." },
];

describe("tools through OpenAI", () => {
  beforeEach(async () => {
    server = await startOpenAIServer();
  });
  const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });

  it("sends tools as functions, reads the calls, and sends their results back in a second turn", async () => {
    server.enqueue(
      {
        kind: "reply",
        text: "",
        toolCalls: [
          { id: "call_a", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } },
          { id: "call_b", name: "lookup", arguments: { word: "lake", limit: 2, exact: false } },
        ],
      },
      { kind: "reply", text: "A tarn is a mountain lake." },
    );
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    const reply = await e.complete(agentRequest(firstTurn));
    expect(reply).toMatchObject({
      text: "",
      finishReason: "tool_calls",
      toolCalls: [
        { id: "call_a", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } },
        { id: "call_b", name: "lookup", arguments: { word: "lake", limit: 2, exact: false } },
      ],
    });
    expect((server.requests[0]!.body as Record<string, unknown>).tools).toEqual([
      { type: "function", function: { name: "lookup", description: "Looks a word up in the dictionary.", parameters: schema } },
    ]);

    const answer = await e.complete(agentRequest(secondTurn(firstTurn, reply)));
    expect(answer).toMatchObject({ text: "A tarn is a mountain lake.", finishReason: "stop" });
    expect(answer.toolCalls).toBeUndefined();
    expect((server.requests[1]!.body as { messages: unknown[] }).messages.slice(2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "lookup", arguments: '{"word":"tarn","limit":1,"exact":true}' } },
          { id: "call_b", type: "function", function: { name: "lookup", arguments: '{"word":"lake","limit":2,"exact":false}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "result 1" },
      { role: "tool", tool_call_id: "call_b", content: "result 2" },
    ]);
    expect(server.requests).toHaveLength(2); // nothing was rejected
  });

  it("keeps malformed arguments raw instead of failing, and sends them back as the model wrote them", async () => {
    server.enqueue({ kind: "reply", text: "Looking.", toolCalls: [{ id: "call_x", name: "lookup", arguments: '{"word": "tarn",' }] }, { kind: "reply", text: "done" });
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    const reply = await e.complete(agentRequest(firstTurn));
    expect(reply.toolCalls).toEqual([{ id: "call_x", name: "lookup", arguments: { __malformed: '{"word": "tarn",' } }]);
    expect(reply.text).toBe("Looking.");
    await e.complete(agentRequest(secondTurn(firstTurn, reply)));
    const sent = (server.requests[1]!.body as { messages: { tool_calls?: { function: { arguments: string } }[] }[] }).messages[2]!;
    expect(sent.tool_calls![0]!.function.arguments).toBe('{"word": "tarn",');
  });

  it("is told by the server when a tool result answers no call (the fake rejects it as the API does)", async () => {
    const e = await engineFor({ provider: "openai", args: ["gpt-4o"] }, env());
    const orphan: Message[] = [...firstTurn, { role: "tool", toolCallId: "call_nobody", name: "lookup", content: "r" }];
    await expect(e.complete(agentRequest(orphan))).rejects.toThrow("status 400: Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
  });

  it("embeds through the embeddings endpoint, as floats, vectors in input order, usage from the response", async () => {
    server.enqueue({ kind: "embedding", vectors: [[0.1, 0.2], [0.3, 0.4]], usage: { input: 7 } });
    const e = await engineFor({ provider: "openai", args: ["text-embedding-3-small"] }, env());
    const reply = await e.embed!(["alpha", "beta"]);
    expect(reply).toEqual({ vectors: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 7, outputTokens: 0 } });
    expect(server.requests[0]!.path).toBe("/v1/embeddings");
    expect(server.requests[0]!.body).toEqual({ model: "text-embedding-3-small", input: ["alpha", "beta"], encoding_format: "float" });
  });

  it("embeds through a compatible server too; Anthropic has no embeddings", async () => {
    const e = await engineFor({ provider: "compatible", args: [server.url, "nomic-embed-text"] }, {});
    const { vectors } = await e.embed!(["one"]);
    expect(vectors[0]).toHaveLength(1536);
    const a = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, { ANTHROPIC_API_KEY: KEY });
    expect(a.embed).toBeUndefined();
  });
});

describe("tools through Anthropic", () => {
  beforeEach(async () => {
    server = await startAnthropicServer();
  });
  const env = () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });

  it("sends tools with input schemas, reads tool_use blocks, and answers them with tool_result blocks in one user message", async () => {
    server.enqueue(
      {
        kind: "reply",
        text: "Let me look both up.",
        toolCalls: [
          { id: "toolu_a", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } },
          { id: "toolu_b", name: "lookup", arguments: { word: "lake", limit: 2, exact: false } },
        ],
      },
      { kind: "reply", text: "A tarn is a mountain lake." },
    );
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, env());
    const reply = await e.complete(agentRequest(firstTurn));
    expect(reply).toMatchObject({
      text: "Let me look both up.",
      finishReason: "tool_calls",
      toolCalls: [
        { id: "toolu_a", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } },
        { id: "toolu_b", name: "lookup", arguments: { word: "lake", limit: 2, exact: false } },
      ],
    });
    expect((server.requests[0]!.body as Record<string, unknown>).tools).toEqual([{ name: "lookup", description: "Looks a word up in the dictionary.", input_schema: schema }]);

    const answer = await e.complete(agentRequest(secondTurn(firstTurn, reply)));
    expect(answer).toMatchObject({ text: "A tarn is a mountain lake.", finishReason: "stop" });
    const body = server.requests[1]!.body as { system: unknown; messages: unknown[] };
    expect(body.system).toBe("Use the tools.");
    expect(body.messages).toEqual([
      { role: "user", content: "Define tarn." },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look both up." },
          { type: "tool_use", id: "toolu_a", name: "lookup", input: { word: "tarn", limit: 1, exact: true } },
          { type: "tool_use", id: "toolu_b", name: "lookup", input: { word: "lake", limit: 2, exact: false } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_a", content: "result 1" },
          { type: "tool_result", tool_use_id: "toolu_b", content: "result 2" },
        ],
      },
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it("sends no empty text block beside tool calls, and is told when a result answers no call", async () => {
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, env());
    const calls: Message = { role: "assistant", content: "", toolCalls: [{ id: "toolu_1", name: "lookup", arguments: { word: "x", limit: 1, exact: true } }] };
    await e.complete(agentRequest([...firstTurn, calls, { role: "tool", toolCallId: "toolu_1", name: "lookup", content: "r" }]));
    expect((server.requests[0]!.body as { messages: { content: unknown }[] }).messages[1]!.content).toEqual([
      { type: "tool_use", id: "toolu_1", name: "lookup", input: { word: "x", limit: 1, exact: true } },
    ]);
    const answer = (id: string): Message => ({ role: "tool", toolCallId: id, name: "lookup", content: "r" });
    await expect(e.complete(agentRequest([...firstTurn, calls, answer("toolu_1"), answer("toolu_2")]))).rejects.toThrow(
      "status 400: messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2",
    );
    await expect(e.complete(agentRequest([...firstTurn, calls, { role: "user", content: "go on" }]))).rejects.toThrow(
      "status 400: messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1.",
    );
  });

  it("still marks a long shared prefix in a conversation with tools, at the end of a tool result", async () => {
    const long = "x".repeat(5000);
    const e = await engineFor({ provider: "anthropic", args: ["claude-sonnet-4-5"] }, env());
    const messages: Message[] = [
      ...firstTurn,
      { role: "assistant", content: "", toolCalls: [{ id: "toolu_1", name: "lookup", arguments: {} }] },
      { role: "tool", toolCallId: "toolu_1", name: "lookup", content: long },
      { role: "user", content: "Now answer." },
    ];
    await e.complete({ ...agentRequest(messages), prefixMarks: [{ message: 4, chars: 0 }] });
    const body = server.requests[0]!.body as { messages: { content: unknown }[] };
    expect(body.messages[2]!.content).toEqual([{ type: "tool_result", tool_use_id: "toolu_1", content: long, cache_control: { type: "ephemeral" } }]);
    expect(body.messages[3]!.content).toBe("Now answer.");
  });
});

describe("the response cache with tools and embeddings", () => {
  beforeEach(async () => {
    server = await startOpenAIServer();
  });

  async function cachedEngine(model: string, meter: Meter, dir: string, track?: (e: Engine) => Engine): Promise<Engine> {
    const engines = await createEngines([{ name: "e", provider: "openai", args: [model], connection: { attempts: 1 } }], undefined, {
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url },
      scripts: () => [],
      onRetry: () => {},
      concurrency: 2,
      clock,
      meter: { meter, budget: {} },
      cache: { cache: new ResponseCache(dir), mode: "use" },
      ...(track ? { track } : {}),
    });
    return engines.get("e")!;
  }

  it("serves the second embedding of the same texts from the cache, metered as a free hit", async () => {
    server.enqueue({ kind: "embedding", usage: { input: 1_000_000 } });
    const meter = new Meter();
    // Through the status line's tracker, as the CLI composes it: it counts embeddings in flight and keeps `embed`.
    const inFlight = new InFlight();
    const e = await cachedEngine("text-embedding-3-small", meter, mkdtempSync(join(tmpdir(), "tgc-embed-")), inFlight.track);
    const first = await e.embed!(["alpha", "beta"]);
    const again = await e.embed!(["alpha", "beta"]);
    expect(server.requests).toHaveLength(1);
    expect(first.cached).toBe(false);
    expect(again).toEqual({ ...first, cached: true });
    expect(first.vectors).toHaveLength(2);
    await e.embed!(["alpha"]); // other texts: a miss
    expect(server.requests).toHaveLength(2);
    const { byPhase, total } = meter.snapshot();
    expect(byPhase.embed).toMatchObject({ calls: 2, cacheHits: 1 });
    expect(total.cost).toBeCloseTo(0.02 + costOfCall("openai:text-embedding-3-small", { inputTokens: 2, outputTokens: 0 })!, 10);
    expect(total.savedCost).toBeCloseTo(0.02, 10);
  });

  it("keeps tool calls, and misses when the tools offered differ", async () => {
    server.setDefault(() => ({ kind: "reply", text: "", toolCalls: [{ id: "call_1", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } }] }));
    const meter = new Meter();
    const e = await cachedEngine("gpt-4o", meter, mkdtempSync(join(tmpdir(), "tgc-tools-")));
    const first = await e.complete(agentRequest(firstTurn));
    const again = await e.complete(agentRequest(firstTurn));
    expect(server.requests).toHaveLength(1);
    expect(again).toEqual({ ...first, cached: true });
    expect(again.toolCalls).toEqual([{ id: "call_1", name: "lookup", arguments: { word: "tarn", limit: 1, exact: true } }]);
    const otherTools: EngineRequest = { ...agentRequest(firstTurn), tools: [{ ...lookup, description: "Looks a word up." }] };
    await e.complete(otherTools);
    await e.complete({ ...agentRequest(firstTurn), tools: undefined });
    expect(server.requests).toHaveLength(3);
    expect(cacheKey("openai:gpt-4o", otherTools)).not.toBe(cacheKey("openai:gpt-4o", agentRequest(firstTurn)));
    // No tools and an empty list send the same request.
    expect(cacheKey("openai:gpt-4o", { ...otherTools, tools: [] })).toBe(cacheKey("openai:gpt-4o", { ...otherTools, tools: undefined }));
    expect(meter.snapshot().byPhase.agent).toMatchObject({ calls: 3, cacheHits: 1 });
  });
});
