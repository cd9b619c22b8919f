// Choosing the engine that serves each engine a program declares: a provider (its SDK loaded only now), the
// simulator or scripted replies; `--engine` can replace them all. Keys come from the environment and are handed
// to the SDK only: they never reach an id, a message, an event or a file.
import { CachingEngine, type CacheMode, type ResponseCache } from "./cache.js";
import { BudgetedEngine, type Budget, type Meter } from "./cost.js";
import { EngineError, type Engine } from "./engine.js";
import { LimitedEngine, Limiter, type Limits } from "./limits.js";
import { defaultRetryPolicy, RetryingEngine, type RetryClock, type RetryNotice } from "./retry.js";
import { ScriptedEngine, type ScriptRule } from "./scripted.js";
import { SimEngine } from "./sim/index.js";

export interface EngineSpec {
  readonly name: string;
  readonly provider: string;
  readonly args: readonly string[];
  readonly connection: {
    readonly keyEnv?: string;
    readonly timeoutMs?: number;
    readonly attempts?: number;
    readonly concurrency?: number;
    readonly requestsPerMinute?: number;
    readonly tokensPerMinute?: number;
  };
}

export type Provider = "openai" | "anthropic" | "compatible";

/**
 * The name an engine goes by in events, the cache, the meter and the price table: `openai:gpt-4o`,
 * `compatible:llama3.1`, `sim`, `scripted:FILE`. A pure function of the declaration, so that an estimate can be
 * priced before any engine is created (creating one needs its key).
 */
export function engineId(spec: Pick<EngineSpec, "provider" | "args">): string {
  switch (spec.provider) {
    case "sim":
      return spec.args[0] ? `sim:${spec.args[0]}` : "sim";
    case "scripted":
      return `scripted:${spec.args[0] ?? ""}`;
    default:
      return `${spec.provider}:${spec.args.at(-1) ?? ""}`; // the model: compatible's second argument, the others' only one
  }
}

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
  /** Calls in flight per engine, for engines that do not set `concurrency` themselves (`--concurrency`). */
  readonly concurrency: number;
  /** Counts every call's tokens and cost; with a budget, refuses a call that could exceed it. */
  readonly meter?: { readonly meter: Meter; readonly budget: Budget };
  /** The response cache, for real providers only (scripted replies depend on call order; the simulator is free). */
  readonly cache?: { readonly cache: ResponseCache; readonly mode: CacheMode; readonly onStoreError?: (e: Error) => void };
  /** Wraps each engine inside its limits, where a call is really under way (the CLI counts calls in flight). */
  readonly track?: (engine: Engine) => Engine;
}

/**
 * The layers around a provider, outermost first: cache (a hit makes no call and costs nothing), budget and meter,
 * limits (calls in flight, per-minute rates), retries, the provider. Hits are recorded in the meter as what they
 * saved.
 */
function layered(engine: Engine, environment: EngineEnvironment, real: boolean, connection: EngineSpec["connection"] = {}, server?: string): Engine {
  const limits: Limits = {
    concurrency: connection.concurrency ?? environment.concurrency,
    ...(connection.requestsPerMinute !== undefined ? { requestsPerMinute: connection.requestsPerMinute } : {}),
    ...(connection.tokensPerMinute !== undefined ? { tokensPerMinute: connection.tokensPerMinute } : {}),
  };
  const limited = new LimitedEngine(environment.track ? environment.track(engine) : engine, new Limiter(limits));
  const metered = environment.meter ? new BudgetedEngine(limited, environment.meter.meter, environment.meter.budget) : limited;
  const c = environment.cache;
  if (!real || !c) return metered;
  const cached = new CachingEngine(metered, c.cache, c.mode, c.onStoreError, server === undefined ? undefined : serverScope(server));
  const meter = environment.meter?.meter;
  if (!meter) return cached;
  const embed = cached.embed;
  return {
    id: cached.id,
    simulated: cached.simulated,
    async complete(request, signal) {
      const reply = await cached.complete(request, signal);
      if (reply.cached) meter.recordHit(cached.id, request.context.purpose, reply.usage);
      return reply;
    },
    ...(embed
      ? {
          async embed(texts: readonly string[], signal?: AbortSignal) {
            const reply = await embed(texts, signal);
            if (reply.cached) meter.recordHit(cached.id, "embed", reply.usage);
            return reply;
          },
        }
      : {}),
  };
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
      ? layered(new SimEngine(), environment, false)
      : override?.kind === "scripted"
        ? layered(new ScriptedEngine(`scripted:${override.file}`, override.rules), environment, false)
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

/** A server's address without credentials, as part of the cache's idea of an engine. */
function serverScope(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    return url;
  }
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
  const retrying = (engine: Engine, server: string | undefined) =>
    layered(new RetryingEngine(engine, policy, environment.onRetry, environment.clock), environment, true, spec.connection, server);
  switch (spec.provider) {
    case "sim":
      return layered(new SimEngine(engineId(spec)), environment, false, spec.connection);
    case "scripted":
      return layered(new ScriptedEngine(engineId(spec), environment.scripts(spec.args[0]!)), environment, false, spec.connection);
    case "openai": {
      const variable = spec.connection.keyEnv ?? "OPENAI_API_KEY";
      const { openAIEngine } = await import("./providers/openai.js");
      const model = spec.args[0]!;
      return retrying(
        await openAIEngine({ id: engineId(spec), model, apiKey: keyFor(spec, variable, env, true), baseURL: env.OPENAI_BASE_URL || undefined, keyVariable: variable, flavor: "openai" }),
        env.OPENAI_BASE_URL || undefined,
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
        await openAIEngine({ id: engineId(spec), model, apiKey: keyFor(spec, variable, env, variable !== undefined), baseURL, keyVariable: variable, flavor: "compatible" }),
        baseURL,
      );
    }
    case "anthropic": {
      const variable = spec.connection.keyEnv ?? "ANTHROPIC_API_KEY";
      const { anthropicEngine } = await import("./providers/anthropic.js");
      const model = spec.args[0]!;
      return retrying(
        await anthropicEngine({ id: engineId(spec), model, apiKey: keyFor(spec, variable, env, true), baseURL: env.ANTHROPIC_BASE_URL || undefined, keyVariable: variable }),
        env.ANTHROPIC_BASE_URL || undefined,
      );
    }
    default:
      throw new EngineError(`unknown provider '${spec.provider}'`, spec.name);
  }
}
