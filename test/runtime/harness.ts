// Runs a program given as text, with every engine served by one engine whose requests are recorded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { stdlibNatives } from "../../stdlib/index.js";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import type { Engine, EngineReply, EngineRequest } from "../../src/engines/engine.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { memoryDataHost } from "../../src/runtime/data.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram, type RunResult } from "../../src/runtime/run.js";

const std = (name: string) => readFileSync(join(import.meta.dirname, `../../stdlib/${name}.tg`), "utf8");

export class RecordingEngine implements Engine {
  readonly requests: EngineRequest[] = [];
  readonly simulated = true;
  constructor(
    private readonly inner: Engine = new SimEngine(),
    readonly id = "recording",
  ) {}
  complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
    this.requests.push(request);
    return this.inner.complete(request, signal);
  }
}

/** An engine answering with a function of the request, for targeted tests. */
export function replying(fn: (r: EngineRequest) => string): Engine {
  return {
    id: "fn",
    simulated: true,
    complete: async (r) => ({ text: fn(r), usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }),
  };
}

/** Data files and corpora from a map of path → text. */
export const memoryData = memoryDataHost;

export interface Ran {
  readonly events: RunEvent[];
  readonly result: RunResult;
  readonly engine: RecordingEngine;
}

export async function runSource(source: string, options: { engine?: Engine; files?: Record<string, string> } = {}): Promise<Ran> {
  const files = { "main.tg": source, "std/metrics": std("metrics"), "std/choice": std("choice"), "std/code": std("code"), "std/radiotherapy": std("radiotherapy"), "std/tools": std("tools"), ...(options.files ?? {}) };
  const { checked, diagnostics } = check("main.tg", source, memoryHost(files));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const graph = lowerToGraph(checked);
  const engine = new RecordingEngine(options.engine);
  const events: RunEvent[] = [];
  const result = await runProgram({
    graph,
    engines: new Map([...graph.engines.keys()].map((k) => [k, engine])),
    natives: stdlibNatives,
    data: memoryData(files),
    emit: (e) => events.push(e),
    program: "main.tg",
  });
  return { events, result, engine };
}

export const ofType = <T extends RunEvent["type"]>(events: readonly RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

/**
 * One example whose right answer the model gives unless the system prompt is "GAMMA": for tests where an update
 * makes validation worse (keep-best reverts it) and a later one proposes it again. `optimizer` is `tgd` or `opto`.
 */
export const rejectedValueProgram = (optimizer: string) => ({
  source: `import { exact_number } from "std/metrics"
    engine e = sim()
    data d = jsonl("d.jsonl") { q: text, a: text }
    trainable system: "a system prompt" = "Answer."
    fn solve(q: text) -> text { call e { system: system, user: q } }
    loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
    optimize system using ${optimizer}(engine: e) { data: d, epochs: 2, minimize: judge, validate: d by exact_number(solve(ex.q), ex.a), keep best }`,
  files: { "d.jsonl": '{"q": "1?", "a": "1"}\n' },
});
