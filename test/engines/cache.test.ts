import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cacheKey, CachingEngine, ResponseCache } from "../../src/engines/cache.js";
import { EngineError, type Engine, type EngineReply, type EngineRequest, type Message } from "../../src/engines/engine.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = () => mkdtempSync(join(tmpdir(), "tgc-cache-"));

const request: EngineRequest = {
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "What is 2 + 2?" },
  ],
  options: { temperature: 0, max_tokens: 100, seed: 7, stop: ["\n\n"], top_p: 1 },
  context: { purpose: "forward", system: "You are terse.", user: "What is 2 + 2?", role: "answer" },
};
const reply = (text: string, finishReason: EngineReply["finishReason"] = "stop"): EngineReply => ({ text, usage: { inputTokens: 12, outputTokens: 3 }, finishReason });

/** A provider-like engine that counts its calls and answers in turn from `replies` (then "answer N"). */
function counting(id = "openai:gpt-4o", replies: readonly EngineReply[] = []): Engine & { calls: number } {
  const engine = {
    id,
    simulated: false,
    calls: 0,
    async complete() {
      engine.calls++;
      return replies[engine.calls - 1] ?? reply(`answer ${engine.calls}`);
    },
  };
  return engine;
}

const entryFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
const tempFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".tmp"));

describe("cache keys", () => {
  const base = cacheKey("openai:gpt-4o", request);
  const variants: [string, string, EngineRequest][] = [
    ["the model", "openai:gpt-4o-mini", request],
    ["the provider", "compatible:gpt-4o", request],
    ["a message's content", "openai:gpt-4o", { ...request, messages: [request.messages[0]!, { role: "user", content: "What is 2 + 3?" }] }],
    ["a message's role", "openai:gpt-4o", { ...request, messages: [{ role: "user", content: "You are terse." }, request.messages[1]!] }],
    ["a message more", "openai:gpt-4o", { ...request, messages: [...request.messages, { role: "assistant", content: "4" }] }],
    ["the temperature", "openai:gpt-4o", { ...request, options: { ...request.options, temperature: 0.7 } }],
    ["max_tokens", "openai:gpt-4o", { ...request, options: { ...request.options, max_tokens: 101 } }],
    ["the seed", "openai:gpt-4o", { ...request, options: { ...request.options, seed: 8 } }],
    ["the stop sequences", "openai:gpt-4o", { ...request, options: { ...request.options, stop: ["\n"] } }],
    ["top_p", "openai:gpt-4o", { ...request, options: { ...request.options, top_p: 0.9 } }],
    ["an option left out", "openai:gpt-4o", { ...request, options: { temperature: 0, max_tokens: 100, seed: 7, top_p: 1 } }],
    ["the variant", "openai:gpt-4o", { ...request, variant: 1 }],
    ["variant 0 against none", "openai:gpt-4o", { ...request, variant: 0 }],
  ];
  for (const [what, engine, changed] of variants) {
    it(`change with ${what}`, () => expect(cacheKey(engine, changed)).not.toBe(base));
  }

  it("are 64 hex characters, the same for equal requests whatever the order of option keys or the context", () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered: EngineRequest = {
      context: { purpose: "loss", targets: [], context: [], criteria: "anything" },
      options: { top_p: 1, stop: ["\n\n"], seed: 7, max_tokens: 100, temperature: 0 },
      messages: request.messages.map((m) => ({ content: m.content, role: m.role }) as Message),
    };
    expect(cacheKey("openai:gpt-4o", reordered)).toBe(base);
    expect(cacheKey("openai:gpt-4o", { ...request, options: { ...request.options, seed: undefined } })).toBe(
      cacheKey("openai:gpt-4o", { ...request, options: { temperature: 0, max_tokens: 100, stop: ["\n\n"], top_p: 1 } }),
    );
  });
});

