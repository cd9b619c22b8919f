// The TypeScript API (src/api): diagnostics as values, runs and evaluations with an application's engine and native
// functions, data given in memory, and the mistakes that are the caller's (an engine or data set not named).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, defineEngine, defineNative, defineNatives, evaluate, run, simEngine, type RunEvent } from "../../src/api/index.js";

const scoring = defineNatives("app/scoring", [
  defineNative("answer_is", { params: ["response", "answer"], returns: "metric", doc: 'ends with "Answer: {answer}"' }, (response, answer) =>
    response.trim().endsWith(`Answer: ${answer}`) ? 1 : 0,
  ),
  defineNative("shout", { params: ["text"], returns: "text" }, async (text) => text.toUpperCase()),
  defineNative("too_long", { params: ["text"], returns: "loss" }, (text) =>
    text.length > 400 ? { critique: "The text is too long.", loss: 1 } : { critique: "", loss: 0 },
  ),
]);

const program = `import { answer_is } from "app/scoring"

engine model = openai("gpt-4o-mini")

data train = jsonl("train.jsonl") { question: text, answer: text }

trainable system: "system prompt" = "Think step by step."

fn solve(question: text) -> text {
  call model { system: system, user: question }
}

loss judge(ex) = rubric model on solve(ex.question) given ex.answer """
  Say where the response went wrong.
"""

optimize system using tgd(engine: model) {
  data: train
  batch: 2
  steps: 1
  minimize: judge
  validate: train by answer_is(solve(ex.question), ex.answer), keep best
}
`;

const train = [
  { question: "I have a cat, two dogs and a car. How many animals do I have?", answer: "3" },
  { question: "I have a piano, two flutes and a lamp. How many musical instruments do I have?", answer: "3" },
]
  .map((x) => JSON.stringify(x))
  .join("\n");

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

describe("compile", () => {
  it("returns diagnostics as values, rendered as tgc check prints them, and never throws", () => {
    const r = compile('engine e = sim()\ntrainable x: "a" = call nowhere { user: "hi" }\n');
    expect(r.ok).toBe(false);
    expect(r.program).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain("TG2002");
    expect(r.rendered).toMatch(/program\.tg:2:\d+: error TG2002/);
    const missing = compile({ file: "/nonexistent/x.tg" });
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics.map((d) => d.code)).toEqual(["TG2003"]);
  });

  it("an import of a native module the caller did not register is TG2003; with it, the program compiles", () => {
    expect(compile(program).diagnostics.map((d) => d.code)).toContain("TG2003");
    const r = compile(program, { natives: [scoring] });
    expect(r.diagnostics).toEqual([]);
    expect(r.ok && r.program.engines).toEqual(["model"]);
    expect(r.ok && r.program.variables).toEqual([{ name: "system", trainable: true, role: "system prompt" }]);
  });

  it("writes the native module's .tg interface from the definitions", () => {
    expect(scoring.source).toContain('extern fn answer_is(response: text, answer: text) -> metric\n  "ends with \\"Answer: \\{answer\\}\\""');
    expect(scoring.source).toContain("extern fn shout(text: text) -> text\n");
    expect(scoring.source).toContain("extern fn too_long(text: text) -> loss\n");
    expect([...scoring.natives.keys()]).toEqual(["app/scoring.answer_is", "app/scoring.shout", "app/scoring.too_long"]);
  });

  it("refuses names a program could not import", () => {
    expect(() => defineNatives("std/mine", [])).toThrow(TypeError);
    expect(() => defineNatives("./mine.tg", [])).toThrow(TypeError);
    expect(() => defineNative("fn", { params: [], returns: "text" }, () => "")).toThrow(TypeError);
    const f = defineNative("f", { params: [], returns: "text" }, () => "");
    expect(() => defineNatives("app/x", [f, f])).toThrow(/twice/);
  });
});

