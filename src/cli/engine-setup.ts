// Engines for a command that calls them (`run`, `eval`): the program's engines or the one `--engine` names, with
// the response cache, the meter and budgets, limits and retries around each, and keys from the environment or
// the config file. Problems with what the user gave are `UsageError`s naming the flag or file.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ResponseCache, type CacheMode } from "../engines/cache.js";
import { Meter, type Budget } from "../engines/cost.js";
import { EngineError, type Engine } from "../engines/engine.js";
import { createEngines, parseEngineFlag, type EngineOverride } from "../engines/index.js";
import { loadPriceOverrides, type PriceTable } from "../engines/prices.js";
import type { RetryNotice } from "../engines/retry.js";
import { parseScript, type ScriptRule } from "../engines/scripted.js";
import type { EngineConfig, Graph } from "../ir/graph.js";
import { engineEnvironment, loadConfig } from "./config.js";

export class UsageError extends Error {}

/** A problem setting up (bad flags, a missing key) as one line on stderr and its exit code; anything else is a bug. */
export function setupFailure(command: string, e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`tgc ${command}: ${e.message}\n`);
    return 2;
  }
  if (e instanceof EngineError) {
    process.stderr.write(`tgc ${command}: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ""}`);
    return 1;
  }
  throw e;
}

export interface EngineFlags {
  readonly engine: string | undefined;
  readonly prices: string | undefined;
  readonly concurrency: number;
  readonly budget: Budget;
  /** "use", "replay" (fail on any miss) or "off" (--no-cache). */
  readonly cache: CacheMode | "off";
  readonly cacheDir: string;
}

/** Reads a JSON file the user named and validates it; any problem is a usage error that names the file. */
function readJsonFile<T>(file: string, what: string, validate: (json: unknown) => { value: T } | { problems: string[] }): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  const checked = validate(json);
  if ("problems" in checked) throw new UsageError(`the ${what} ${file} is not valid:\n  ${checked.problems.join("\n  ")}`);
  return checked.value;
}

const readScript = (file: string): ScriptRule[] =>
  readJsonFile(file, "replies file", (json) => {
    const parsed = parseScript(json);
    return "problems" in parsed ? parsed : { value: parsed.rules };
  });

export const readPrices = (file: string | undefined): PriceTable =>
  file === undefined
    ? {}
    : readJsonFile(file, "prices file", (json) => {
        const loaded = loadPriceOverrides(json);
        return "problems" in loaded ? loaded : { value: loaded.prices };
      });

/** `sim`, `scripted:FILE`, `openai:MODEL`… as an engine declaration's provider and arguments (a bench's --teacher). */
export function declaredAs(flag: string, option = "--engine"): Pick<EngineConfig, "provider" | "args"> {
  const parsed = parseEngineFlag(flag);
  // The parser names --engine; the same values serve other options (--teacher).
  if ("error" in parsed) throw new UsageError(parsed.error.replace(/^--engine\b/, option));
  if ("scripted" in parsed) return { provider: "scripted", args: [resolve(parsed.scripted)] };
  const o = parsed.override;
  if (o.kind === "sim") return { provider: "sim", args: [] };
  return { provider: o.provider, args: o.provider === "compatible" ? [process.env.OPENAI_BASE_URL ?? "", o.model] : [o.model] };
}

function parseOverride(engine: string | undefined): EngineOverride | undefined {
  if (engine === undefined) return undefined;
  const parsed = parseEngineFlag(engine);
  if ("error" in parsed) throw new UsageError(parsed.error);
  if ("scripted" in parsed) return { kind: "scripted", file: parsed.scripted, rules: readScript(parsed.scripted) };
  return parsed.override;
}

/** The engines a program's graph names, set up as the flags say; `command` prefixes warnings (`tgc run: …`). */
export async function setUpEngines(
  graph: Graph,
  programPath: string,
  flags: EngineFlags,
  command: string,
  onRetry: (notice: RetryNotice) => void,
  track?: (engine: Engine) => Engine,
): Promise<{ engines: ReadonlyMap<string, Engine>; meter: Meter }> {
  const override = parseOverride(flags.engine);
  const programDir = dirname(programPath);
  const meter = new Meter(readPrices(flags.prices));
  const config = loadConfig();
  if ("error" in config) throw new UsageError(config.error);
  for (const w of config.warnings) process.stderr.write(`tgc ${command}: warning: ${w}\n`);
  const engines = await createEngines([...graph.engines.values()], override, {
    env: engineEnvironment(config),
    scripts: (f) => readScript(resolve(programDir, f)),
    onRetry,
    concurrency: flags.concurrency,
    meter: { meter, budget: flags.budget },
    ...(track ? { track } : {}),
    ...(flags.cache === "off"
      ? {}
      : {
          cache: {
            cache: new ResponseCache(resolve(flags.cacheDir)),
            mode: flags.cache,
            onStoreError: (err) => process.stderr.write(`tgc ${command}: could not store a reply in the cache: ${err.message}\n`),
          },
        }),
  });
  return { engines, meter };
}
