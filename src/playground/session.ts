// The playground's compiler and runtime, without the page: check a program as the CLI does (the checker's own
// diagnostics), lower it, and take its first optimize block forward, backward or one optimizer step with the
// simulator or scripted replies. Every call, loss, gradient and update reaches the page as the run's own events.
import { check, memoryHost } from "../check/index.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceText } from "../diagnostics/source.js";
import type { Engine } from "../engines/engine.js";
import { parseScript, ScriptedEngine } from "../engines/scripted.js";
import { SimEngine } from "../engines/sim/index.js";
import { toJson, type GraphJson } from "../ir/export.js";
import type { Graph } from "../ir/graph.js";
import { lowerToGraph } from "../ir/lower.js";
import { backward } from "../runtime/backward.js";
import type { Checkpoint } from "../runtime/checkpoint.js";
import { RuntimeFailure, type RuntimeContext } from "../runtime/context.js";
import type { DataHost } from "../runtime/data.js";
import type { EventSink, RunEvent } from "../runtime/events.js";
import { forward, type Values } from "../runtime/forward.js";
import { runProgram } from "../runtime/run.js";
import { browserNatives, stdlibSources } from "./stdlib.js";

/** The module id the edited program has (diagnostics name it). */
export const PROGRAM = "playground.tg";

export interface ShownDiagnostic {
  readonly code: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly hint: string | undefined;
  readonly line: number;
  readonly column: number;
  /** Offsets in the program's text, or undefined when the diagnostic is about another module. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  /** The module it is about, when not the program (a stdlib module). */
  readonly file: string | undefined;
}

export interface Compiled {
  readonly diagnostics: readonly ShownDiagnostic[];
  readonly graph: Graph | undefined;
  readonly json: GraphJson | undefined;
}

function shown(d: Diagnostic, sources: (file: string) => string | undefined): ShownDiagnostic {
  const text = sources(d.range.file) ?? "";
  const pos = new SourceText(d.range.file, text).position(d.range.start);
  const own = d.range.file === PROGRAM;
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    hint: d.hint,
    line: pos.line,
    column: pos.column,
    start: own ? d.range.start : undefined,
    end: own ? d.range.end : undefined,
    file: own ? undefined : d.range.file,
  };
}

/** Checks the program (with the bundled stdlib) and lowers it when it has no errors. */
export function compile(text: string): Compiled {
  const files = { ...stdlibSources, [PROGRAM]: text };
  const host = memoryHost(files);
  const { checked, diagnostics } = check(PROGRAM, text, host);
  const sources = (f: string) => (f === PROGRAM ? text : host.read(f));
  const list = sortDiagnostics(diagnostics).map((d) => shown(d, sources));
  if (hasErrors(diagnostics)) return { diagnostics: list, graph: undefined, json: undefined };
  const graph = lowerToGraph(checked);
  return { diagnostics: list, graph, json: toJson(graph) };
}

export type EngineChoice = { readonly kind: "sim" } | { readonly kind: "scripted"; readonly rules: string };

/** One engine for every engine the program declares (as `--engine sim` or `--engine scripted:FILE` would). */
export function enginesFor(graph: Graph, choice: EngineChoice): { engines: Map<string, Engine> } | { problems: string[] } {
  let engine: Engine;
  if (choice.kind === "sim") engine = new SimEngine();
  else {
    let json: unknown;
    try {
      json = JSON.parse(choice.rules);
    } catch (e) {
      return { problems: [`the scripted replies are not JSON: ${(e as Error).message}`] };
    }
    const parsed = parseScript(json);
    if ("problems" in parsed) return { problems: parsed.problems };
    engine = new ScriptedEngine("scripted:playground", parsed.rules);
  }
  return { engines: new Map([...graph.engines.keys()].map((name) => [name, engine])) };
}

/** The page has no files: a program that declares a data set gets the runtime's own "cannot read" diagnostic. */
const noData: DataHost = { resolve: (path) => path, read: () => undefined };

export type Outcome = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly problems: readonly string[] };

const failure = (e: unknown): Outcome => {
  if (e instanceof RuntimeFailure) return { ok: false, problems: [`${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`] };
  throw e;
};

const runFailed = (diagnostics: readonly Diagnostic[], reason: string | undefined): Outcome => ({
  ok: false,
  problems: diagnostics.length ? diagnostics.map((d) => `${d.code}: ${d.message}`) : [reason ?? "the run failed"],
});

/**
 * A program being stepped through: its variables' values, the forward values of the last forward pass, and the
 * checkpoint after the last step (so the next step continues with the optimizer's memory). The engines live as
 * long as the session, so scripted `replies` are used in turn across steps.
 */
