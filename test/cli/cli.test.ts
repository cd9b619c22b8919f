// End-to-end tests of the tgc command as users run it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, stackTrace, tgc } from "./run-cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tgc-test-"));

describe("tgc run", () => {
  it("runs the quickstart offline, prints each step and the optimized answer, and writes a run folder", () => {
    const runs = tmp();
    const r = tgc(["run", "examples/quickstart.tg", "--engine", "sim", "--runs-dir", runs]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SIMULATED");
    expect(r.stdout).toMatch(/step 1[\s\S]*step 2[\s\S]*step 3/);
    expect(r.stdout).toMatch(/final values[\s\S]*answer[\s\S]*Answer: /);
    const [folder] = readdirSync(runs);
    const files = readdirSync(join(runs, folder!)).sort();
    expect(files).toEqual(["checkpoint.json", "config.json", "events.jsonl", "final.json", "graph.json", "program.tg"]);
    const events = readFileSync(join(runs, folder!, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(events[0]!.type).toBe("run_started");
    expect(events.at(-1)!.type).toBe("run_finished");
    for (const t of ["call", "loss", "gradient", "update"]) expect(events.some((e) => e.type === t)).toBe(true);
    const final = JSON.parse(readFileSync(join(runs, folder!, "final.json"), "utf8")) as { status: string; values: Record<string, string> };
    expect(final.status).toBe("completed");
    expect(final.values.answer).toMatch(/Answer: /);
  });

  it("runs the prompt-optimization example with data and validation, and writes --out", () => {
    const dir = tmp();
    const out = join(dir, "optimized.tg");
    const r = tgc(["run", "examples/prompt-optimization.tg", "--engine", "sim", "--no-save", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("validation");
    expect(r.stdout).toMatch(/epoch 2/);
    const written = readFileSync(out, "utf8");
    expect(written).toContain("trainable system:");
    // The written program is valid and holds the final value.
    const check = tgc(["check", out]);
    expect(check.code).toBe(0);
  });

  it("runs test-time optimization with a majority vote on a multiple-choice question", () => {
    const r = tgc(["run", "examples/gpqa.tg", "--engine", "sim", "--no-save"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/vote initial: [A-D], step 1: [A-D], step 2: [A-D], step 3: [A-D]/);
    expect(r.stdout).toMatch(/majority answer [A-D]: answer is the value of/);
  });

  it("optimizes every question of a data set on its own (each:), voting and scoring each, and keeps their values in the run folder", () => {
    const runs = tmp();
    const r = tgc(["run", "examples/multiple-choice.tg", "--engine", "sim", "--runs-dir", runs]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/example 0 \(1 of 6\): its values start anew[\s\S]*question initialized[\s\S]*answer initialized[\s\S]*step 1/);
    expect(r.stdout.match(/majority answer [A-D]/g)).toHaveLength(6);
    expect(r.stdout).toMatch(/6 examples optimized: mean score \d\.\d{3} before, \d\.\d{3} after/);
    // The final values are per example: the events keep each one's; the run's own values have none of them.
    const [folder] = readdirSync(runs);
    const events = readFileSync(join(runs, folder!, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; values?: Record<string, string> });
    const finished = events.filter((e) => e.type === "example_finished");
    expect(finished).toHaveLength(6);
    expect(finished[0]!.values!.answer).toMatch(/Answer: [A-D]/);
    const final = JSON.parse(readFileSync(join(runs, folder!, "final.json"), "utf8")) as { values: Record<string, string> };
    expect(final.values).toEqual({});
    // Nor does an export: it says where each example's value is instead.
    const exported = tgc(["export", join(runs, folder!)]);
    expect(exported.code).toBe(0);
    expect((JSON.parse(exported.stdout) as { variables: unknown[] }).variables).toEqual([]);
    expect(exported.stderr).toContain("answer has a value per example (each:), which is not exported");
  });

  it("optimizes code against its tests, run in the sandbox", () => {
    const r = tgc(["run", "examples/code.tg", "--engine", "sim", "--no-save"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 of 4 tests failed. `assert running_max([-2, -5, -1]) == [-2, -2, -1]` failed: got [0, 0, 0].");
  });

  it("optimizes a molecule for drug-likeness, with RDKit's figures in the critique", () => {
    const r = tgc(["run", "examples/molecule.tg", "--engine", "sim", "--no-save"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/QED 0\.550/);
  });

  it("tunes a treatment plan's objectives, printing the DVH figures each step", () => {
    const r = tgc(["run", "examples/radiotherapy.tg", "--engine", "sim", "--no-save"]);
    expect(r.code).toBe(0);
    const d95 = [...r.stdout.matchAll(/Decision: the plan needs improvement: \d+ of 10 goals fail \(PTV D95 (\d+\.\d) Gy/g)].map((m) => Number(m[1]));
    expect(d95.length).toBe(10);
    // The simulator follows the review's advice to raise the PTV weight, so coverage improves step by step.
    expect(d95[9]!).toBeGreaterThan(d95[0]!);
    expect(r.stdout).toContain("PTV: uniform 70.2 Gy, weight 200");
  });

  it("ends a treatment plan's optimization when the review finds every goal met, after repairing malformed parameters", () => {
    const dir = tmp();
    const rules = join(dir, "replies.json");
    const good = "PTV: uniform 73 Gy, weight 1000\nrectum: max 50 Gy, weight 30\nbladder: max 50 Gy, weight 30\nfemoral heads: max 40 Gy, weight 30\nbody: max 30 Gy, weight 30";
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { purpose: "backward", match: "could not be read", reply: "Line 1 must give the weight as a number." },
          { purpose: "backward", reply: "Raise the PTV's dose target and weight; lower the organs' weights." },
          { purpose: "update", replies: ["<IMPROVED_VARIABLE>PTV: uniform 73 Gy, weight lots\nbody: max 30 Gy, weight 30</IMPROVED_VARIABLE>", `<IMPROVED_VARIABLE>${good}</IMPROVED_VARIABLE>`] },
        ],
      }),
    );
    const r = tgc(["run", "examples/radiotherapy.tg", "--engine", `scripted:${rules}`, "--no-save", "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('line 1: "PTV: uniform 73 Gy, weight lots" is not an objective');
    expect(r.stdout).toContain("Line 1 must give the weight as a number.");
    expect(r.stdout).toMatch(/solved.*\n[\s\S]*step 3 loss 0\b/);
    expect(r.stdout).not.toMatch(/^step 4$/m);
  });

  it("trains a two-hop retrieval pipeline's two prompts offline, showing the passages and what reached each prompt", () => {
    const r = tgc(["run", "examples/rag.tg", "--engine", "sim", "--no-save", "--cache-dir", join(tmp(), "responses")]);
    expect(r.code).toBe(0);
    // Before training the second search repeats the first; the passages are shown with their scores.
    expect(r.stdout).toMatch(/answer: retrieve notes \[example 0\] query "designer varn island lighthouse born"\n\s+\d+\.\d\d {2}rag\/notes\/varn-lighthouse\.md: The Varn Island lighthouse/);
    expect(r.stdout).toMatch(/gradient answer: retrieve notes → answer: call student \[example 0\]\n\s+The search for "designer varn island lighthouse born" retrieved rag\/notes\/varn-lighthouse\.md\. They mention/);
    expect(r.stdout).toMatch(/gradient answer: call student → query_prompt/);
    expect(r.stdout).toMatch(/gradient answer: call student → answer_prompt/);
    // After the update the second search asks about the designer the first one found, and every answer is right.
    expect(r.stdout).toMatch(/query "Ilse Marrow designer born"\n\s+\d+\.\d\d {2}rag\/notes\/ilse-marrow\.md/);
    expect(r.stdout).toMatch(/validation 0\.000 \(before training\)[\s\S]*validation 1\.000/);
    expect(r.stdout).toContain("solved");
  });

  it("tunes an agent's instruction offline, showing each trajectory step and the gradient that names it", () => {
    const r = tgc(["run", "examples/agent.tg", "--engine", "sim", "--no-save", "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gradient solve: agent student → instruction \[example \d\]\n\s+│ .*At step 1 the agent answered without calling a tool/);
    expect(r.stdout).toMatch(/solve: agent student step 1 \[example \d\] calculate\(expression: "[^"]+ x [^"]+"\) → error\n\s+expected/);
    expect(r.stdout).toMatch(/gradient solve: agent student → instruction \[example \d\]\n\s+│ .*At step 1 the call calculate/);
    expect(r.stdout).toMatch(/step 2 \[example \d\] calculate\(expression: "[^"]+ \* [^"]+"\) →\n\s+\d/);
    expect(r.stdout).toContain("When a tool reports an error, read it, correct the call and try again.");
    expect(r.stdout).toContain("solved");
  });

  it("says which variable to set when a key is missing, and mentions --engine sim, without a trace", () => {
    const r = tgc(["run", "examples/quickstart.tg", "--no-save"], root, { OPENAI_API_KEY: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("needs an API key: set OPENAI_API_KEY");
    expect(r.stderr).toContain("--engine sim");
    expect(r.stderr.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).not.toMatch(stackTrace);
  });

  it("prints the events as JSON lines with --json, and what it says about the run on stderr", () => {
    const runs = tmp();
    const r = tgc(["run", "examples/quickstart.tg", "--engine", "sim", "--json", "--runs-dir", runs]);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(events[0]!.type).toBe("run_started");
    expect(events.at(-1)!.type).toBe("run_finished");
    expect(r.stderr).toMatch(/^run folder: /m);
    // The same events as the run folder records.
    const folder = join(runs, readdirSync(runs)[0]!);
    expect(readFileSync(join(folder, "events.jsonl"), "utf8")).toBe(r.stdout);
  });

  it("uses scripted replies from a rules file", () => {
    const dir = tmp();
    const rules = join(dir, "replies.json");
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { purpose: "forward", reply: "It takes about two seconds." },
          { purpose: "loss", replies: ["The answer gives no working.\nScore: 4/10", "Fine.\nScore: 10/10"] },
          { purpose: "backward", reply: "Show the formula t = sqrt(2h/g)." },
          { purpose: "update", reply: "<IMPROVED_VARIABLE>t = sqrt(2h/g) = sqrt(40/9.8) ≈ 2.02 s</IMPROVED_VARIABLE>" },
        ],
      }),
    );
    const r = tgc(["run", "examples/quickstart.tg", "--engine", `scripted:${rules}`, "--no-save"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("≈ 2.02 s");
  });

  it("reports a scripted file that no rule matches as an engine error", () => {
    const dir = tmp();
    const rules = join(dir, "replies.json");
    writeFileSync(rules, JSON.stringify({ rules: [{ purpose: "forward", reply: "x" }] }));
    const r = tgc(["run", "examples/quickstart.tg", "--engine", `scripted:${rules}`, "--no-save"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG4001");
    expect(r.stderr).toContain("no scripted reply matches this loss request");
    expect(r.stderr).not.toMatch(stackTrace);
  });

  it("reports a missing data file before any call", () => {
    const dir = tmp();
    const file = join(dir, "p.tg");
    writeFileSync(
      file,
      `engine e = sim()\ndata d = jsonl("missing.jsonl") { q: text }\ntrainable v: "v" = "x"\nfn f(q: text) -> text { call e { system: v, user: q } }\nloss l(ex) = rubric e on f(ex.q) "ok"\noptimize v using tgd(engine: e) { data: d, minimize: l }\n`,
    );
    const r = tgc(["run", file, "--no-save"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG4002");
    expect(r.stderr).toContain("missing.jsonl");
  });

  it("rejects a program with errors before running it", () => {
    const r = tgc(["run", "test/check/golden/names.tg", "--engine", "sim", "--no-save"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG2002");
    expect(r.stdout).not.toContain("step 1");
  });
});

describe("tgc check", () => {
  it("passes the examples", () => {
    const r = tgc(["check", "examples/quickstart.tg", "examples/prompt-optimization.tg"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no problems in 2 files");
  });

  it("checks the standard library's files as the modules programs import", () => {
    const r = tgc(["check", "stdlib/metrics.tg", "stdlib/choice.tg"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("no problems in 2 files");
  });

  it("reports every error with code, position, code frame and hint, and exits 1", () => {
    const r = tgc(["check", "test/check/golden/names.tg"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("test/check/golden/names.tg:5:38: error TG2002: unknown name 'teachr'");
    expect(r.stderr).toMatch(/5 \| trainable answer.*\n\s+\|\s+\^+/);
    expect(r.stderr).toContain("hint: did you mean 'teacher'?");
    expect(r.stderr).toMatch(/4 errors, 1 warning/);
  });

  it("prints JSON for editors and CI", () => {
    const r = tgc(["check", "test/check/golden/names.tg", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number; file: string }[] };
    expect(out.diagnostics.map((d) => d.code)).toContain("TG2002");
    expect(out.diagnostics[0]).toMatchObject({ file: "test/check/golden/names.tg", line: 4, column: 8 });
  });

  it("never prints a stack trace for junk input, and writes nothing to disk", () => {
    const dir = tmp();
    const junk = join(dir, "junk.tg");
    writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const deep = join(dir, "deep.tg");
    writeFileSync(deep, `frozen x: "x" = ${"(".repeat(100_000)}`);
    const before = readdirSync(dir).sort();
    for (const f of [junk, deep, join(dir, "absent.tg")]) {
      const r = tgc(["check", f], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(stackTrace);
      expect(r.stderr).toMatch(/TG\d{4}/);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, "runs"))).toBe(false);
  });
});

describe("tgc fmt", () => {
  it("finds the examples and stdlib formatted", () => {
    const r = tgc(["fmt", "--check", "examples/quickstart.tg", "examples/prompt-optimization.tg", "stdlib/metrics.tg"]);
    expect(r.stdout).toContain("all 3 files are formatted already");
    expect(r.code).toBe(0);
  });

  it("check warns about a data file that is not there, naming where it looked", () => {
    const dir = tmp();
    writeFileSync(join(dir, "p.tg"), 'engine e = sim()\ndata d = jsonl("nowhere.jsonl")\ntrainable v: "v" = "x"\nloss l = rubric e on v "ok"\noptimize v using tgd(engine: e) { data: d, minimize: l }\n');
    const r = tgc(["check", join(dir, "p.tg")]);
    expect(r.code).toBe(0); // a warning: data may be fetched before a run
    expect(r.stderr).toContain('warning TG2016: data file "nowhere.jsonl" is not there');
    writeFileSync(join(dir, "nowhere.jsonl"), '{"q": "x"}\n');
    expect(tgc(["check", join(dir, "p.tg")]).stderr).not.toContain("TG2016");
  });

  it("lists unformatted files with --check and rewrites them with --write", () => {
    const dir = tmp();
    const file = join(dir, "messy.tg");
    writeFileSync(file, 'engine   e=sim( )\nfrozen q :"q"="x"   // note\n');
    const check = tgc(["fmt", "--check", file]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("not formatted");
    expect(tgc(["fmt", "--write", file]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe('engine e = sim()\n\nfrozen q: "q" = "x" // note\n');
    expect(tgc(["fmt", "--check", file]).code).toBe(0);
  });

  it("leaves a file with syntax errors alone and says why", () => {
    const dir = tmp();
    const file = join(dir, "broken.tg");
    writeFileSync(file, "engine e = \n");
    const r = tgc(["fmt", "--write", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TG1001");
    expect(readFileSync(file, "utf8")).toBe("engine e = \n");
  });
});

describe("tgc graph, --version, --help", () => {
  it("prints Mermaid and DOT", () => {
    const m = tgc(["graph", "examples/prompt-optimization.tg"]);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/^flowchart LR/);
    expect(m.stdout).toContain("trainable system");
    const d = tgc(["graph", "examples/quickstart.tg", "--format", "dot"]);
    expect(d.stdout).toMatch(/^digraph tg \{/);
  });

  it("prints the version from package.json", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const r = tgc(["--version"]);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("teaches by example on every command", () => {
    for (const cmd of [[], ["run"], ["check"], ["fmt"], ["graph"]]) {
      const r = tgc([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Examples:");
    }
  });

  it("exits 2 on a subcommand's usage errors too: a bad option value, a missing argument, flags that exclude each other", () => {
    for (const args of [["run", "examples/quickstart.tg", "--max-cost", "-1"], ["run"], ["fmt", "--check", "--write", "examples/quickstart.tg"]]) {
      const r = tgc(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\n\(run with --help for usage\)\n$/);
    }
  });

  it("rejects an unknown command with a hint and exit code 2", () => {
    const r = tgc(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--help");
  });
});

describe("what the file system refuses is the user's to fix: one line, exit 1 or 2, never an internal error", () => {
  const noFolder = join(tmpdir(), "tgc-no-such-folder", "deeper");
  const expectUserError = (r: { code: number; stderr: string }, code: number, message: RegExp) => {
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(code);
  };

  it("run --out into a missing folder is refused before the run starts", () => {
    const runs = tmp();
    const r = tgc(["run", "examples/quickstart.tg", "--engine", "sim", "--runs-dir", runs, "--out", join(noFolder, "x.tg")]);
    expectUserError(r, 2, /^tgc run: --out: cannot write .*x\.tg: there is no folder .*deeper\n$/);
    expect(readdirSync(runs)).toEqual([]);
  });

  it("a runs folder that is a file, an HTML page into a missing folder, a cache folder that is a file", () => {
    const file = join(tmp(), "a-file");
    writeFileSync(file, "x");
    expectUserError(tgc(["run", "examples/quickstart.tg", "--engine", "sim", "--runs-dir", file]), 1, /^tgc run: cannot create the folder .*a-file.*: a part of the path is a file, not a folder\n$/m);
    expectUserError(tgc(["explain", "examples/quickstart.tg", "--engine", "sim", "--html", join(noFolder, "x.html")]), 2, /^tgc explain: --html: cannot write .*x\.html: there is no folder .*deeper\n$/);
    expectUserError(tgc(["cache", "stats", "--cache-dir", file]), 1, /^tgc cache: cannot read the folder .*a-file: a part of the path is a file, not a folder\n$/m);
  });

  it("names a path outside the current folder as it is, not as ../../…", () => {
    const r = tgc(["check", join(noFolder, "x.tg")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(noFolder, "x.tg"));
    expect(r.stderr).not.toContain("../");
  });

  it("tgc with no command shows the help and exits 2: it is a usage error, not an answer", () => {
    const r = tgc([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: tgc");
  });
});
