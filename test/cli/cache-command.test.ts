import { existsSync, mkdtempSync } from "node:fs";
import { fileIndexStore } from "../../src/api/host.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheCommand } from "../../src/cli/commands/cache.js";
import { displayPath } from "../../src/cli/output.js";
import { ResponseCache } from "../../src/engines/cache.js";
import type { EngineRequest } from "../../src/engines/engine.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tgc-cache-cmd-"));

function captured(action: "stats" | "clear", dir: string): { code: number; out: string } {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  });
  try {
    return { code: cacheCommand(action, dir), out };
  } finally {
    spy.mockRestore();
  }
}

const request = (i: number): EngineRequest => ({
  messages: [{ role: "user", content: `question ${i}` }],
  options: { temperature: 0 },
  context: { purpose: "forward", system: undefined, user: `question ${i}`, role: "answer" },
});

afterEach(() => vi.restoreAllMocks());

describe("tgc cache", () => {
  it("prints entries, size and entries per engine, then clears them", () => {
    const dir = tmp();
    const cache = new ResponseCache(dir);
    for (let i = 0; i < 3; i++) cache.put("openai:gpt-4o", request(i), { text: "x".repeat(600), usage: { inputTokens: 1, outputTokens: 150 }, finishReason: "stop" });
    cache.put("anthropic:claude-sonnet-4-5", request(0), { text: "y", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" });
    const stats = captured("stats", dir);
    expect(stats.code).toBe(0);
    const lines = stats.out.trimEnd().split("\n");
    expect(lines[0]).toBe(`response cache: ${displayPath(dir)}`);
    expect(lines[1]).toBe("entries  4");
    expect(lines[2]).toMatch(/^size {5}\d+\.\d KB$/);
    expect(stats.out).toMatch(/engine +entries\n +openai:gpt-4o +3\n +anthropic:claude-sonnet-4-5 +1\n$/);
    expect(captured("clear", dir)).toEqual({ code: 0, out: `removed 4 entries (${displayPath(dir)})\n` });
    expect(captured("stats", dir)).toEqual({ code: 0, out: `the cache is empty (${displayPath(dir)})\n` });
    expect(captured("clear", dir)).toEqual({ code: 0, out: `removed 0 entries (${displayPath(dir)})\n` });
  });

  it("says a missing folder is an empty cache", () => {
    const dir = join(tmp(), "nothing-here");
    for (const action of ["stats", "clear"] as const) expect(captured(action, dir)).toEqual({ code: 0, out: `the cache is empty (${displayPath(dir)})\n` });
  });
});

describe("tgc cache and corpus indexes", () => {
  it("counts the indexes kept in the cache folder, and clears them with the responses", () => {
    const dir = tmp();
    const store = fileIndexStore(dir);
    store.write("a".repeat(64), "{}");
    store.write("b".repeat(64), "{}");
    new ResponseCache(dir).put("sim", request(1), { text: "answer", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" });
    expect(captured("stats", dir).out).toMatch(/indexes {2}2 \(4 B\), for corpora/);
    expect(captured("clear", dir).out).toBe(`removed 1 entry and 2 corpus indexes (${displayPath(dir)})\n`);
    expect(existsSync(join(dir, "index"))).toBe(false);
    expect(store.read("a".repeat(64))).toBeUndefined();
  });
});
