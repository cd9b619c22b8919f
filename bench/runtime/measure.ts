// The runtime benchmark's measurements (issue 4), run in process on the runtime's own modules. run.mjs bundles this
// file with esbuild into bench/out/runtime-measure.mjs (src/ internals are not in dist/), runs it in a fresh node
// process and formats what it prints (one JSON object on the last line of stdout) as Markdown tables.
// Usage: node bench/out/runtime-measure.mjs ROOT [latencyMs]
//
// Every run uses the deterministic simulator (`SimEngine`); the engines a program declares (openai(...) in the
// examples) are all served by it, as with `tgc run --engine sim`. See bench/runtime/README.md for the definitions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stdlibNatives } from "../../stdlib/index.js";
import { check, memoryHost } from "../../src/check/index.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { CachingEngine, ResponseCache, canonicalJson } from "../../src/engines/cache.js";
import type { Engine, EngineReply, EngineRequest, Message } from "../../src/engines/engine.js";
import { LimitedEngine, Limiter } from "../../src/engines/limits.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import { inputsOf, type Graph, type NodeId } from "../../src/ir/graph.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram } from "../../src/runtime/run.js";

const root = process.argv[2] ?? process.cwd();
const LATENCY_MS = Number(process.argv[3] ?? 100);
const read = (p: string) => readFileSync(join(root, p), "utf8");
const metricsModule = read("stdlib/metrics.tg");

// ---------------------------------------------------------------------------------------------------------------
// Compiling and running a program given as text (what test/runtime/harness.ts does, without vitest).

type Files = Record<string, string>;

function compile(source: string, files: Files = {}): Graph {
  const all = { "main.tg": source, "std/metrics": metricsModule, ...files };
  const { checked, diagnostics } = check("main.tg", source, memoryHost(all));
  if (hasErrors(diagnostics)) {
    throw new Error(`bench program has errors:\n${diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join("\n")}`);
  }
  return lowerToGraph(checked);
}

interface Recorded {
  readonly engine: string;
  readonly request: EngineRequest;
}

