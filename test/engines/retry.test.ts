import { describe, expect, it } from "vitest";
import { EngineError, ProviderError, type Engine, type EngineRequest } from "../../src/engines/engine.js";
import { redact, retryAfterMs } from "../../src/engines/providers/errors.js";
import { RetryingEngine, type RetryClock, type RetryNotice } from "../../src/engines/retry.js";

const request: EngineRequest = {
  messages: [{ role: "user", content: "hi" }],
  options: {},
  context: { purpose: "forward", system: undefined, user: "hi", role: "r" },
};

/** An engine that fails with the given errors in turn, then answers. */
function flaky(failures: readonly Error[]): Engine & { calls: number } {
  const engine = {
    id: "flaky",
    simulated: false,
    calls: 0,
    async complete() {
      const failure = failures[engine.calls++];
      if (failure) throw failure;
      return { text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" as const };
    },
  };
  return engine;
}

function fakeClock(): RetryClock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => void slept.push(ms), random: () => 0.5 };
}

const policy = { attempts: 4, timeoutMs: 5_000, baseDelayMs: 1_000, maxDelayMs: 8_000 };
const rateLimited = (after?: number) => new ProviderError("status 429: slow down", "flaky", 429, true, after);

describe("retrying engine", () => {
  it("retries retryable failures with exponential backoff and jitter, honouring retry-after", async () => {
    const inner = flaky([rateLimited(), new ProviderError("status 529: overloaded", "flaky", 529, true, undefined), rateLimited(2_500)]);
    const clock = fakeClock();
    const notices: RetryNotice[] = [];
    const reply = await new RetryingEngine(inner, policy, (n) => notices.push(n), clock).complete(request);
    expect(reply.text).toBe("ok");
    expect(inner.calls).toBe(4);
    // Full jitter at random 0.5: 3/4 of the ceiling (1 s, then 2 s); then the provider's 2.5 s.
    expect(clock.slept).toEqual([750, 1500, 2500]);
    expect(notices.map((n) => [n.attempt, n.status])).toEqual([
      [1, 429],
      [2, 529],
      [3, 429],
    ]);
  });

  it("gives up after the last attempt with the engine, status and message", async () => {
    const inner = flaky(Array.from({ length: 10 }, () => rateLimited()));
    const clock = fakeClock();
    const failure = new RetryingEngine(inner, policy, () => {}, clock).complete(request);
    await expect(failure).rejects.toThrow(EngineError);
    await expect(new RetryingEngine(flaky(Array.from({ length: 10 }, () => rateLimited())), policy, () => {}, fakeClock()).complete(request)).rejects.toThrow(
      "flaky failed 4 times (last status 429): status 429: slow down",
    );
    expect(inner.calls).toBe(4);
    expect(clock.slept).toHaveLength(3);
  });

  it("does not retry what cannot succeed", async () => {
    const inner = flaky([new ProviderError("status 401: bad key", "flaky", 401, false, undefined, "check the key")]);
    await expect(new RetryingEngine(inner, policy, () => {}, fakeClock()).complete(request)).rejects.toThrow("status 401: bad key");
    expect(inner.calls).toBe(1);
  });

  it("caps the wait the provider asks for", async () => {
    const clock = fakeClock();
    await new RetryingEngine(flaky([rateLimited(600_000)]), policy, () => {}, clock).complete(request);
    expect(clock.slept).toEqual([8_000]);
  });

  it("turns an attempt that outlives its timeout into a retry", async () => {
    let calls = 0;
    const slow: Engine = {
      id: "slow",
      simulated: false,
      complete: (_r, signal) => {
        calls++;
        if (calls > 1) return Promise.resolve({ text: "late ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" });
        return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted"))));
      },
    };
    const notices: RetryNotice[] = [];
    const reply = await new RetryingEngine(slow, { ...policy, timeoutMs: 50 }, (n) => notices.push(n), fakeClock()).complete(request);
    expect(reply.text).toBe("late ok");
    expect(notices[0]!.message).toBe("no reply within 50 ms");
  });

  it("stops at once when the run is aborted", async () => {
    const abort = new AbortController();
    const engine: Engine = {
      id: "e",
      simulated: false,
      complete: () => {
        abort.abort(new Error("user stopped"));
        return Promise.reject(new Error("user stopped"));
      },
    };
    await expect(new RetryingEngine(engine, policy, () => {}, fakeClock()).complete(request, abort.signal)).rejects.toThrow("user stopped");
  });
});

describe("provider error details", () => {
  const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] ?? null });

  it("reads retry-after-ms, retry-after in seconds, and retry-after as a date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "1200" }))).toBe(1200);
    expect(retryAfterMs(headers({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });

  it("removes keys and credentials from messages", () => {
    const key = "sk-test-1234567890abcdef";
    expect(redact(`bad key ${key} at https://user:pass@host/v1?api_key=${key}&x=1`, [key])).toBe("bad key *** at https://***@host/v1?api_key=***&x=1");
  });
});

describe("embeddings through retries and limits", () => {
  it("retry a retryable failure of embed, and pass through limits; no embed when the inner engine has none", async () => {
    const { LimitedEngine, Limiter } = await import("../../src/engines/limits.js");
    let attempts = 0;
    const inner: Engine = {
      id: "openai:text-embedding-3-small",
      simulated: false,
      complete: () => Promise.reject(new Error("unused")),
      async embed(texts) {
        if (attempts++ === 0) throw new ProviderError("status 503: overloaded", "openai:text-embedding-3-small", 503, true, 5);
        return { vectors: texts.map(() => [0.5]), usage: { inputTokens: 1, outputTokens: 0 } };
      },
    };
    const notices: RetryNotice[] = [];
    const clock: RetryClock = { sleep: async () => {}, random: () => 0.5 };
    const e = new LimitedEngine(new RetryingEngine(inner, undefined, (n) => notices.push(n), clock), new Limiter({ concurrency: 1 }));
    expect((await e.embed!(["x", "y"])).vectors).toEqual([[0.5], [0.5]]);
    expect(attempts).toBe(2);
    expect(notices.map((n) => [n.status, n.delayMs])).toEqual([[503, 5]]);
    expect(new RetryingEngine(flaky([])).embed).toBeUndefined();
    expect(new LimitedEngine(flaky([]), new Limiter({ concurrency: 1 })).embed).toBeUndefined();
  });
});
