import { describe, expect, it } from "vitest";
import { BudgetedEngine, costOfCall, DEFAULT_OUTPUT_ESTIMATE, formatUsageTable, Meter } from "../../src/engines/cost.js";
import { BudgetExceeded, type Engine, type EngineReply, type EngineRequest, type Usage } from "../../src/engines/engine.js";
import { defaultPrices, loadPriceOverrides, priceOf } from "../../src/engines/prices.js";

/** 400 characters of messages: an estimated 100 input tokens. */
function request(purpose: "forward" | "backward", maxTokens?: number): EngineRequest {
  return {
    messages: [{ role: "user", content: "x".repeat(400) }],
    options: maxTokens === undefined ? {} : { max_tokens: maxTokens },
    context:
      purpose === "forward"
        ? { purpose, system: undefined, user: "x", role: "r" }
        : { purpose, variable: "v", variableRole: "r", relation: "evaluated", output: "o", outputRole: "r", feedback: [], prompt: undefined },
  };
}

/** An engine that counts its calls and answers with the given usage. */
function counting(id: string, usage: Usage = { inputTokens: 100, outputTokens: 50 }, cached = false): Engine & { calls: number } {
  const engine = {
    id,
    simulated: false,
    calls: 0,
    async complete(): Promise<EngineReply> {
      engine.calls++;
      return { text: "ok", usage, finishReason: "stop", ...(cached ? { cached } : {}) };
    },
  };
  return engine;
}

async function refusal(promise: Promise<unknown>): Promise<BudgetExceeded> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BudgetExceeded);
  return error as BudgetExceeded;
}

describe("prices", () => {
  it("looks up an engine by exact id, then as a dated snapshot of the longest listed id", () => {
    expect(priceOf("openai:gpt-4o")).toEqual({ input: 2.5, cachedInput: 1.25, output: 10 });
    expect(priceOf("openai:gpt-4o-2024-08-06")).toEqual(defaultPrices["openai:gpt-4o"]);
    expect(priceOf("openai:gpt-4o-mini-2024-07-18")).toEqual(defaultPrices["openai:gpt-4o-mini"]);
    expect(priceOf("anthropic:claude-sonnet-4-5-20250929")).toEqual(defaultPrices["anthropic:claude-sonnet-4-5"]);
    expect(priceOf("anthropic:claude-3-7-sonnet-latest")).toEqual(defaultPrices["anthropic:claude-3-7-sonnet"]);
  });

  it("does not guess: a different model that merely starts with a listed id is unknown", () => {
    expect(priceOf("openai:gpt-5-pro")).toBeUndefined();
    expect(priceOf("anthropic:claude-opus-4-9")).toBeUndefined();
    expect(priceOf("openai:some-new-model")).toBeUndefined();
  });

  it("prices the simulator, scripted replies and local servers at zero, unless a local server is overridden", () => {
    const zero = { input: 0, cachedInput: 0, output: 0 };
    expect(priceOf("sim")).toEqual(zero);
    expect(priceOf("sim:seeded")).toEqual(zero);
    expect(priceOf("scripted:replies.json")).toEqual(zero);
    expect(priceOf("compatible:llama3.1")).toEqual(zero);
    const own = { input: 0.2, cachedInput: 0.2, output: 0.4 };
    expect(priceOf("compatible:llama3.1", { "compatible:llama3.1": own })).toEqual(own);
    expect(priceOf("openai:gpt-4o", { "openai:gpt-4o": own })).toEqual(own);
  });

  it("validates a prices file and lists every problem", () => {
    expect(loadPriceOverrides({ "openai:gpt-4o": { input: 2, cachedInput: 1, output: 8 }, "compatible:x": { input: 1, output: 2 } })).toEqual({
      prices: { "openai:gpt-4o": { input: 2, cachedInput: 1, output: 8 }, "compatible:x": { input: 1, cachedInput: 1, output: 2 } },
    });
    expect(loadPriceOverrides([1])).toEqual({ problems: [expect.stringContaining("a prices file is a JSON object")] });
    const result = loadPriceOverrides({ "gpt-4o": { input: 1, output: 1 }, "openai:a": 3, "openai:b": { input: -1, ouput: 2 }, "openai:c": { input: "1", output: 1 } });
    expect(result).toEqual({
      problems: [
        "'gpt-4o': expected an engine id provider:model, such as openai:gpt-4o",
        `'openai:a': expected { "input": N, "cachedInput": N, "output": N } (USD per million tokens)`,
        "'openai:b': unknown field 'ouput' (expected input, cachedInput, output, cacheWrite)",
        "'openai:b': 'input' must be a number of USD per million tokens, 0 or more (got -1)",
        "'openai:b': 'output' is missing",
        `'openai:c': 'input' must be a number of USD per million tokens, 0 or more (got "1")`,
      ],
    });
  });
});