export class Session {
  private values: Map<string, string> | undefined;
  private forwardValues: Values | undefined;
  private checkpoint: Checkpoint | undefined;
  private steps = 0;

  constructor(
    readonly graph: Graph,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly emit: EventSink,
  ) {}

  /** The variables' values, once initialized. */
  get variables(): ReadonlyMap<string, string> | undefined {
    return this.values;
  }

  get stepsDone(): number {
    return this.steps;
  }

  private ctx(): RuntimeContext {
    return { graph: this.graph, engines: this.engines, natives: browserNatives, emit: this.emit };
  }

  private get optimization() {
    return this.graph.optimizations[0];
  }

  /** Runs the initializers (a run with no optimize block), once. */
  private async initialize(): Promise<Outcome> {
    if (this.values) return { ok: true };
    const r = await runProgram({
      graph: { ...this.graph, optimizations: [] },
      engines: this.engines,
      natives: browserNatives,
      data: noData,
      emit: this.emit,
      program: PROGRAM,
    });
    if (r.status !== "completed") return runFailed(r.diagnostics, r.status);
    this.values = new Map(r.values);
    return { ok: true };
  }

  /** The forward pass of the first optimize block's objective (without data: its examples are files). */
  async forward(): Promise<Outcome> {
    const o = this.optimization;
    if (!o) return { ok: false, problems: ["the program has no optimize block"] };
    const init = await this.initialize();
    if (!init.ok) return init;
    try {
      const values = await forward(this.ctx(), [o.objective], { variables: this.values!, example: undefined, sample: undefined });
      for (const n of this.graph.nodes) {
        const v = values.get(n.id);
        if (n.kind === "loss" && v?.kind === "loss") this.emit({ type: "loss", node: n.id, label: n.label, sample: undefined, text: v.text, loss: v.loss });
      }
      this.forwardValues = values;
      return { ok: true };
    } catch (e) {
      return failure(e);
    }
  }

  /** The backward pass from the objective, after a forward pass (made now if there was none). */
  async backward(): Promise<Outcome> {
    const o = this.optimization;
    if (!o) return { ok: false, problems: ["the program has no optimize block"] };
    if (o.optimizer.kind !== "tgd") return { ok: false, problems: ["this optimizer makes no backward pass (it reads the whole execution): use Step"] };
    if (!this.forwardValues) {
      const f = await this.forward();
      if (!f.ok) return f;
    }
    try {
      await backward(this.ctx(), o.objective, this.forwardValues!, o.optimizer.engine, undefined);
      return { ok: true };
    } catch (e) {
      return failure(e);
    }
  }

  /** One optimizer step of the first optimize block: runProgram, continuing from the last step's checkpoint. */
  async step(): Promise<Outcome> {
    const o = this.optimization;
    if (!o) return { ok: false, problems: ["the program has no optimize block"] };
    const init = await this.initialize();
    if (!init.ok) return init;
    if (this.checkpoint?.finished) return { ok: true, note: "the optimize block has ended (solved, or out of steps)" };
    const resume: Checkpoint = this.checkpoint ?? {
      version: 1,
      events: 0,
      values: Object.fromEntries(this.values!),
      optimization: 0,
      step: 0,
      finished: false,
      optimizer: undefined,
      validation: undefined,
      voteHistory: [],
      data: undefined,
      datasets: {},
      usage: undefined,
    };
    const graph: Graph = { ...this.graph, optimizations: [{ ...o, steps: this.steps + 1 }] };
    let last: Checkpoint | undefined;
    let stopped = false;
    const r = await runProgram({
      graph,
      engines: this.engines,
      natives: browserNatives,
      data: noData,
      emit: (e: RunEvent) => {
        if (e.type === "solved" || e.type === "early_stopped") stopped = true;
        if (e.type !== "run_finished") this.emit(e);
      },
      program: PROGRAM,
      resume,
      checkpoint: (c) => (last = c),
    });
    if (r.status !== "completed") return runFailed(r.diagnostics, r.status);
    this.values = new Map(r.values);
    this.forwardValues = undefined;
    if (last) {
      const before = this.steps;
      this.steps = last.step;
      // The one-step run always ends its block; the block itself has ended only when solved, early-stopped, out
      // of data or at the program's own step count. Otherwise the next click schedules one more step.
      const ended = stopped || last.step === before || (o.steps !== undefined && last.step >= o.steps);
      this.checkpoint = { ...last, finished: ended };
    }
    return { ok: true };
  }
}
