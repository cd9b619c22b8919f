// Choosing the engine that serves each engine a program declares. Real providers arrive behind the same
// interface; until then a program that names one runs with `--engine sim` or `--engine scripted:FILE`.
import { EngineError, type Engine } from "./engine.js";
import { ScriptedEngine, type ScriptRule } from "./scripted.js";
import { SimEngine } from "./sim/index.js";

export interface EngineSpec {
  readonly name: string;
  readonly provider: string;
  readonly args: readonly string[];
}

/** How `--engine` replaced the program's engines, if it did. */
export type EngineOverride = { readonly kind: "sim" } | { readonly kind: "scripted"; readonly file: string; readonly rules: readonly ScriptRule[] };

/**
 * One engine per declared engine. An override serves all of them with one instance, so a scripted file's
 * sequences of replies run in the order the program asks, whichever engine asks.
 */
export function createEngines(
  specs: readonly EngineSpec[],
  override: EngineOverride | undefined,
  scripts: (file: string) => readonly ScriptRule[],
): Map<string, Engine> {
  const shared = override?.kind === "sim" ? new SimEngine() : override?.kind === "scripted" ? new ScriptedEngine(`scripted:${override.file}`, override.rules) : undefined;
  return new Map(specs.map((s) => [s.name, shared ?? createEngine(s, scripts)]));
}

function createEngine(spec: EngineSpec, scripts: (file: string) => readonly ScriptRule[]): Engine {
  switch (spec.provider) {
    case "sim":
      return new SimEngine(spec.args[0] ? `sim:${spec.args[0]}` : "sim");
    case "scripted":
      return new ScriptedEngine(`scripted:${spec.args[0]}`, scripts(spec.args[0]!));
    default:
      throw new EngineError(
        `engine '${spec.name}' uses ${spec.provider}(${spec.args.map((a) => JSON.stringify(a)).join(", ")}), and this version of tgc cannot call ${spec.provider} yet`,
        spec.name,
        "run it offline with --engine sim (the deterministic simulator) or --engine scripted:FILE",
      );
  }
}
