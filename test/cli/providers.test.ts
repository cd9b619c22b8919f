// `tgc run` against loopback servers speaking the providers' wire formats: a whole optimization through the real
// SDKs, retries shown as they happen, and the key nowhere on disk or on screen.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startAnthropicServer, startOpenAIServer, type Behavior, type FakeServer, type RecordedRequest } from "../engines/fake-providers.js";
import { root, stackTrace, tgcAsync } from "./run-cli.js";

const KEY = "sk-test-e2e-0123456789SECRETKEY";


/** Replies that fit each purpose, read from the prompt the way a model would see it. */
function modelLike(openai: boolean) {
  return (req: RecordedRequest): Behavior => {
    const body = req.body as { messages: { role: string; content: string | { text: string }[] }[]; system?: string | { text: string }[] };
    const text = (c: string | { text: string }[] | undefined) => (typeof c === "string" ? c : (c ?? []).map((b) => b.text).join(""));
    const system = openai ? text(body.messages.find((m) => m.role === "system")?.content) : text(body.system);
    const all = `${system}\n${body.messages.map((m) => text(m.content)).join("\n")}`;
    if (all.includes("This step is the update")) return { kind: "reply", text: "<IMPROVED_VARIABLE>\nt = sqrt(2h/g) = sqrt(40/9.8) ≈ 2.02 s\nAnswer: 2.02 s\n</IMPROVED_VARIABLE>" };
    if (system.includes("evaluate text")) return { kind: "reply", text: "The answer gives no formula.\nScore: 4/10" };
    if (all.includes("This step is the backward pass")) return { kind: "reply", text: "Show the formula t = sqrt(2h/g) and the final value." };
    return { kind: "reply", text: "About two seconds." };
  };
}

const runsDir = () => mkdtempSync(join(tmpdir(), "tgc-runs-"));
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

let server: FakeServer | undefined;
afterEach(async () => server?.close());

describe("tgc run with real providers", () => {
  it("optimizes the quickstart through OpenAI's wire format, retrying a rate limit, with the key nowhere", async () => {
    server = await startOpenAIServer({ apiKey: KEY });
    server.setDefault(modelLike(true));
    server.enqueue({ kind: "error", status: 429, headers: { "retry-after-ms": "10" } });
    const runs = runsDir();
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--runs-dir", runs, "--no-cache"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("SIMULATED");
    expect(r.stdout).toContain("openai:gpt-4o");
    expect(r.stdout).toMatch(/status 429.*trying again/);
    expect(r.stdout).toContain("≈ 2.02 s");
    // student: the initializer, asked twice because of the 429; teacher: 3 steps × (loss, backward, update)
    const models = server.requests.map((q) => (q.body as { model: string }).model);
    expect(models).toEqual(["gpt-4o-mini", "gpt-4o-mini", ...Array.from({ length: 9 }, () => "gpt-4o")]);
    expect((server.requests[1]!.body as { temperature?: number }).temperature).toBeUndefined();
    expect((server.requests[2]!.body as { temperature?: number }).temperature).toBe(0);
    for (const f of filesUnder(runs)) expect(readFileSync(f, "utf8"), f).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    const events = readFileSync(filesUnder(runs).find((f) => f.endsWith("events.jsonl"))!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; engine?: string });
    // The retry is recorded with the call it belongs to: just before it, under the program's engine name.
    const retry = events.findIndex((e) => e.type === "retry");
    expect(events[retry]).toMatchObject({ type: "retry", engine: "student", status: 429 });
    expect(events[retry + 1]).toMatchObject({ type: "call", engine: "student" });
  });

  it("serves every engine with --engine anthropic:MODEL", async () => {
    server = await startAnthropicServer();
    server.setDefault(modelLike(false));
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--no-cache", "--engine", "anthropic:claude-sonnet-4-5"], {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: server.url,
    });
    expect(r.code).toBe(0);
    expect(new Set(server.requests.map((q) => (q.body as { model: string }).model))).toEqual(new Set(["claude-sonnet-4-5"]));
    expect(r.stdout).toContain("≈ 2.02 s");
  });

  it("stops with a clear error when the provider keeps failing, keeping what completed", async () => {
    server = await startOpenAIServer();
    server.setDefault({ kind: "error", status: 500, message: "The server had an error while processing your request." });
    const runs = runsDir();
    const program = join(runsDir(), "p.tg");
    writeFileSync(
      program,
      `engine e = openai("gpt-4o") { attempts: 2 }\ntrainable a: "an answer" = "x"\nloss l = rubric e on a "judge"\noptimize a using tgd(engine: e) { minimize: l }\n`,
    );
    const r = await tgcAsync(["run", program, "--runs-dir", runs, "--no-cache"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG4001");
    expect(r.stderr).toContain("openai:gpt-4o failed 2 times (last status 500): status 500: The server had an error");
    expect(r.stderr).toMatch(/p\.tg:3:10: error TG4001/); // at the rubric whose call failed
    expect(r.stderr).not.toMatch(stackTrace);
    const final = JSON.parse(readFileSync(filesUnder(runs).find((f) => f.endsWith("final.json"))!, "utf8")) as { status: string };
    expect(final.status).toBe("failed");
    const last = readFileSync(filesUnder(runs).find((f) => f.endsWith("events.jsonl"))!, "utf8").trim().split("\n").at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ type: "run_finished", status: "failed", reason: expect.stringContaining("TG4001: engine e") });
  });
});