describe("caching engine", () => {
  it("misses on any change and hits on an identical request without calling the inner engine", async () => {
    const cache = new ResponseCache(tmp());
    const inner = counting();
    const engine = new CachingEngine(inner, cache, "use");
    expect(engine.id).toBe("openai:gpt-4o");
    expect(engine.simulated).toBe(false);
    const first = await engine.complete(request);
    expect(first).toEqual({ ...reply("answer 1"), cached: false });
    const again = await engine.complete({ ...request, options: { seed: 7, stop: ["\n\n"], top_p: 1, max_tokens: 100, temperature: 0 } });
    expect(again).toEqual({ ...reply("answer 1"), cached: true });
    expect(inner.calls).toBe(1);
    expect((await engine.complete({ ...request, options: { ...request.options, temperature: 1 } })).text).toBe("answer 2");
    expect((await engine.complete({ ...request, variant: 1 })).text).toBe("answer 3");
    expect((await engine.complete({ ...request, variant: 2 })).text).toBe("answer 4");
    expect((await engine.complete({ ...request, variant: 1 })).cached).toBe(true);
    expect(inner.calls).toBe(4);
    // another model over the same folder shares nothing with the first
    const other = counting("openai:gpt-4o-mini");
    expect((await new CachingEngine(other, cache, "use").complete(request)).cached).toBe(false);
    expect(other.calls).toBe(1);
  });

  it("keeps recorded usage on a hit and stores nothing secret, only the summary and the reply", async () => {
    const dir = tmp();
    const engine = new CachingEngine(counting("anthropic:claude", [{ ...reply("4"), usage: { inputTokens: 9, outputTokens: 1, cachedInputTokens: 4 } }]), new ResponseCache(dir), "use");
    await engine.complete(request);
    expect((await engine.complete(request)).usage).toEqual({ inputTokens: 9, outputTokens: 1, cachedInputTokens: 4 });
    const [file] = entryFiles(dir);
    const key = cacheKey("anthropic:claude", request);
    expect(file).toBe(join(key.slice(0, 2), `${key}.json`));
    const entry = JSON.parse(readFileSync(join(dir, file!), "utf8")) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(["created", "engine", "key", "purpose", "reply", "v"]);
    expect(entry).toMatchObject({ engine: "anthropic:claude", purpose: "forward", key, reply: { text: "4", finishReason: "stop" } });
    expect(Number.isNaN(Date.parse(entry.created as string))).toBe(false);
  });

  it("does not store refusals, replies cut off for other reasons, or empty replies; stores replies cut at the length limit", async () => {
    const dir = tmp();
    const replies = [reply("I can't help", "refusal"), reply("partial", "other"), reply("  \n"), reply("cut", "length")];
    const inner = counting("openai:gpt-4o", replies);
    const engine = new CachingEngine(inner, new ResponseCache(dir), "use");
    for (let i = 0; i < replies.length; i++) expect(await engine.complete({ ...request, variant: i })).toEqual({ ...replies[i], cached: false });
    expect(entryFiles(dir)).toHaveLength(1);
    expect((await engine.complete({ ...request, variant: 0 })).cached).toBe(false); // the refusal is asked again
    expect(await engine.complete({ ...request, variant: 3 })).toEqual({ ...reply("cut", "length"), cached: true });
  });

  it("in replay mode serves hits and fails on a miss without calling the inner engine", async () => {
    const cache = new ResponseCache(tmp());
    await new CachingEngine(counting(), cache, "use").complete(request);
    const inner = counting();
    const replay = new CachingEngine(inner, cache, "replay");
    expect(await replay.complete(request)).toEqual({ ...reply("answer 1"), cached: true });
    const missing: EngineRequest = { ...request, context: { purpose: "backward", variable: "v", variableRole: "r", relation: "evaluated", output: "o", outputRole: "r", feedback: [], prompt: undefined }, variant: 3 };
    const error = await replay.complete(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    const engineError = error as EngineError;
    expect(engineError.engine).toBe("openai:gpt-4o");
    expect(engineError.message).toContain("not in the cache");
    expect(engineError.message).toContain("openai:gpt-4o");
    expect(engineError.message).toContain("backward");
    expect(engineError.message).toContain(cacheKey("openai:gpt-4o", missing).slice(0, 12));
    expect(engineError.hint).toBe("run once without --replay to record it, or check that the program and options are unchanged");
    expect(inner.calls).toBe(0);
  });

  it("treats a corrupt or partial entry as a miss and repairs it", async () => {
    const dir = tmp();
    const cache = new ResponseCache(dir);
    const inner = counting();
    const engine = new CachingEngine(inner, cache, "use");
    await engine.complete(request);
    const path = join(dir, entryFiles(dir)[0]!);
    const good = readFileSync(path, "utf8");
    for (const broken of [good.slice(0, good.length / 2), "", "null", '{"v":1}', good.replace('"stop"', '"maybe"')]) {
      writeFileSync(path, broken);
      expect(cache.get("openai:gpt-4o", request)).toBeUndefined();
      expect((await engine.complete(request)).cached).toBe(false);
      expect((await engine.complete(request)).cached).toBe(true);
    }
    expect(inner.calls).toBe(6);
    expect(cache.stats().entries).toBe(1);
  });

  it("reports a failure to store and still returns the reply", async () => {
    const dir = tmp();
    writeFileSync(join(dir, cacheKey("openai:gpt-4o", request).slice(0, 2)), "a file where the shard folder should be");
    const errors: Error[] = [];
    const engine = new CachingEngine(counting(), new ResponseCache(dir), "use", (e) => errors.push(e));
    expect((await engine.complete(request)).text).toBe("answer 1");
    expect(errors).toHaveLength(1);
    expect(new ResponseCache(dir).stats().entries).toBe(0);
  });
});

describe("response cache folder", () => {
  const keyed = (i: number): EngineRequest => ({ ...request, messages: [{ role: "user", content: `question ${i} ${Math.random()}` }] });

  it("takes concurrent writes from two instances, the same keys and different ones, leaving no temp files", async () => {
    const dir = tmp();
    const [a, b] = [new ResponseCache(dir), new ResponseCache(dir)];
    const requests = Array.from({ length: 50 }, (_, i) => keyed(i));
    await Promise.all(
      requests.flatMap((r, i) => [
        Promise.resolve().then(() => a.put("openai:gpt-4o", r, reply(`reply ${i}`))),
        Promise.resolve().then(() => b.put("openai:gpt-4o", r, reply(`reply ${i}`))),
        Promise.resolve().then(() => (i % 2 ? a : b).put("anthropic:claude", r, reply(`other ${i}`))),
      ]),
    );
    expect(tempFiles(dir)).toEqual([]);
    requests.forEach((r, i) => {
      expect(a.get("openai:gpt-4o", r)?.reply.text).toBe(`reply ${i}`);
      expect(b.get("anthropic:claude", r)?.reply.text).toBe(`other ${i}`);
    });
    expect(a.stats()).toMatchObject({ entries: 100, byEngine: { "openai:gpt-4o": 50, "anthropic:claude": 50 } });
  });

  it("is shared safely by two processes writing the same keys at once", async () => {
    const dir = tmp();
    const script = join(dir, "writer.mts");
    writeFileSync(
      script,
      [
        `import { ResponseCache } from ${JSON.stringify(pathToFileURL(join(root, "src/engines/cache.ts")).href)};`,
        `const cache = new ResponseCache(process.argv[2]);`,
        `const context = { purpose: "forward", system: undefined, user: "", role: "r" };`,
        `for (let round = 0; round < 5; round++) for (let i = 0; i < 40; i++) {`,
        `  const request = { messages: [{ role: "user", content: "shared " + i }], options: { temperature: 0 }, context };`,
        `  cache.put("openai:gpt-4o", request, { text: "reply " + i, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" });`,
        `  const got = cache.get("openai:gpt-4o", request);`,
        `  if (got?.reply.text !== "reply " + i) throw new Error("bad read of " + i);`,
        `}`,
      ].join("\n"),
    );
    const run = promisify(execFile);
    await Promise.all([1, 2, 3].map(() => run(process.execPath, ["--import", "tsx", script, dir], { cwd: root })));
    expect(tempFiles(dir)).toEqual([]);
    const cache = new ResponseCache(dir);
    expect(cache.stats()).toMatchObject({ entries: 40, byEngine: { "openai:gpt-4o": 40 } });
    const context = { purpose: "forward", system: undefined, user: "", role: "r" } as const;
    expect(cache.get("openai:gpt-4o", { messages: [{ role: "user", content: "shared 7" }], options: { temperature: 0 }, context })?.reply.text).toBe("reply 7");
  }, 30_000);

  it("counts entries, bytes and entries by engine, and clears them", () => {
    const dir = tmp();
    const cache = new ResponseCache(dir);
    expect(new ResponseCache(join(dir, "missing")).stats()).toEqual({ entries: 0, bytes: 0, byEngine: {} });
    expect(new ResponseCache(join(dir, "missing")).clear()).toBe(0);
    for (let i = 0; i < 3; i++) cache.put("openai:gpt-4o", keyed(i), reply("x"));
    cache.put("sim", keyed(9), reply("y"));
    const stats = cache.stats();
    expect(stats.entries).toBe(4);
    expect(stats.byEngine).toEqual({ "openai:gpt-4o": 3, sim: 1 });
    expect(stats.bytes).toBe(entryFiles(dir).reduce((n, f) => n + readFileSync(join(dir, f)).length, 0));
    expect(cache.clear()).toBe(4);
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0, byEngine: {} });
    expect(cache.get("openai:gpt-4o", keyed(0))).toBeUndefined();
  });
});