describe("Meter", () => {
  it("prices provider-cached input at the cached rate and the rest at the input rate", () => {
    // gpt-4o: 600 fresh × 2.5 + 400 cached × 1.25 + 200 out × 10, per million
    expect(costOfCall("openai:gpt-4o", { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 })).toBeCloseTo(0.004, 10);
    expect(costOfCall("openai:unknown", { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it("keeps totals per engine and per phase", () => {
    const meter = new Meter();
    meter.record("openai:gpt-4o", "forward", { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 }, false);
    meter.record("openai:gpt-4o", "backward", { inputTokens: 2000, outputTokens: 100 }, false);
    meter.record("openai:gpt-4o-mini", "forward", { inputTokens: 1000, cachedInputTokens: 1000, outputTokens: 1000 }, false);
    const s = meter.snapshot();
    expect(s.byEngine["openai:gpt-4o"]).toMatchObject({ calls: 2, inputTokens: 3000, cachedInputTokens: 400, outputTokens: 300 });
    expect(s.byEngine["openai:gpt-4o"]!.cost).toBeCloseTo(0.004 + 0.006, 10);
    expect(s.byEngine["openai:gpt-4o-mini"]!.cost).toBeCloseTo(0.000075 + 0.0006, 10);
    expect(s.byPhase.forward).toMatchObject({ calls: 2, inputTokens: 2000, cachedInputTokens: 1400, outputTokens: 1200 });
    expect(s.byPhase.backward).toMatchObject({ calls: 1, inputTokens: 2000, outputTokens: 100 });
    expect(s.byPhase.loss).toBeUndefined();
    expect(s.total.cost).toBeCloseTo(0.004 + 0.006 + 0.000675, 10);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it("counts a cache hit as free, apart from the calls made, and records what it saved", () => {
    const meter = new Meter();
    meter.recordHit("openai:gpt-4o", "forward", { inputTokens: 1000, outputTokens: 100 });
    const { total } = meter.snapshot();
    expect(total).toMatchObject({ calls: 0, cacheHits: 1, inputTokens: 0, outputTokens: 0, cost: 0 });
    expect(total.savedCost).toBeCloseTo(0.0035, 10);
    expect(meter.spent()).toEqual({ calls: 0, tokens: 0, cost: 0 });
  });

  it("reports the cost of an engine with no known price as unknown (null), its tokens still counted", () => {
    const meter = new Meter();
    meter.record("openai:mystery", "forward", { inputTokens: 10, outputTokens: 5 }, false);
    meter.record("sim", "forward", { inputTokens: 10, outputTokens: 5 }, false);
    const s = meter.snapshot();
    expect(s.byEngine["openai:mystery"]).toMatchObject({ calls: 1, inputTokens: 10, cost: null });
    expect(s.byEngine.sim!.cost).toBe(0);
    expect(s.total.cost).toBeNull();
    expect(s.prices).toEqual({ "openai:mystery": null, sim: { input: 0, cachedInput: 0, output: 0 } });
  });
});

describe("BudgetedEngine", () => {
  it("lets calls under every budget through and records their actual usage", async () => {
    const meter = new Meter();
    const inner = counting("openai:gpt-4o");
    const engine = new BudgetedEngine(inner, meter, { maxCalls: 2, maxTokens: 10_000, maxCost: 1 });
    await engine.complete(request("forward", 100));
    await engine.complete(request("backward", 100));
    expect(inner.calls).toBe(2);
    expect(meter.snapshot().byPhase.backward).toMatchObject({ calls: 1, inputTokens: 100, outputTokens: 50 });
  });

  it("refuses the call past --max-calls before making it", async () => {
    const meter = new Meter();
    const inner = counting("sim");
    const engine = new BudgetedEngine(inner, meter, { maxCalls: 1 });
    await engine.complete(request("forward"));
    const e = await refusal(engine.complete(request("backward")));
    expect(inner.calls).toBe(1);
    expect(e.budget).toBe("calls");
    expect(e.message).toBe("budget --max-calls 1 reached: 1 calls made so far; this backward call to sim would be one more, so the call was not made");
  });

  it("refuses a call whose estimated tokens would pass --max-tokens before making it", async () => {
    const meter = new Meter();
    const inner = counting("sim");
    const engine = new BudgetedEngine(inner, meter, { maxTokens: 1_200 });
    await engine.complete(request("forward", 100)); // estimated 200, actually 150
    const e = await refusal(engine.complete(request("forward"))); // 100 in + DEFAULT_OUTPUT_ESTIMATE out
    expect(DEFAULT_OUTPUT_ESTIMATE).toBe(1_000);
    expect(inner.calls).toBe(1);
    expect(e.budget).toBe("tokens");
    expect(e.message).toBe(
      "budget --max-tokens 1,200 would be exceeded: 150 tokens spent so far and this forward call to sim is estimated at 1,100 (100 in, 1,000 out), so the call was not made",
    );
    await engine.complete(request("forward", 900)); // 150 + 1,000 fits
    expect(inner.calls).toBe(2);
  });

  it("refuses a call whose estimated cost would pass --max-cost before making it", async () => {
    const meter = new Meter();
    const inner = counting("openai:gpt-4o", { inputTokens: 100, outputTokens: 1000 }); // $0.01025 a call
    const engine = new BudgetedEngine(inner, meter, { maxCost: 0.02 });
    await engine.complete(request("forward", 1000));
    const e = await refusal(engine.complete(request("forward", 1000)));
    expect(inner.calls).toBe(1);
    expect(e.budget).toBe("cost");
    expect(e.message).toBe("budget --max-cost $0.0200 would be exceeded: $0.0103 spent so far and this forward call to openai:gpt-4o is estimated at $0.0103, so the call was not made");
  });

  it("refuses to call an engine with no known price under a cost budget, and says how to give one", async () => {
    const inner = counting("openai:mystery");
    const e = await refusal(new BudgetedEngine(inner, new Meter(), { maxCost: 5 }).complete(request("forward")));
    expect(inner.calls).toBe(0);
    expect(e.budget).toBe("cost");
    expect(e.message).toContain("the price of engine openai:mystery is unknown");
    expect(e.message).toContain('"openai:mystery": { "input"');
    const priced = new BudgetedEngine(inner, new Meter({ "openai:mystery": { input: 1, cachedInput: 1, output: 1 } }), { maxCost: 5 });
    await priced.complete(request("forward"));
    expect(inner.calls).toBe(1);
  });

  it("shares one meter between engines, and counts calls under way against the budget", async () => {
    const meter = new Meter();
    let open = () => {};
    const slow: Engine = {
      id: "sim",
      simulated: true,
      complete: () => new Promise<EngineReply>((resolve) => (open = () => resolve({ text: "", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }))),
    };
    const a = new BudgetedEngine(slow, meter, { maxCalls: 1 });
    const b = new BudgetedEngine(counting("openai:gpt-4o-mini"), meter, { maxCalls: 1 });
    const first = a.complete(request("forward"));
    expect((await refusal(b.complete(request("forward")))).budget).toBe("calls");
    open();
    await first;
    expect(meter.spent().calls).toBe(1);
  });

  it("records a reply the cache served (if placed outside the cache) as a hit", async () => {
    const meter = new Meter();
    await new BudgetedEngine(counting("openai:gpt-4o", { inputTokens: 100, outputTokens: 10 }, true), meter, { maxCalls: 5 }).complete(request("forward"));
    expect(meter.snapshot().total).toMatchObject({ calls: 0, cacheHits: 1 });
  });
});

describe("formatUsageTable", () => {
  it("shows calls, hits, tokens and cost per engine and per phase", () => {
    const meter = new Meter();
    meter.record("openai:gpt-4o", "forward", { inputTokens: 12_000, cachedInputTokens: 4_000, outputTokens: 1_500 }, false);
    meter.record("openai:gpt-4o", "backward", { inputTokens: 3_000, outputTokens: 800 }, false);
    meter.recordHit("openai:gpt-4o", "forward", { inputTokens: 12_000, outputTokens: 1_500 });
    meter.record("compatible:llama3.1", "loss", { inputTokens: 500, outputTokens: 20 }, false);
    meter.record("openai:mystery", "update", { inputTokens: 700, outputTokens: 300 }, false);
    expect(formatUsageTable(meter.snapshot())).toBe(
      [
        "engine                 calls  hits      in  cached    out  cost USD",
        "  openai:gpt-4o            2     1  15,000   4,000  2,300    0.0555",
        "  compatible:llama3.1      1     0     500       0     20    0.0000",
        "  openai:mystery           1     0     700       0    300   unknown",
        "phase",
        "  forward                  1     1  12,000   4,000  1,500    0.0400",
        "  loss                     1     0     500       0     20    0.0000",
        "  backward                 1     0   3,000       0    800    0.0155",
        "  update                   1     0     700       0    300   unknown",
        "total                      4     1  16,200   4,000  2,620   unknown",
        "1 cached reply saved 0.0450 USD",
      ].join("\n"),
    );
  });
});

describe("Anthropic cache writes", () => {
  it("are priced at 1.25 times input, apart from reads and plain input", () => {
    // claude-sonnet-4-5: input 3, cached 0.3, output 15 USD per million; writes 3.75.
    const cost = costOfCall("anthropic:claude-sonnet-4-5", { inputTokens: 1_000_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 300_000, outputTokens: 0 });
    expect(cost).toBeCloseTo(0.5 * 3 + 0.2 * 0.3 + 0.3 * 3.75, 10);
  });
});

describe("embeddings", () => {
  const embedder = (): Engine & { embeds: number } => {
    const engine = {
      id: "openai:text-embedding-3-large",
      simulated: false,
      embeds: 0,
      async complete(): Promise<EngineReply> {
        throw new Error("not a chat model");
      },
      async embed(texts: readonly string[]) {
        engine.embeds++;
        return { vectors: texts.map(() => [1, 0]), usage: { inputTokens: 500_000, outputTokens: 0 } };
      },
    };
    return engine;
  };

  it("are metered in their own phase at the input price, and shown with the agent phase in the table", async () => {
    const meter = new Meter();
    const e = new BudgetedEngine(embedder(), meter, {});
    await e.embed!(["a", "b"]);
    expect(meter.snapshot().byPhase.embed).toMatchObject({ calls: 1, inputTokens: 500_000, outputTokens: 0, cost: 0.065 });
    meter.record("openai:gpt-4o", "agent", { inputTokens: 10, outputTokens: 1 }, false);
    const table = formatUsageTable(meter.snapshot());
    expect(table).toMatch(/^ {2}agent /m);
    expect(table).toMatch(/^ {2}embed /m);
  });

  it("are refused before a budget would be passed, and absent when the inner engine has none", async () => {
    const inner = embedder();
    const e = new BudgetedEngine(inner, new Meter(), { maxCalls: 0 });
    await expect(e.embed!(["a"])).rejects.toThrow(BudgetExceeded);
    await expect(e.embed!(["a"])).rejects.toThrow("this embed call to openai:text-embedding-3-large would be one more");
    expect(inner.embeds).toBe(0);
    expect(new BudgetedEngine(counting("openai:gpt-4o"), new Meter(), {}).embed).toBeUndefined();
  });
});