describe("tgc run: keys from a config file", () => {
  it("reads keys from the config file when the environment has none, and warns when others can read it", async () => {
    server = await startOpenAIServer({ apiKey: KEY });
    server.setDefault(modelLike(true));
    const config = join(runsDir(), "config.json");
    writeFileSync(config, JSON.stringify({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url } }), { mode: 0o644 });
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--no-cache"], { TGC_CONFIG: config });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("can be read by other users; chmod 600 it");
    expect(r.stdout + r.stderr).not.toContain(KEY);
    chmodSync(config, 0o600);
    const quiet = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--no-cache"], { TGC_CONFIG: config });
    expect(quiet.stderr).toBe("");
  });

  it("reports a broken config file as a usage error", async () => {
    const config = join(runsDir(), "config.json");
    writeFileSync(config, "{ not json");
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--no-save"], { TGC_CONFIG: config });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not valid JSON");
  });
});

describe("tgc run: the response cache and budgets", () => {
  it("pays nothing the second time: every call is served from the cache, and --replay works offline", async () => {
    server = await startOpenAIServer();
    server.setDefault(modelLike(true));
    const cacheDir = join(runsDir(), "cache");
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const first = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--cache-dir", cacheDir], env);
    expect(first.code).toBe(0);
    // Steps 2 and 3 evaluate the same answer: step 3's requests repeat step 2's and are served from the cache.
    const paid = server.requests.length;
    expect(paid).toBe(7);
    expect(first.stdout).toMatch(/3 cached replies saved/);
    const second = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--cache-dir", cacheDir], env);
    expect(second.code).toBe(0);
    expect(server.requests).toHaveLength(paid);
    expect(second.stdout).toMatch(/10 cached replies saved 0\.\d{4} USD/);
    expect(second.stdout).toContain("≈ 2.02 s");
    // The server is gone: a replay must not need it.
    await server.close();
    const replay = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--replay", "--cache-dir", cacheDir], env);
    expect(replay.code).toBe(0);
    // Another server for the same model name is another engine as far as the cache is concerned.
    const elsewhere = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--replay", "--cache-dir", cacheDir], { ...env, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(elsewhere.code).toBe(1);
    for (const f of filesUnder(cacheDir)) expect(readFileSync(f, "utf8")).not.toContain(KEY);
  });

  it("--replay fails on a miss, naming the request, and --no-cache always calls", async () => {
    server = await startOpenAIServer();
    server.setDefault(modelLike(true));
    const cacheDir = join(runsDir(), "cache");
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const replay = await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--replay", "--cache-dir", cacheDir], env);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain("a forward request is not in the cache");
    expect(server.requests).toHaveLength(0);
    await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--no-cache", "--cache-dir", cacheDir], env);
    await tgcAsync(["run", "examples/quickstart.tg", "--no-save", "--no-cache", "--cache-dir", cacheDir], env);
    expect(server.requests).toHaveLength(20);
  });

  it("stops before a call that could exceed --max-cost, records where, and exits 3", async () => {
    server = await startOpenAIServer();
    server.setDefault(modelLike(true));
    const runs = runsDir();
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--runs-dir", runs, "--no-cache", "--max-cost", "0.01"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("stopped: budget --max-cost");
    const final = JSON.parse(readFileSync(filesUnder(runs).find((f) => f.endsWith("final.json"))!, "utf8")) as { status: string; usage: { total: { cost: number } } };
    expect(final.status).toBe("budget");
    expect(final.usage.total.cost).toBeLessThanOrEqual(0.01);
    const events = readFileSync(filesUnder(runs).find((f) => f.endsWith("events.jsonl"))!, "utf8");
    expect(events).toMatch(/"type":"run_finished","status":"budget".*"reason":"budget --max-cost/);
  });
});

describe("tgc run: Ctrl-C", () => {
  it("aborts the calls in flight, records what completed, and exits 130", async () => {
    server = await startOpenAIServer();
    server.setDefault(modelLike(true));
    // The initializer's call is answered; the first loss call never is, until Ctrl-C.
    server.enqueue({ kind: "reply", text: "About two seconds." }, { kind: "hang" });
    const runs = runsDir();
    const child = spawn(process.execPath, [join(root, "bin/tgc.js"), "run", "examples/quickstart.tg", "--runs-dir", runs, "--no-cache"], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, TGC_CONFIG: "/nonexistent/tgc-config.json" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stderr).toContain("interrupted");
    const final = JSON.parse(readFileSync(filesUnder(runs).find((f) => f.endsWith("final.json"))!, "utf8")) as { status: string; values: Record<string, string> };
    expect(final.status).toBe("interrupted");
    expect(final.values.answer).toBe("About two seconds.");
    const events = readFileSync(filesUnder(runs).find((f) => f.endsWith("events.jsonl"))!, "utf8").trim().split("\n");
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ type: "run_finished", status: "interrupted" });
  });
});

