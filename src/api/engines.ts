// Engines for an embedding application: its own (a function that answers a request), the offline simulator, or the
// ones the program declares, set up as `tgc run` sets them up (keys from the environment).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { usageOf, type Engine, type EngineReply, type EngineRequest } from "../engines/engine.js";
import { createEngines } from "../engines/index.js";
import { parseScript } from "../engines/scripted.js";
import { SimEngine } from "../engines/sim/index.js";
import type { Program } from "./program.js";

/** What an application's engine answers: the reply's text (usage estimated, finish reason "stop"), or a whole reply. */
export type EngineAnswer = string | EngineReply;

export interface EngineDefinition {
  /** How runs name the engine in their events, e.g. "acme:house-model". */
  readonly id: string;
  /** Answers one request: its messages, options, and the structured context it was built from (`request.context`). */
  readonly complete: (request: EngineRequest, signal?: AbortSignal) => EngineAnswer | Promise<EngineAnswer>;
  /** True when the engine does not call a model (a canned or test engine): runs mark their results as simulated. */
  readonly simulated?: boolean;
}

/** Wraps an application's function as an Engine, the one interface every provider, the simulator and the cache implement. */
export function defineEngine(definition: EngineDefinition): Engine {
  return {
    id: definition.id,
    simulated: definition.simulated ?? false,
    async complete(request, signal) {
      const answer = await definition.complete(request, signal);
      return typeof answer === "string" ? { text: answer, usage: usageOf(request, answer), finishReason: "stop" } : answer;
    },
  };
}

/**
 * The deterministic offline simulator `--engine sim` uses: it answers each purpose (forward, loss, backward, update)
 * from the structured request, so a program runs with no key and every step is visible.
 */
export const simEngine = (id = "sim"): Engine => new SimEngine(id);

export interface ProgramEngineOptions {
  /** Where API keys are read (`key_env` of each engine, or the provider's usual variable); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Calls in flight per engine, unless an engine sets its own (default 8). */
  readonly concurrency?: number;
}

/**
 * The engines the program declares (`engine teacher = openai("gpt-4o")`), with the limits and retries `tgc run`
 * puts around them; keys come from `env`. Rejects (an EngineError) when a key is missing.
 */
export async function programEngines(program: Program, options: ProgramEngineOptions = {}): Promise<ReadonlyMap<string, Engine>> {
  const dir = dirname(program.path);
  return createEngines([...program.graph.engines.values()], undefined, {
    env: options.env ?? process.env,
    concurrency: options.concurrency ?? 8,
    onRetry: () => {},
    scripts: (file) => {
      const parsed = parseScript(JSON.parse(readFileSync(resolve(dir, file), "utf8")));
      if ("problems" in parsed) throw new Error(`the replies file ${file} is not valid: ${parsed.problems.join("; ")}`);
      return parsed.rules;
    },
  });
}