describe("tool calls and embeddings in the cache", () => {
  it("stores a reply of tool calls (empty text) and asks again for an empty reply without them", async () => {
    const calls = [{ id: "call_1", name: "lookup", arguments: { word: "tarn" } }];
    const inner = counting("openai:gpt-4o", [
      { text: "", usage: { inputTokens: 5, outputTokens: 2 }, finishReason: "tool_calls", toolCalls: calls },
      { text: "", usage: { inputTokens: 5, outputTokens: 0 }, finishReason: "tool_calls" },
    ]);
    const engine = new CachingEngine(inner, new ResponseCache(tmp()), "use");
    const tools = [{ name: "lookup", description: "d", parameters: [{ name: "word", type: "text" as const }] }];
    expect(await engine.complete({ ...request, tools })).toMatchObject({ toolCalls: calls, cached: false });
    expect(await engine.complete({ ...request, tools })).toMatchObject({ toolCalls: calls, finishReason: "tool_calls", cached: true });
    await engine.complete({ ...request, tools: [{ ...tools[0]!, name: "define" }] });
    await engine.complete({ ...request, tools: [{ ...tools[0]!, name: "define" }] });
    expect(inner.calls).toBe(3); // the empty reply was not stored
  });

  it("stores embeddings under the texts, replays them, and counts them in stats", async () => {
    const dir = tmp();
    let embeds = 0;
    const inner: Engine = {
      id: "openai:text-embedding-3-small",
      simulated: false,
      complete: () => Promise.reject(new Error("unused")),
      async embed(texts) {
        embeds++;
        return { vectors: texts.map((t) => [t.length, 1]), usage: { inputTokens: 3, outputTokens: 0 } };
      },
    };
    const engine = new CachingEngine(inner, new ResponseCache(dir), "use");
    expect(await engine.embed!(["ab", "c"])).toEqual({ vectors: [[2, 1], [1, 1]], usage: { inputTokens: 3, outputTokens: 0 }, cached: false });
    expect(await engine.embed!(["ab", "c"])).toMatchObject({ vectors: [[2, 1], [1, 1]], cached: true });
    expect(embeds).toBe(1);
    const replay = new CachingEngine(inner, new ResponseCache(dir), "replay");
    expect((await replay.embed!(["ab", "c"])).cached).toBe(true);
    await expect(replay.embed!(["c", "ab"])).rejects.toThrow(/embeddings of 2 texts are not in the cache .* --replay allows no calls/);
    expect(new ResponseCache(dir).stats()).toMatchObject({ entries: 1, byEngine: { "openai:text-embedding-3-small": 1 } });
    expect(new CachingEngine(counting(), new ResponseCache(dir), "use").embed).toBeUndefined();
  });
});