describe("run and evaluate", () => {
  const compiled = compile({ source: program, path: join(tmpdir(), "api-test.tg") }, { natives: [scoring] });
  if (!compiled.ok) throw new Error(compiled.rendered);
  const files = { "train.jsonl": train };

  it("runs with the application's engine and native scorer, data given in memory", async () => {
    const purposes: string[] = [];
    const engine = defineEngine({ id: "mine", simulated: true, complete: (request, signal) => (purposes.push(request.context.purpose), simEngine().complete(request, signal)) });
    const events: RunEvent[] = [];
    const runsDir = mkdtempSync(join(tmpdir(), "tgc-api-"));
    folders.push(runsDir);
    const r = await run(compiled.program, { engines: { model: engine }, files, onEvent: (e) => events.push(e), runsDir });
    expect(r.status).toBe("completed");
    expect(r.losses).toEqual([{ optimization: 0, step: 1, loss: expect.any(Number) }]);
    expect(r.validations.map((v) => [v.optimization, v.step])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(r.validations[1]!.score).toBeGreaterThan(r.validations[0]!.score);
    expect(r.values["system"]).not.toBe("Think step by step.");
    expect(new Set(purposes)).toEqual(new Set(["forward", "loss", "backward", "update"]));
    expect(events[0]).toMatchObject({ type: "run_started", engines: [{ name: "model", id: "mine", simulated: true }] });
    const final = JSON.parse(readFileSync(join(r.runFolder!, "final.json"), "utf8")) as { values: Record<string, string> };
    expect(final.values).toEqual(r.values);
  });

  it("an engine that answers with plain text is enough; a native's failure is a diagnostic, not an exception", async () => {
    const canned = defineEngine({ id: "canned", complete: () => "Answer: 3" });
    const e = await evaluate(compiled.program, { data: "train", engines: canned, files });
    expect(e).toMatchObject({ status: "completed", examples: 2, metrics: [{ mean: 1, scores: [1, 1] }] });

    const broken = defineNatives("app/scoring", [
      defineNative("answer_is", { params: ["response", "answer"], returns: "metric" }, () => {
        throw new Error("scorer offline");
      }),
    ]);
    const c = compile({ source: program, path: join(tmpdir(), "api-test.tg") }, { natives: [broken] });
    if (!c.ok) throw new Error(c.rendered);
    const failed = await evaluate(c.program, { data: "train", engines: canned, files });
    expect(failed.status).toBe("failed");
    expect(failed.status !== "completed" && failed.diagnostics.map((d) => d.code)).toEqual(["TG4007"]);
    expect(failed.status !== "completed" && failed.rendered).toContain("scorer offline");
  });

  it("evaluates given values, and a run's problems with its data are in the result", async () => {
    const canned = defineEngine({ id: "canned", complete: (request) => (request.context.purpose === "forward" && request.messages[0]?.content === "good" ? "Answer: 3" : "no idea") });
    const e = await evaluate(compiled.program, { data: "train", engines: canned, files, values: { system: "good" } });
    expect(e.status === "completed" && e.metrics[0]!.mean).toBe(1);
    const r = await run(compiled.program, { engines: canned, files: {} });
    expect(r.status).toBe("failed");
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });

  it("naming no engine for one the program declares, or a data set it lacks, is the caller's mistake: a TypeError", async () => {
    await expect(run(compiled.program, { engines: {}, files })).rejects.toThrow(/no engine for 'model'/);
    await expect(evaluate(compiled.program, { data: "nope", engines: simEngine(), files })).rejects.toThrow(/no data set 'nope'/);
  });
});

describe("retrieval and agents through the API", () => {
  it("serves a files() corpus from data given in memory, and runs an agent with the application's own tool", async () => {
    const tools = defineNatives("app/tools", [
      defineNative("stock", { params: ["item"], returns: "text", doc: "How many of an item the shop has" }, (item) => (item === "pen" ? "12" : "0")),
    ]);
    const source = `import { stock } from "app/tools"
engine e = sim()
corpus notes = files("notes/*.md")
trainable q: "a search query" = "Varn Island lighthouse"
fn shop(task: text) -> trajectory { agent e { system: "Use the tools.", user: task, tools: [stock] } }
loss l = rubric e on retrieve(notes, q, 1) given shop("pens?") "Relevant?"
optimize q using tgd(engine: e) { steps: 1, minimize: l }
`;
    const compiled = compile({ source, path: join(tmpdir(), "api-rag.tg") }, { natives: [tools] });
    expect(compiled.diagnostics).toEqual([]);
    const events: RunEvent[] = [];
    const files = { "notes/a.md": "The Varn Island lighthouse was designed by Ilse Marrow.", "notes/b.md": "Ferries leave at seven.", "other/c.md": "Varn Island" };
    const r = await run(compiled.program!, { engines: simEngine(), files, onEvent: (e) => events.push(e) });
    expect(r.status).toBe("completed");
    const retrieval = events.find((e) => e.type === "retrieval");
    expect(retrieval && retrieval.type === "retrieval" && retrieval.passages.map((p) => p.source)).toEqual(["notes/a.md"]);
  });
});
