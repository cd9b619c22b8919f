// Run folders for the report's tests: a real one made by `tgc run` with the simulator, and hand-written ones whose
// events say exactly what a test needs (a reverted step, hostile text, a run cut short).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tgc } from "../cli/run-cli.js";

export const tmp = (prefix = "tgc-report-") => mkdtempSync(join(tmpdir(), prefix));

/** A fixed folder name, so that a report (and its screenshot) does not change with the time it was made. */
export const FIXED_NAME = "2026-01-01T10-00-00-prompt-optimization";

/**
 * Trains examples/prompt-optimization.tg with the simulator (data, batches, momentum, validation, keep-best) and
 * returns its run folder, copied under a fixed name.
 */
export function simulatedRun(): string {
  const runs = tmp();
  const r = tgc(["run", "examples/prompt-optimization.tg", "--engine", "sim", "--runs-dir", runs, "--quiet"]);
  if (r.code !== 0) throw new Error(`tgc run failed (${r.code}): ${r.stderr}`);
  const made = readdirSync(runs);
  const fixed = join(tmp(), FIXED_NAME);
  cpSync(join(runs, made[0]!), fixed, { recursive: true });
  return fixed;
}

export interface HandMade {
  readonly config?: Record<string, unknown>;
  readonly events: readonly Record<string, unknown>[];
  readonly final?: Record<string, unknown>;
  readonly graph?: Record<string, unknown>;
  readonly checkpoint?: boolean;
  /** Text appended to events.jsonl after the events (a line a killed run did not finish). */
  readonly tail?: string;
}

const totals = (calls: number) => ({ calls, cacheHits: 0, inputTokens: calls * 100, cachedInputTokens: 0, outputTokens: calls * 10, cost: calls * 0.001, savedCost: 0 });
export const usage = (calls: number) => ({ total: totals(calls), byEngine: { "openai:gpt-4o": totals(calls) }, byPhase: { forward: totals(calls) }, prices: { "openai:gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 } } });

export function handMade(name: string, run: HandMade, parent = tmp()): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "program.tg"), "// hand-made\n");
  writeFileSync(join(dir, "config.json"), JSON.stringify({ program: "/nowhere/hand.tg", sha256: "0".repeat(64), engine: null, ...run.config }));
  writeFileSync(join(dir, "events.jsonl"), run.events.map((e) => JSON.stringify(e) + "\n").join("") + (run.tail ?? ""));
  if (run.final) writeFileSync(join(dir, "final.json"), JSON.stringify(run.final));
  if (run.graph) writeFileSync(join(dir, "graph.json"), JSON.stringify(run.graph));
  if (run.checkpoint) writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ version: 1 }));
  return dir;
}

/** A run of two steps whose second update made validation worse and was reverted; its texts try to break out of HTML. */
export const hostile = "<script>alert('x')</script> & <b>bold</b>";
export const revertedRun: HandMade = {
  events: [
    { type: "run_started", program: `evil${hostile}.tg`, engines: [{ name: "teacher", id: "openai:gpt-4o", simulated: false }] },
    { type: "variable_initialized", name: "prompt", value: `first ${hostile}` },
    { type: "validation", step: 0, score: 0.5, best: 0.5, reverted: false },
    { type: "step_started", optimization: 0, step: 1, epoch: 1, examples: [0, 1] },
    { type: "loss", node: 4, label: "rubric teacher", sample: 0, text: `bad ${hostile}`, loss: 0.6 },
    { type: "gradient", from: 4, fromLabel: "rubric teacher", to: 2, toLabel: "call student", sample: 0, text: `grad ${hostile}` },
    { type: "gradient", from: 2, fromLabel: "call student", to: 0, toLabel: "prompt", sample: 0, text: "be clearer" },
    { type: "update", variable: "prompt", step: 1, before: `first ${hostile}`, after: `second ${hostile}` },
    { type: "validation", step: 1, score: 0.75, best: 0.75, reverted: false },
    { type: "step_finished", step: 1, loss: 0.6 },
    { type: "usage", step: 1, usage: usage(4) },
    { type: "step_started", optimization: 0, step: 2, epoch: 1, examples: [2, 3] },
    { type: "gradient", from: 2, fromLabel: "call student", to: 0, toLabel: "prompt", sample: 2, text: "shorter" },
    { type: "update", variable: "prompt", step: 2, before: `second ${hostile}`, after: "third" },
    { type: "validation", step: 2, score: 0.25, best: 0.75, reverted: true },
    { type: "step_finished", step: 2, loss: 0.4 },
    { type: "usage", step: 2, usage: usage(8) },
    { type: "run_finished", status: "completed", values: { prompt: `second ${hostile}` } },
  ],
  final: { status: "completed", values: { prompt: `second ${hostile}` }, usage: usage(8) },
  graph: {
    version: 1,
    nodes: [
      { id: 0, kind: "variable", label: "trainable prompt", role: "a prompt", trainable: true, name: "prompt" },
      { id: 1, kind: "input", label: `ex.${hostile}`, role: "" },
      { id: 2, kind: "llm_call", label: "call student", role: "" },
      { id: 4, kind: "loss", label: "rubric teacher", role: "" },
    ],
    edges: [
      { from: 0, to: 2, label: "system" },
      { from: 1, to: 2, label: "user" },
      { from: 2, to: 4, label: "evaluates" },
    ],
    roots: [4],
  },
};

