// The real provider engines, driven through createEngines as `tgc run` does, against loopback servers that speak
// the OpenAI and Anthropic wire formats, including their errors, rate limits and broken connections.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine, EngineRequest } from "../../src/engines/engine.js";
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
