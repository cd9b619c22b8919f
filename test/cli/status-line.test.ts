// The live status line: its text, and that a terminal run shows it while calls are under way.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { UsageSnapshot } from "../../src/engines/cost.js";
import { duration, statusText } from "../../src/cli/status-line.js";
import { startOpenAIServer, type FakeServer } from "../engines/fake-providers.js";
import { root } from "./run-cli.js";

const usage = (tokens: number, cost: number | null): UsageSnapshot => ({
  total: { calls: 3, cacheHits: 0, inputTokens: tokens - 100, cachedInputTokens: 0, outputTokens: 100, cost, savedCost: 0 },
  byEngine: {},
  byPhase: {},
  prices: {},
});

describe("the status line", () => {
  it("shows the step with a bar, the examples, calls in flight, tokens, cost and the time left", () => {
    const text = statusText({ step: 3, steps: 12, examples: 3, inFlight: 2, usage: usage(12345, 0.0123), stepTimes: [10_000, 20_000], elapsed: 5_000 }, 12);
    // 2 of 12 steps done; 10 steps left at 15 s each, 5 s of this one gone.
    expect(text).toBe("step 3/12 ▕██░░░░░░░░░░▏ · 3 examples · 2 calls in flight · 12,345 tokens · 0.0123 USD · ETA 2m25s");
  });

  it("leaves out what it does not know yet", () => {
    expect(statusText({ step: undefined, steps: undefined, examples: 0, inFlight: 1, usage: usage(100, null), stepTimes: [], elapsed: 0 })).toBe("1 call in flight · 100 tokens · cost unknown");
  });

  it("writes durations for people", () => {
    expect([duration(900), duration(59_400), duration(61_000), duration(3_725_000)]).toEqual(["1s", "59s", "1m01s", "1h02m"]);
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("a run on a terminal", () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.skipIf(!hasScript)("draws the status line on stderr while calls are under way, and not when piped", async () => {
    server = await startOpenAIServer({ apiKey: "sk-test" });
    server.setDefault((req) => {
      const all = JSON.stringify(req.body);
      const text = all.includes("This step is the update") ? "<IMPROVED_VARIABLE>t ≈ 2.02 s</IMPROVED_VARIABLE>" : all.includes("evaluate text") ? "No formula.\nScore: 4/10" : "About two seconds.";
      return { kind: "reply", text, delayMs: 150 };
    });
    const cache = mkdtempSync(join(tmpdir(), "tgc-status-"));
    const command = `node bin/tgc.js run examples/quickstart.tg --no-save --cache-dir ${cache}`;
    const env = { ...process.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, TGC_CONFIG: "/nonexistent/tgc-config.json", NO_COLOR: "1" };
    // `script` gives the run a terminal; what it wrote, both streams, comes back on its stdout.
    const output = await new Promise<string>((resolve) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: root, env });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("exit", () => resolve(out));
    });
    expect(output).toMatch(/step \d\/3 ▕[█░]+▏/);
    expect(output).toMatch(/1 call in flight · [\d,]+ tokens · [\d.]+ USD/);
    expect(output).toContain("final values");
    // Piped, the same run prints plain lines only.
    const piped = spawnSync(process.execPath, ["bin/tgc.js", "run", "examples/quickstart.tg", "--no-save", "--cache-dir", cache], { cwd: root, env, encoding: "utf8" });
    expect(piped.status).toBe(0);
    expect(piped.stdout + piped.stderr).not.toContain("in flight");
  });
});