/**
 * Test-time optimization over a data set (`each:`) of three examples, each with its own steps numbered from 1:
 * the first improves (score 0 → 1, with a vote), the second stays (1 → 1), the third gets worse (1 → 0).
 */
export function eachRun(options: { readonly finished?: boolean } = {}): HandMade {
  const example = (i: number, before: number, after: number, updates: number) => [
    { type: "example_started", optimization: 0, example: i, examples: 3 },
    { type: "variable_initialized", name: "question", value: `question ${i}` },
    { type: "variable_initialized", name: "answer", value: `answer ${i} first` },
    ...Array.from({ length: updates }, (_, k) => [
      { type: "step_started", optimization: 0, step: k + 1, steps: 2, examples: [i] },
      { type: "loss", node: 4, label: "rubric teacher", sample: i, text: `critique ${i}.${k + 1}`, loss: 0.5 },
      { type: "gradient", from: 4, fromLabel: "rubric teacher", to: 0, toLabel: "answer", sample: i, text: `advice ${i}.${k + 1}` },
      { type: "update", variable: "answer", step: k + 1, before: k === 0 ? `answer ${i} first` : `answer ${i} step ${k}`, after: `answer ${i} step ${k + 1}` },
      { type: "step_finished", step: k + 1, loss: 0.5 },
    ]).flat(),
    ...(i === 0 ? [{ type: "vote", variable: "answer", answers: [{ step: 0, answer: "B" }, { step: 1, answer: "C" }, { step: 2, answer: "C" }], winner: "C", chosenStep: 2 }] : []),
    { type: "example_finished", optimization: 0, example: i, values: { question: `question ${i}`, answer: `answer ${i} step ${updates}` }, before, after },
  ];
  const finished = options.finished ?? true;
  const events = [
    { type: "run_started", program: "each.tg", engines: [{ name: "teacher", id: "openai:gpt-4o", simulated: false }] },
    ...example(0, 0, 1, 2),
    ...example(1, 1, 1, 2),
    ...(finished
      ? [
          ...example(2, 1, 0, 1),
          { type: "each_finished", optimization: 0, examples: 3, before: 2 / 3, after: 2 / 3 },
          { type: "run_finished", status: "completed", values: {} },
        ]
      : example(2, 1, 0, 1).slice(0, 5)), // killed inside the third example's first step
  ];
  return {
    events,
    ...(finished ? { final: { status: "completed", values: {}, usage: usage(12) } } : {}),
    graph: {
      version: 1,
      nodes: [
        { id: 0, kind: "variable", label: "trainable answer", role: "a solution", trainable: true, name: "answer" },
        { id: 4, kind: "loss", label: "rubric teacher", role: "" },
      ],
      edges: [{ from: 0, to: 4, label: "evaluates" }],
      roots: [4],
    },
  };
}
