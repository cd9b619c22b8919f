// Runs that lose nothing: a run killed with SIGKILL at any point and resumed ends with exactly the events and values
// of a run that was never stopped; with the response cache, no call that completed before the kill is paid again.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeServer, type RecordedRequest } from "../engines/fake-providers.js";
import { root, stackTrace, tgc } from "./run-cli.js";

const PROGRAM = "examples/prompt-optimization.tg";
const bin = join(root, "bin/tgc.js");
const env = (extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: "1", TGC_CONFIG: "/nonexistent/tgc-config.json", OPENAI_API_KEY: "", ...extra });

const tmp = () => mkdtempSync(join(tmpdir(), "tgc-resume-"));
const onlyFolder = (runs: string) => {
  const names = readdirSync(runs);
  expect(names).toHaveLength(1);
  return join(runs, names[0]!);
};
const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0);
const finalValues = (folder: string) => (JSON.parse(readFileSync(join(folder, "final.json"), "utf8")) as { values: unknown }).values;

/**
 * Starts `tgc run`, kills it with SIGKILL once its events.jsonl holds `after` events, and returns when it is gone.
 * `killed` is false when the run finished before the signal reached it (a kill point near the end).
 */
function killAfter(args: readonly string[], runs: string, after: number, extraEnv: Record<string, string> = {}): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: env(extraEnv), stdio: "ignore" });
    const poll = setInterval(() => {
      const names = existsSync(runs) ? readdirSync(runs) : [];
      if (names.length && lines(join(runs, names[0]!, "events.jsonl")) >= after) {
        child.kill("SIGKILL");
        clearInterval(poll);
      }
    }, 1);
    child.on("exit", (_code, signal) => {
      clearInterval(poll);
      resolve({ killed: signal === "SIGKILL" });
    });
  });
}

/** A small deterministic PRNG, so the "random" kill points are the same on every run of the test. */
function* points(seed: number, max: number): Generator<number> {
  let s = seed;
  for (;;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield 1 + (s % max);
  }
}

