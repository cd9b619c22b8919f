// `tgc check-loss`: a loss's verdicts on reference outputs labelled good or bad, and where they disagree.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { checkLoss } from "../../src/runtime/evaluate.js";
import { stdlibNatives } from "../../stdlib/index.js";
import { RecordingEngine } from "../runtime/harness.js";
import { stackTrace, tgc } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tgc-check-loss-"));
const PROGRAM = `import { exact_number } from "std/metrics"
engine e = sim()
data train = jsonl("train.jsonl") { question: text, answer: text }
trainable system: "a system prompt" = "Answer."
fn solve(question: text) -> text { call e { system: system, user: question } }
loss correct(ex) = "The answer is {ex.answer}." unless exact_number(solve(ex.question), ex.answer)
loss judge(ex) = rubric e on solve(ex.question) given ex.answer "Compare with the correct answer."
optimize system using tgd(engine: e) { data: train, minimize: judge + correct }
`;
const REFERENCE = [
  { question: "A cat and two dogs: how many animals?", answer: "3", output: "cat 1, dogs 2.\nAnswer: 3", label: "good" },
  { question: "A cat and two dogs: how many animals?", answer: "3", output: "There are 2 things.", label: "bad" },
  { question: "A violin and a lamp: how many instruments?", answer: "1", output: "Answer: 2", label: "good" },
];
const program = join(dir, "p.tg");
writeFileSync(program, PROGRAM);
writeFileSync(join(dir, "train.jsonl"), '{"question": "q", "answer": "1"}\n');
const reference = join(dir, "reference.jsonl");
writeFileSync(reference, REFERENCE.map((r) => JSON.stringify(r)).join("\n") + "\n");

describe("tgc check-loss", () => {
  it("reports agreement with the labels, a confusion table, and each disagreement with the loss's critique", () => {
    const r = tgc(["check-loss", program, "--loss", "correct", "--data", reference]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^loss 'correct' on .*reference\.jsonl: agrees with 2 of 3 labels \(67%\)$/m);
    expect(r.stdout).toMatch(/^labelled good {11}1 {11}1$/m);
    expect(r.stdout).toMatch(/^labelled bad {12}0 {11}1$/m);
    expect(r.stdout).toContain("example 3: labelled good, judged bad (loss 1.00): The answer is 1.");
  });

  it("judges the reference output itself: what would have produced it is not run", async () => {
    // The program as check-loss extends it: the reference data set, and the loss minimized over it.
    const withReference = PROGRAM.replace("minimize: judge + correct", "minimize: correct")
      .replace("data train", `data ref = jsonl("ref.jsonl")\ndata train`)
      .replace("data: train", "data: ref");
    const all: Record<string, string> = {
      "main.tg": withReference,
      "std/metrics": readFileSync(join(import.meta.dirname, "../../stdlib/metrics.tg"), "utf8"),
      "ref.jsonl": REFERENCE.map((r) => JSON.stringify(r)).join("\n"),
    };
    const graph = lowerToGraph(check("main.tg", withReference, memoryHost(all)).checked);
    const engine = new RecordingEngine();
    const result = await checkLoss({
      graph,
      engines: new Map([["e", engine]]),
      natives: stdlibNatives,
      data: { resolve: (p) => p, read: (p) => all[p] },
      emit: () => {},
      loss: graph.optimizations[0]!.objective,
      dataset: "ref",
      threshold: 0,
    });
    expect(result.status).toBe("completed");
    if (result.status !== "completed") return;
    expect(result.verdicts.map((v) => [v.label, v.verdict])).toEqual([["good", "good"], ["bad", "bad"], ["good", "bad"]]);
    expect(engine.requests).toEqual([]); // solve(…) was given, not called
  });

  it("names what is wrong: an unknown loss, a bad label, a missing output, a file it cannot read, a sum", () => {
    const unknown = tgc(["check-loss", program, "--loss", "nope", "--data", reference]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("declares no loss 'nope' (its losses: correct, judge)");
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"question": "q", "answer": "1", "output": "1", "label": "maybe"}\n{"question": "q", "answer": "1", "label": "good"}\n');
    const labels = tgc(["check-loss", program, "--loss", "correct", "--data", bad]);
    expect(labels.code).toBe(1);
    expect(labels.stderr).toContain("reference example 1: 'label' must be good or bad, not \"maybe\"");
    expect(labels.stderr).toContain("reference example 2 has no field 'output'");
    const txt = tgc(["check-loss", program, "--loss", "correct", "--data", join(dir, "ref.txt")]);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain("--data must name a .jsonl, .csv or .json file");
    writeFileSync(join(dir, "sum.tg"), PROGRAM.replace('loss judge(ex) =', 'loss both(ex) = judge(ex) + correct(ex)\nloss judge(ex) ='));
    writeFileSync(join(dir, "train.jsonl"), '{"question": "q", "answer": "1"}\n');
    const sum = tgc(["check-loss", join(dir, "sum.tg"), "--loss", "both", "--data", reference]);
    expect(sum.code).toBe(2);
    expect(sum.stderr).toContain("is not one loss but a combination (a sum)");
    for (const r of [unknown, labels, txt, sum]) expect(r.stderr).not.toMatch(stackTrace);
  });

  it("tells the reference file's problems as that file's, never quoting lines tgc added to the program", () => {
    const missing = tgc(["check-loss", program, "--loss", "correct", "--data", join(dir, "none.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tgc check-loss: --data: there is no file .*none\.jsonl\n$/);
    const unlabelled = join(dir, "unlabelled.jsonl");
    writeFileSync(unlabelled, '{"question": "q", "answer": "1", "output": "1"}\n');
    const r = tgc(["check-loss", program, "--loss", "correct", "--data", unlabelled]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tgc check-loss: .*unlabelled\.jsonl: reference example 1 has no field 'label' \(good or bad\)$/m);
    expect(r.stderr).not.toContain("tgc_check_loss_reference");
    // A folder named with braces is a path, not an interpolation.
    const braces = join(dir, "d{x}");
    mkdirSync(braces);
    const copy = join(braces, "reference.jsonl");
    copyFileSync(reference, copy);
    expect(tgc(["check-loss", program, "--loss", "correct", "--data", copy]).code).toBe(0);
  });
});