/** Serves every engine the program declares with `engine`, recording each request with the engine's name. */
async function run(graph: Graph, engine: Engine, files: Files, onEvent?: (e: RunEvent) => void) {
  const requests: Recorded[] = [];
  const engines = new Map<string, Engine>(
    [...graph.engines.keys()].map((name) => [
      name,
      {
        id: engine.id,
        simulated: engine.simulated,
        complete: (request: EngineRequest, signal?: AbortSignal) => {
          requests.push({ engine: name, request });
          return engine.complete(request, signal);
        },
      },
    ]),
  );
  const events: RunEvent[] = [];
  const result = await runProgram({
    graph,
    engines,
    natives: stdlibNatives,
    data: { resolve: (p) => p, read: (p) => files[p] },
    emit: (e) => {
      events.push(e);
      onEvent?.(e);
    },
    program: "main.tg",
  });
  if (result.status !== "completed") throw new Error(`bench run ended ${result.status}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return { events, requests, result };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events between a step's step_started and step_finished (both excluded), per step number. */
function stepsOf(events: readonly RunEvent[]): Map<number, RunEvent[]> {
  const steps = new Map<number, RunEvent[]>();
  let current: RunEvent[] | undefined;
  for (const e of events) {
    if (e.type === "step_started") steps.set(e.step, (current = []));
    else if (e.type === "step_finished") current = undefined;
    else current?.push(e);
  }
  return steps;
}

type CallEvent = Extract<RunEvent, { type: "call" }>;
const callsOf = (events: readonly RunEvent[]) => events.filter((e): e is CallEvent => e.type === "call");

// ---------------------------------------------------------------------------------------------------------------
// Test data and program texts.

const things: [string, string][] = [
  ["animals", "cat,dog,goat,rabbit,horse,duck,pig,cow"],
  ["fruits", "apple,banana,plum,peach,grape,orange,pear,lemon"],
  ["vegetables", "carrot,potato,onion,yam,cabbage,leek,turnip,radish"],
  ["musical instruments", "flute,piano,violin,drum,trumpet,clarinet,cello,harp"],
];
const distractors = ["car", "lamp", "stove", "table", "chair", "bicycle"];
const numberWords = ["a", "two", "three", "four"];

/** n counting questions in the style of examples/data/counting.train.jsonl, deterministic. */
function countingData(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const [kind, list] = things[i % things.length]!;
    const names = list.split(",");
    let total = 0;
    const items: string[] = [];
    for (let j = 0; j < 3 + (i % 4); j++) {
      const q = ((i * 7 + j * 3) % 4) + 1;
      total += q;
      const name = names[(i + j) % names.length]!;
      items.push(q === 1 ? `a ${name}` : `${numberWords[q - 1]} ${name}s`);
    }
    items.splice(1 + (i % 2), 0, `a ${distractors[i % distractors.length]}`);
    const question = `I have ${items.slice(0, -1).join(", ")}, and ${items.at(-1)}. How many ${kind} do I have?`;
    lines.push(JSON.stringify({ question, answer: String(total) }));
  }
  return lines.join("\n") + "\n";
}

/** About `count` words of deterministic filler (lower-case letters only, so safe inside a """ literal). */
function filler(count: number): string {
  const syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "pe", "dri", "nu", "ash", "bel", "cor", "fen"];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + (rand() % 3);
    let w = "";
    for (let j = 0; j < n; j++) w += syllables[rand() % syllables.length];
    words.push(w);
  }
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += 15) lines.push(`  ${words.slice(i, i + 15).join(" ")}.`);
  return lines.join("\n");
}

/** The schedule program: prompt optimization with a two-call `solve`, so the critical path has depth. */
const scheduleProgram = `engine student = sim()
engine teacher = sim()
data train = jsonl("train.jsonl") { question: text, answer: text }
trainable system: "system prompt that steers the model's reasoning" = """
  You will answer a reasoning question. Think step by step.
"""
trainable style: "instructions for rewriting a draft answer" = "Rewrite the draft answer clearly."
fn solve(question: text) -> text {
  let draft = call student { system: system, user: question }
  call student { system: style, user: draft }
}
loss judge(ex) = rubric teacher on solve(ex.question) given ex.answer """
  Compare the response with the correct answer and say briefly where the reasoning went wrong.
"""
optimize system, style using tgd(engine: teacher) {
  data: train
  batch: 16
  steps: 1
  minimize: judge
}
`;

/** examples/prompt-optimization.tg at one step of batch 16 without validation, its system prompt ~`words` words. */
function promptOptimizationVariant(words: number): { source: string; files: Files } {
  const original = read("examples/prompt-optimization.tg");
  const replace = (text: string, pattern: RegExp, by: string | ((...groups: string[]) => string)) => {
    if (!pattern.test(text)) throw new Error(`examples/prompt-optimization.tg changed: ${pattern} no longer matches; update bench/runtime/measure.ts`);
    return typeof by === "string" ? text.replace(pattern, by) : text.replace(pattern, (...m: string[]) => by(...m));
  };
  let source = original;
  // The system prompt keeps its text and gets ~`words` words of filler after it.
  source = replace(source, /(trainable system:[^=]*=\s*""")([\s\S]*?)(""")/, (_m, a, body, c) => `${a}${body!.trimEnd()}\n${filler(words)}\n${c}`);
  source = replace(source, /batch:\s*\d+/, "batch: 16");
  source = replace(source, /epochs:\s*\d+/, "steps: 1");
  source = replace(source, /\n\s*validate:[^\n]*/, "");
  source = replace(source, /jsonl\("data\/counting\.train\.jsonl"\)/, 'jsonl("train.jsonl")');
  return { source, files: { "train.jsonl": countingData(16), "data/counting.val.jsonl": read("examples/data/counting.val.jsonl") } };
}

const exampleFiles: Files = {
  "data/counting.train.jsonl": read("examples/data/counting.train.jsonl"),
  "data/counting.val.jsonl": read("examples/data/counting.val.jsonl"),
};

// ---------------------------------------------------------------------------------------------------------------
// 1. Schedule: wall time of one step at concurrency 1 and 64, against the critical path.

/**
 * The longest chain of calls that depend on one another in a step, from the step's events and the graph's edges.
 * A call's depth is 1 + the largest depth among the calls it needs, counting re-asks of the same request as
 * further links:
 * - a forward or loss call at node n for sample s needs the calls at the nodes n reads (through templates and
 *   native calls) for the same sample;
 * - a backward call from node X for sample s (it is followed by the gradient event that names its target) needs
 *   X's own forward call (a loss's value or an llm call's output) and every backward call that sent a gradient
 *   to X for s (the chain rule);
 * - the update of variable v (label `update v`) needs every backward call that sent a gradient to v, for every
 *   sample of the batch, and the condense call for v (label `condense v`) if there is one.
 * This is the true data dependency, not tgc's schedule: tgc starts a sample's backward pass when its whole forward
 * pass is done, which is the same here (one loss per sample) but could be later with several losses.
 */
function criticalPath(graph: Graph, stepEvents: readonly RunEvent[]): { depth: number; chain: string[] } {
  const fwd = new Map<string, { depth: number; chain: string[] }>(); // `${node}/${sample}`
  const gradIn = new Map<string, { depth: number; chain: string[] }>(); // deepest backward call into `${to}/${sample}`
  const intoVariable = new Map<NodeId, { depth: number; chain: string[] }>(); // any sample
  const condensed = new Map<string, { depth: number; chain: string[] }>();
  let best = { depth: 0, chain: [] as string[] };
  const deeper = (a: { depth: number; chain: string[] } | undefined, b: { depth: number; chain: string[] } | undefined) =>
    !a ? b : !b ? a : b.depth > a.depth ? b : a;

  /** The deepest forward call among the calls node `id` reads for sample s (not counting `id` itself). */
  const upstream = (id: NodeId, s: string, seen = new Set<NodeId>()): { depth: number; chain: string[] } | undefined => {
    let out: { depth: number; chain: string[] } | undefined;
    for (const i of inputsOf(graph.nodes[id]!)) {
      if (seen.has(i.node)) continue;
      seen.add(i.node);
      const own = fwd.get(`${i.node}/${s}`);
      out = deeper(out, own ?? upstream(i.node, s, seen));
    }
    return out;
  };

  for (let k = 0; k < stepEvents.length; k++) {
    const e = stepEvents[k]!;
    if (e.type !== "call") continue;
    const s = String(e.sample);
    const name = `${e.purpose} ${e.node !== undefined ? `n${e.node} ` : ""}(${e.label})${e.sample !== undefined ? ` sample ${e.sample}` : ""}`;
    let before: { depth: number; chain: string[] } | undefined;
    if (e.purpose === "forward" || e.purpose === "loss") {
      before = deeper(fwd.get(`${e.node}/${s}`), upstream(e.node!, s)); // a re-ask follows the earlier attempt
      const here = { depth: (before?.depth ?? 0) + 1, chain: [...(before?.chain ?? []), name] };
      fwd.set(`${e.node}/${s}`, here);
      best = deeper(best, here)!;
    } else if (e.purpose === "backward") {
      const g = stepEvents.slice(k + 1).find((x): x is Extract<RunEvent, { type: "gradient" }> => x.type === "gradient");
      if (!g) throw new Error("a backward call without its gradient event");
      before = deeper(fwd.get(`${e.node}/${s}`), gradIn.get(`${e.node}/${s}`));
      const here = { depth: (before?.depth ?? 0) + 1, chain: [...(before?.chain ?? []), name] };
      gradIn.set(`${g.to}/${s}`, deeper(gradIn.get(`${g.to}/${s}`), here)!);
      intoVariable.set(g.to, deeper(intoVariable.get(g.to), here)!);
      best = deeper(best, here)!;
    } else {
      const variable = e.label.replace(/^(update|condense) /, "");
      const node = graph.variables.get(variable)?.node;
      before = deeper(node === undefined ? undefined : intoVariable.get(node), condensed.get(variable));
      const here = { depth: (before?.depth ?? 0) + 1, chain: [...(before?.chain ?? []), name] };
      condensed.set(variable, here); // a condense precedes the update; a re-asked update follows the earlier one
      best = deeper(best, here)!;
    }
  }
  return best;
}

async function schedule() {
  const files = { "train.jsonl": countingData(16) };
  const graph = compile(scheduleProgram, files);
  const once = async (concurrency: number) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sim = new SimEngine();
    const timed: Engine = {
      id: "sim",
      simulated: true,
      complete: async (r) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await sleep(LATENCY_MS);
          return await sim.complete(r);
        } finally {
          inFlight--;
        }
      },
    };
    let started = 0;
    let finished = 0;
    const { events } = await run(graph, new LimitedEngine(timed, new Limiter({ concurrency })), files, (e) => {
      if (e.type === "step_started") started = performance.now();
      if (e.type === "step_finished") finished = performance.now();
    });
    const step = stepsOf(events).get(1)!;
    return { wallMs: finished - started, calls: callsOf(step).length, maxInFlight, step, events };
  };
  await once(64); // warm-up (JIT), not reported
  const parallel = await once(64);
  const sequential = await once(1);
  if (JSON.stringify(parallel.events) !== JSON.stringify(sequential.events)) throw new Error("events differ between concurrency 1 and 64");
  const path = criticalPath(graph, parallel.step);
  const byPurpose = countBy(callsOf(parallel.step).map((c) => c.purpose));
  return {
    latencyMs: LATENCY_MS,
    calls: parallel.calls,
    byPurpose,
    depth: path.depth,
    chain: path.chain,
    boundMs: path.depth * LATENCY_MS,
    parallelMs: parallel.wallMs,
    parallelMaxInFlight: parallel.maxInFlight,
    sequentialMs: sequential.wallMs,
    sequentialMaxInFlight: sequential.maxInFlight,
  };
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Calls and tokens per step, and repeated identical requests.

/** Requests whose engine, messages, options and variant equal an earlier request's (what a cache key covers). */
function repeats(requests: readonly Recorded[]): { count: number; byPurpose: Record<string, number> } {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const { engine, request } of requests) {
    const key = canonicalJson({ engine, messages: request.messages, options: request.options, variant: request.variant });
    if (seen.has(key)) found.push(request.context.purpose);
    seen.add(key);
  }
  return { count: found.length, byPurpose: countBy(found) };
}

async function callsAndTokens(example: string) {
  const source = read(example);
  const graph = compile(source, exampleFiles);
  const { events, requests } = await run(graph, new LimitedEngine(new SimEngine(), new Limiter({ concurrency: 8 })), exampleFiles);
  const steps = stepsOf(events);
  const hasData = graph.optimizations.some((o) => o.data !== undefined);
  const perStep = [...steps.values()].map((step) => {
    const calls = callsOf(step);
    return {
      // Validation's forward calls are made for no sample (training calls carry the example's index).
      byPurpose: countBy(calls.map((c) => (c.purpose === "forward" && c.sample === undefined && hasData ? "validation" : c.purpose))),
      calls: calls.length,
      inputTokens: calls.reduce((n, c) => n + c.usage.inputTokens, 0),
      outputTokens: calls.reduce((n, c) => n + c.usage.outputTokens, 0),
    };
  });
  const firstStep = events.findIndex((e) => e.type === "step_started");
  const outside = callsOf(events.slice(0, firstStep));

  // The same run with tgc's response cache in front of the simulator: how many requests still reach the engine
  // although an identical one was already answered (two identical requests in flight at once both miss).
  const dir = mkdtempSync(join(tmpdir(), "tgc-bench-cache-"));
  let cachedRepeats;
  try {
    const reaching: Recorded[] = [];
    const sim = new SimEngine();
    const recorder: Engine = {
      id: "sim-as-provider",
      simulated: false,
      complete: async (r) => (reaching.push({ engine: "sim-as-provider", request: r }), sim.complete(r)),
    };
    const cached = new CachingEngine(new LimitedEngine(recorder, new Limiter({ concurrency: 8 })), new ResponseCache(dir), "use");
    const again = await run(graph, cached, exampleFiles);
    cachedRepeats = { ...repeats(reaching), reachingEngine: reaching.length, total: again.requests.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    example,
    steps: perStep.length,
    perStep,
    // Initializers' calls, and validation of the starting values (forward calls for no sample), before step 1.
    beforeFirstStep: { calls: outside.length, byPurpose: countBy(outside.map((c) => (c.purpose === "forward" && c.sample === undefined && hasData ? "validation" : c.purpose))) },
    totalCalls: callsOf(events).length,
    repeatsWithoutCache: repeats(requests),
    repeatsWithCache: cachedRepeats,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Cacheable share of one step's request text.

const MIN_PREFIX_CHARS = 4_096; // 1,024 tokens at 4 characters a token (OpenAI's minimum cacheable prompt)

/** A request as the text a provider sees, messages in order with role markers. */
const requestText = (messages: readonly Message[]) => messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join("");

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

async function cacheableShare() {
  const { source, files } = promptOptimizationVariant(3_000);
  const graph = compile(source, files);
  const { events } = await run(graph, new LimitedEngine(new SimEngine(), new Limiter({ concurrency: 64 })), files);
  const step = stepsOf(events).get(1)!;
  const initialized = events.find((e): e is Extract<RunEvent, { type: "variable_initialized" }> => e.type === "variable_initialized" && e.name === "system");
  // The step's requests in the order of its events (the order in which they would be made one after another).
  const texts = callsOf(step).map((c) => ({ purpose: c.purpose, text: requestText(c.messages) }));
  let total = 0;
  let cacheable = 0;
  const perPurpose: Record<string, { total: number; cacheable: number; requests: number }> = {};
  texts.forEach(({ purpose, text }, i) => {
    let longest = 0;
    for (let j = 0; j < i; j++) longest = Math.max(longest, commonPrefix(text, texts[j]!.text));
    const counted = longest >= MIN_PREFIX_CHARS ? longest : 0;
    total += text.length;
    cacheable += counted;
    const p = (perPurpose[purpose] ??= { total: 0, cacheable: 0, requests: 0 });
    p.total += text.length;
    p.cacheable += counted;
    p.requests++;
  });
  return {
    systemPromptWords: (initialized?.value ?? "").split(/\s+/).filter(Boolean).length,
    systemPromptChars: (initialized?.value ?? "").length,
    requests: texts.length,
    totalChars: total,
    cacheableChars: cacheable,
    share: total ? cacheable / total : 0,
    perPurpose,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The runtime's own CPU time per call.

/**
 * CPU time of the runtime between each step's step_started and step_finished events, minus the CPU time spent
 * inside the simulator computing its replies (measured around each call, which the simulator computes
 * synchronously), divided by the step's calls. The engine answers at once (no latency); the limiter (concurrency 8,
 * the CLI's default) is counted as runtime. Events go to an array. The first run of the program warms the JIT up
 * and is not counted.
 */
async function overhead(source: string, files: Files, runs: number) {
  const graph = compile(source, files);
  const sim = new SimEngine();
  let engineMicros = 0;
  const metered: Engine = {
    id: "sim",
    simulated: true,
    complete: (r: EngineRequest): Promise<EngineReply> => {
      const t = process.cpuUsage();
      const p = sim.complete(r); // the reply is computed synchronously inside the call
      const d = process.cpuUsage(t);
      engineMicros += d.user + d.system;
      return p;
    },
  };
  const measured = { cpuMicros: 0, engineMicros: 0, calls: 0, steps: 0 };
  for (let i = 0; i <= runs; i++) {
    let start: NodeJS.CpuUsage | undefined;
    let engineAtStart = 0;
    let callsInStep = 0;
    await run(graph, new LimitedEngine(metered, new Limiter({ concurrency: 8 })), files, (e) => {
      if (e.type === "step_started") {
        callsInStep = 0;
        engineAtStart = engineMicros;
        start = process.cpuUsage();
      } else if (e.type === "call" && start) callsInStep++;
      else if (e.type === "step_finished" && start && i > 0) {
        const d = process.cpuUsage(start);
        measured.cpuMicros += d.user + d.system;
        measured.engineMicros += engineMicros - engineAtStart;
        measured.calls += callsInStep;
        measured.steps++;
        start = undefined;
      }
    });
  }
  return {
    steps: measured.steps,
    calls: measured.calls,
    totalCpuMs: measured.cpuMicros / 1000,
    engineCpuMs: measured.engineMicros / 1000,
    runtimeMsPerCall: (measured.cpuMicros - measured.engineMicros) / 1000 / Math.max(1, measured.calls),
  };
}

// ---------------------------------------------------------------------------------------------------------------

const result = {
  schedule: await schedule(),
  calls: [await callsAndTokens("examples/quickstart.tg"), await callsAndTokens("examples/prompt-optimization.tg")],
  cacheable: await cacheableShare(),
  overhead: {
    example: await overhead(read("examples/prompt-optimization.tg"), exampleFiles, 5),
    large: await (async () => {
      const { source, files } = promptOptimizationVariant(3_000);
      return overhead(source, files, 3);
    })(),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