describe("tgc run --resume", () => {
  // The reference: the same program, never stopped.
  const refRuns = tmp();
  const ref = tgc(["run", PROGRAM, "--engine", "sim", "--runs-dir", refRuns]);
  const refFolder = onlyFolder(refRuns);
  const refEvents = readFileSync(join(refFolder, "events.jsonl"), "utf8");
  const total = lines(join(refFolder, "events.jsonl"));

  it("the reference run completes", () => {
    expect(ref.code).toBe(0);
    expect(total).toBeGreaterThan(50);
  });

  const kills = points(7, total - 1);
  for (let i = 0; i < 8; i++) {
    const at = kills.next().value as number;
    it(`continues a run killed after ${at} of ${total} events to the same events and values`, async () => {
      const runs = tmp();
      await killAfter(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs], runs, at);
      const folder = onlyFolder(runs);
      // Near the end, the run may finish before the signal reaches it: then there is nothing to resume.
      const finished = existsSync(join(folder, "final.json"));
      const r = tgc(["run", PROGRAM, "--resume", folder]);
      expect(r.stderr).not.toMatch(stackTrace);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(finished ? /completed: there is nothing to resume/ : /^resuming /);
      expect(readFileSync(join(folder, "events.jsonl"), "utf8")).toBe(refEvents);
      expect(finalValues(folder)).toEqual(finalValues(refFolder));
    });
  }

  it("survives being killed twice, the second time while resuming", async () => {
    const runs = tmp();
    await killAfter(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs], runs, Math.floor(total / 4));
    const folder = onlyFolder(runs);
    const second = tmp();
    // Resume in a copy so the poll sees one folder; kill it well after the first kill point.
    cpSync(folder, join(second, "run"), { recursive: true });
    await killAfter(["run", PROGRAM, "--resume", join(second, "run")], second, Math.floor((3 * total) / 4));
    const r = tgc(["run", PROGRAM, "--resume", join(second, "run")]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(second, "run", "events.jsonl"), "utf8")).toBe(refEvents);
    expect(JSON.parse(readFileSync(join(second, "run", "config.json"), "utf8")).resumes).toHaveLength(2);
  });

  it("continues a run stopped at its budget with a larger one, counting what was spent before", () => {
    const runs = tmp();
    const stopped = tgc(["run", PROGRAM, "--engine", "sim", "--runs-dir", runs, "--max-calls", "20"]);
    expect(stopped.code).toBe(3);
    const folder = onlyFolder(runs);
    const again = tgc(["run", PROGRAM, "--resume", folder, "--max-calls", "25"]);
    expect(again.code).toBe(3); // 20 were spent already: 5 more do not finish it
    const done = tgc(["run", PROGRAM, "--resume", folder]);
    expect(done.code).toBe(0);
    expect(finalValues(folder)).toEqual(finalValues(refFolder));
    // The spend counts every call made: the simulator is not cached, so the steps the budget cut short were paid
    // for twice, and the total is more than the uninterrupted run's.
    const calls = (f: string) => (JSON.parse(readFileSync(join(f, "final.json"), "utf8")) as { usage: { total: { calls: number } } }).usage.total.calls;
    expect(calls(folder)).toBeGreaterThan(calls(refFolder));
  });

  it("refuses another program, another engine, a folder that is not a run; says when there is nothing to resume", () => {
    const folder = refFolder;
    const done = tgc(["run", PROGRAM, "--resume", folder]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("completed: there is nothing to resume");

    const dir = tmp();
    cpSync(folder, join(dir, "run"), { recursive: true });
    const changed = join(dir, "changed.tg");
    writeFileSync(changed, readFileSync(join(root, PROGRAM), "utf8").replace("epochs: 2", "epochs: 3"));
    const other = tgc(["run", changed, "--resume", join(dir, "run")]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is not the program the run in .* ran \(its copy is .*program\.tg\)/);

    const engine = tgc(["run", PROGRAM, "--resume", join(dir, "run"), "--engine", "openai:gpt-4o"]);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain("ran with --engine sim; resuming it with --engine openai:gpt-4o would not continue the same run");

    const none = tgc(["run", PROGRAM, "--resume", dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("is not a run folder: it has no config.json");
    expect(none.stderr).not.toMatch(stackTrace);

    const both = tgc(["run", PROGRAM, "--resume", join(dir, "run"), "--no-save"]);
    expect(both.code).toBe(2);
  });
});

describe("tgc run --resume of a test-time optimization over a data set (each:)", () => {
  const EACH = "examples/multiple-choice.tg";
  const refRuns = tmp();
  tgc(["run", EACH, "--engine", "sim", "--runs-dir", refRuns]);
  const refFolder = onlyFolder(refRuns);
  const refEvents = readFileSync(join(refFolder, "events.jsonl"), "utf8");
  const total = lines(join(refFolder, "events.jsonl"));

  // Between examples, and inside one (its steps under way): both continue to the events of a run never stopped.
  for (const share of [0.3, 0.55, 0.8]) {
    it(`continues a run killed after ${Math.round(share * 100)}% of its events`, async () => {
      const runs = tmp();
      await killAfter(["run", EACH, "--engine", "sim", "--runs-dir", runs], runs, Math.floor(share * total));
      const folder = onlyFolder(runs);
      const r = tgc(["run", EACH, "--resume", folder]);
      expect(r.stderr).not.toMatch(stackTrace);
      expect(r.code).toBe(0);
      expect(readFileSync(join(folder, "events.jsonl"), "utf8")).toBe(refEvents);
    });
  }
});

describe("tgc run --resume with the response cache", () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("pays no call again that completed before the kill", async () => {
    server = await startOpenAIServer({ apiKey: "sk-test" });
    // Deterministic replies that fit each purpose, so the program runs the same way every time.
    server.setDefault((req: RecordedRequest) => {
      const all = JSON.stringify(req.body);
      if (all.includes("This step is the update")) return { kind: "reply", text: `<IMPROVED_VARIABLE>\nt = sqrt(2h/g) ≈ 2.02 s (${all.length % 97})\n</IMPROVED_VARIABLE>` };
      if (all.includes("evaluate text")) return { kind: "reply", text: "The answer gives no formula.\nScore: 4/10" };
      if (all.includes("backward pass")) return { kind: "reply", text: "Give the formula." };
      return { kind: "reply", text: "It takes about two seconds." };
    });
    const extra = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const cacheDir = join(tmp(), "cache");
    const runs = tmp();
    const args = ["run", "examples/quickstart.tg", "--runs-dir", runs, "--cache-dir", cacheDir, "--concurrency", "1"];
    await killAfter(args, runs, 9, extra);
    const folder = onlyFolder(runs);
    const beforeResume = server.requests.length;
    const r = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [bin, "run", "examples/quickstart.tg", "--resume", folder, "--cache-dir", cacheDir, "--concurrency", "1"], { cwd: root, env: env(extra), stdio: "ignore" });
      child.on("exit", (code) => resolve(code ?? -1));
    });
    expect(r).toBe(0);
    const bodies = server.requests.map((q) => q.rawBody);
    // Each request reached the provider once, but for at most the one in flight when the process was killed.
    const repeated = bodies.filter((b, i) => bodies.indexOf(b) !== i);
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(server.requests.length).toBeGreaterThan(beforeResume);
    // The calls the killed run completed are served from the cache when the step they were in runs again.
    const events = readFileSync(join(folder, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; cached?: boolean });
    expect(events.filter((e) => e.type === "call" && e.cached).length).toBeGreaterThan(0);
  });
});