describe("tgc run: replies that break the format", () => {
  it("asks again when an update lacks its tags or a reply is empty, and loses no step", async () => {
    server = await startOpenAIServer();
    const normal = modelLike(true);
    let updates = 0;
    let forwards = 0;
    server.setDefault((req) => {
      const b = normal(req);
      const text = b.kind === "reply" ? b.text : "";
      if (text.includes("IMPROVED_VARIABLE") && ++updates === 1) return { kind: "reply", text: "Here is a better answer: t ≈ 2.02 s (forgot the tags)" };
      if (text === "About two seconds." && ++forwards === 1) return { kind: "reply", text: "" };
      return b;
    });
    const runs = runsDir();
    const r = await tgcAsync(["run", "examples/quickstart.tg", "--runs-dir", runs, "--no-cache"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("student's forward reply: empty reply (attempt 1); asking again");
    expect(r.stdout).toContain("teacher's update reply: no <IMPROVED_VARIABLE> section (attempt 1); asking again");
    const events = readFileSync(filesUnder(runs).find((f) => f.endsWith("events.jsonl"))!, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(events.filter((e) => e.type === "step_finished").map((e) => e.step)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === "update")).toHaveLength(3);
    for (const f of filesUnder(runs)) expect(readFileSync(f, "utf8")).not.toContain(KEY);
  });
});
