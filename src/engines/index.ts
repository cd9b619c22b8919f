// Choosing the engine that serves each engine a program declares: a provider (its SDK loaded only now), the
// simulator or scripted replies; `--engine` can replace them all. Keys come from the environment and are handed
// to the SDK only: they never reach an id, a message, an event or a file.
import { EngineError, type Engine } from "./engine.js";
import { defaultRetryPolicy, RetryingEngine, type RetryClock, type RetryNotice } from "./retry.js";
import { ScriptedEngine, type ScriptRule } from "./scripted.js";
import { SimEngine } from "./sim/index.js";

export interface EngineSpec {
  readonly name: string;
  readonly provider: string;
  readonly args: readonly string[];
  readonly connection: { readonly keyEnv?: string; readonly timeoutMs?: number; readonly attempts?: number };
}

export type Provider = "openai" | "anthropic" | "compatible";

/** How `--engine` replaced the program's engines, if it did. */
export type EngineOverride =
  | { readonly kind: "sim" }
  | { readonly kind: "scripted"; readonly file: string; readonly rules: readonly ScriptRule[] }
  | { readonly kind: "provider"; readonly provider: Provider; readonly model: string };

export interface EngineEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly scripts: (file: string) => readonly ScriptRule[];
  readonly onRetry: (notice: RetryNotice) => void;
  readonly clock?: RetryClock;
}

/** `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`, `compatible:llama3.1` (with OPENAI_BASE_URL), `sim`, `scripted:FILE`. */
export function parseEngineFlag(flag: string): { override: Exclude<EngineOverride, { kind: "scripted" }> } | { scripted: string } | { error: string } {
  if (flag === "sim") return { override: { kind: "sim" } };
  const colon = flag.indexOf(":");
  const head = colon < 0 ? flag : flag.slice(0, colon);
  const rest = colon < 0 ? "" : flag.slice(colon + 1);
  if (head === "scripted") return rest ? { scripted: rest } : { error: "--engine scripted:FILE needs the path of a replies file" };
  if (head === "openai" || head === "anthropic" || head === "compatible") {
    return rest ? { override: { kind: "provider", provider: head, model: rest } } : { error: `--engine ${head}:MODEL needs a model name` };
  }
  return { error: `--engine ${flag}: expected sim, scripted:FILE, openai:MODEL, anthropic:MODEL or compatible:MODEL` };
}

/**
 * One engine per declared engine. The simulator and scripted overrides serve all of them with one instance, so a
 * scripted file's sequences of replies run in the order the program asks, whichever engine asks.
 */
export async function createEngines(
  specs: readonly EngineSpec[],
  override: EngineOverride | undefined,
  environment: EngineEnvironment,
): Promise<Map<string, Engine>> {
  const shared =
    override?.kind === "sim"
      ? new SimEngine()
      : override?.kind === "scripted"
        ? new ScriptedEngine(`scripted:${override.file}`, override.rules)
        : undefined;
  const engines = new Map<string, Engine>();
  for (const spec of specs) {
    const effective: EngineSpec =
      override?.kind === "provider"
        ? { ...spec, provider: override.provider, args: override.provider === "compatible" ? [environment.env.OPENAI_BASE_URL ?? "", override.model] : [override.model] }
        : spec;
    engines.set(spec.name, shared ?? (await createEngine(effective, environment)));
  }
  return engines;
}

function keyFor(spec: EngineSpec, variable: string | undefined, env: EngineEnvironment["env"], required: boolean): string {
  const key = variable === undefined ? undefined : env[variable];
  if (key) return key;
  if (!required) return "unused"; // a local server that asks for no key; the SDK insists on some string
  throw new EngineError(
    `engine '${spec.name}' (${spec.provider} ${spec.args.at(-1) ?? ""}) needs an API key: set ${variable}`,
    spec.name,
    "or run offline with --engine sim",
  );
}

async function createEngine(spec: EngineSpec, environment: EngineEnvironment): Promise<Engine> {
  const { env } = environment;
  const policy = {
    ...defaultRetryPolicy,
    ...(spec.connection.timeoutMs !== undefined ? { timeoutMs: spec.connection.timeoutMs } : {}),
    ...(spec.connection.attempts !== undefined ? { attempts: spec.connection.attempts } : {}),
  };
  const retrying = (engine: Engine) => new RetryingEngine(engine, policy, environment.onRetry, environment.clock);
  switch (spec.provider) {
    case "sim":
      return new SimEngine(spec.args[0] ? `sim:${spec.args[0]}` : "sim");
    case "scripted":
      return new ScriptedEngine(`scripted:${spec.args[0]}`, environment.scripts(spec.args[0]!));
    case "openai": {
      const variable = spec.connection.keyEnv ?? "OPENAI_API_KEY";
      const { openAIEngine } = await import("./providers/openai.js");
      const model = spec.args[0]!;
      return retrying(
        await openAIEngine({ id: `openai:${model}`, model, apiKey: keyFor(spec, variable, env, true), baseURL: env.OPENAI_BASE_URL || undefined, keyVariable: variable, flavor: "openai" }),
      );
    }
    case "compatible": {
      const [baseURL, model] = spec.args as [string, string];
      if (!baseURL) {
        throw new EngineError(`engine '${spec.name}' has no base URL`, spec.name, "give one in compatible(base_url, model), or set OPENAI_BASE_URL with --engine compatible:MODEL");
      }
      const variable = spec.connection.keyEnv;
      const { openAIEngine } = await import("./providers/openai.js");
      return retrying(
        await openAIEngine({ id: `compatible:${model}`, model, apiKey: keyFor(spec, variable, env, variable !== undefined), baseURL, keyVariable: variable, flavor: "compatible" }),
      );
    }
    case "anthropic": {
      const variable = spec.connection.keyEnv ?? "ANTHROPIC_API_KEY";
      const { anthropicEngine } = await import("./providers/anthropic.js");
      const model = spec.args[0]!;
      return retrying(
        await anthropicEngine({ id: `anthropic:${model}`, model, apiKey: keyFor(spec, variable, env, true), baseURL: env.ANTHROPIC_BASE_URL || undefined, keyVariable: variable }),
      );
    }
    default:
      throw new EngineError(`unknown provider '${spec.provider}'`, spec.name);
  }
}
