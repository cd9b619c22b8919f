import { describe, expect, it } from "vitest";
import type { Engine, EngineRequest } from "../../src/engines/engine.js";
import { LimitedEngine, Limiter } from "../../src/engines/limits.js";

const request = (content = "x", max_tokens?: number): EngineRequest => ({
  messages: [{ role: "user", content }],
  options: max_tokens === undefined ? {} : { max_tokens },
  context: { purpose: "forward", system: undefined, user: content, role: "r" },
});

/** An engine whose calls finish when the test says, recording how many are in flight. */
function controlled() {
  let inFlight = 0;
  let peak = 0;
  const started: string[] = [];
  const finishers: (() => void)[] = [];
  const engine: Engine = {
    id: "c",
    simulated: true,
    complete: (r) =>
      new Promise((resolve) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        started.push(r.messages[0]!.content);
        finishers.push(() => {
          inFlight--;
          resolve({ text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" });
        });
      }),
  };
  return { engine, started, finishOne: () => finishers.shift()?.(), peak: () => peak };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("limits", () => {
  it("keeps at most `concurrency` calls in flight and admits the waiting ones first come, first served", async () => {
    const c = controlled();
    const e = new LimitedEngine(c.engine, new Limiter({ concurrency: 2 }));
    const all = ["a", "b", "c", "d", "e"].map((x) => e.complete(request(x)));
    await tick();
    expect(c.started).toEqual(["a", "b"]);
    c.finishOne();
    await tick();
    expect(c.started).toEqual(["a", "b", "c"]);
    for (let i = 0; i < 4; i++) {
      c.finishOne();
      await tick();
    }
    await Promise.all(all);
    expect(c.started).toEqual(["a", "b", "c", "d", "e"]);
    expect(c.peak()).toBe(2);
  });

  it("waits for the minute window when requests per minute are used up", async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new Limiter({ concurrency: 10, requestsPerMinute: 2 }, () => now, {
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const engine: Engine = { id: "e", simulated: true, complete: async () => ({ text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }) };
    const e = new LimitedEngine(engine, limiter);
    await e.complete(request());
    now = 10_000;
    await e.complete(request());
    await e.complete(request()); // must wait until the first call is a minute old
    expect(slept).toEqual([50_000]);
  });

  it("counts estimated tokens against tokens per minute", async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new Limiter({ concurrency: 10, tokensPerMinute: 1_000 }, () => now, {
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const engine: Engine = { id: "e", simulated: true, complete: async () => ({ text: "ok", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }) };
    const e = new LimitedEngine(engine, limiter);
    await e.complete(request("x".repeat(400), 500)); // about 600 tokens
    await e.complete(request("x".repeat(400), 500)); // another 600 would pass 1,000: wait
    expect(slept).toEqual([60_000]);
  });

  it("gives up its place in the queue when the run is aborted", async () => {
    const c = controlled();
    const e = new LimitedEngine(c.engine, new Limiter({ concurrency: 1 }));
    const first = e.complete(request("a"));
    const abort = new AbortController();
    const second = e.complete(request("b"), abort.signal);
    abort.abort(new Error("stopped"));
    await expect(second).rejects.toThrow("stopped");
    c.finishOne();
    await first;
    expect(c.started).toEqual(["a"]);
  });
});
