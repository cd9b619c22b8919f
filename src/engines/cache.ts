// The response cache: replies stored on disk under the SHA-256 of everything the provider sees (the engine id, which
// names provider and model, the messages, every sampling option, and the sample index), so a change of model,
// temperature or any message is never served a stale reply. One JSON file per entry, sharded by the first two hex
// characters of the key; writes go to a unique temp file in the same folder and are renamed into place, so a crash
// leaves no half-written entry and several processes can share one folder (the last rename wins; the contents of a
// key's entry are the same reply either way). A corrupt or partial entry reads as a miss and is replaced.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EngineError, type Engine, type EngineReply, type EngineRequest, type Usage } from "./engine.js";

/** Bumped when the key or the entry format changes: old entries then simply miss. */
export const CACHE_FORMAT_VERSION = 1;

/** Where the CLI keeps the cache, relative to the working directory. */
export const DEFAULT_CACHE_DIR = ".tgc-cache/responses";

/** A stored entry. Nothing secret: requests carry no keys, and no headers are stored. */
export interface CacheEntry {
  readonly v: number;
  readonly key: string;
  readonly engine: string;
  readonly purpose: string;
  readonly created: string;
  readonly reply: { readonly text: string; readonly usage: Usage; readonly finishReason: EngineReply["finishReason"] };
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly byEngine: Record<string, number>;
}

/** JSON with object keys sorted and undefined properties left out, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

/**
 * The key of a request to an engine: 64 hex characters. `context` is left out: it is what the messages were built
 * from and the provider never sees it. A `variant` of undefined is left out, so it differs from `variant: 0`.
 */
export function cacheKey(engineId: string, request: EngineRequest): string {
  const material = { v: CACHE_FORMAT_VERSION, engine: engineId, messages: request.messages, options: request.options, variant: request.variant };
  return createHash("sha256").update(canonicalJson(material)).digest("hex");
}

const finishReasons: ReadonlySet<string> = new Set(["stop", "length", "refusal", "other"]);
const isCount = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;

/** The entry if the text is a well-formed entry for this key, else undefined (a miss). */
function parseEntry(text: string, key: string): CacheEntry | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object") return undefined;
  const entry = data as Partial<Record<keyof CacheEntry, unknown>>;
  if (entry.v !== CACHE_FORMAT_VERSION || entry.key !== key || typeof entry.engine !== "string") return undefined;
  const reply = entry.reply as { text?: unknown; usage?: Partial<Record<keyof Usage, unknown>>; finishReason?: unknown } | null | undefined;
  if (!reply || typeof reply !== "object" || typeof reply.text !== "string") return undefined;
  if (typeof reply.finishReason !== "string" || !finishReasons.has(reply.finishReason)) return undefined;
  const usage = reply.usage;
  if (!usage || typeof usage !== "object" || !isCount(usage.inputTokens) || !isCount(usage.outputTokens)) return undefined;
  if (usage.cachedInputTokens !== undefined && !isCount(usage.cachedInputTokens)) return undefined;
  return data as CacheEntry;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT";
const entryName = /^[0-9a-f]{64}\.json$/;
/** Temp files older than this are leftovers of a crash, which `clear` removes. */
const staleTempMs = 10 * 60_000;

/** A folder of cached replies. Synchronous file access throughout: simple, and atomic per call within a process. */
export class ResponseCache {
  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(engineId: string, request: EngineRequest): CacheEntry | undefined {
    const key = cacheKey(engineId, request);
    let text: string;
    try {
      text = readFileSync(this.pathOf(key), "utf8");
    } catch {
      return undefined; // absent, or unreadable: a miss either way (a put then replaces it if it can)
    }
    return parseEntry(text, key);
  }

  /** Stores a reply (replacing any entry, corrupt or not) and returns its key. */
  put(engineId: string, request: EngineRequest, reply: EngineReply): string {
    const key = cacheKey(engineId, request);
    const { text, usage, finishReason } = reply;
    const entry: CacheEntry = { v: CACHE_FORMAT_VERSION, key, engine: engineId, purpose: request.context.purpose, created: new Date().toISOString(), reply: { text, usage, finishReason } };
    const path = this.pathOf(key);
    mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(entry, null, 2) + "\n");
      renameSync(temp, path);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    return key;
  }

  /** Every entry file, with its shard; none if the folder does not exist. */
  private files(): { path: string; name: string }[] {
    const out: { path: string; name: string }[] = [];
    let shards: string[];
    try {
      shards = readdirSync(this.dir);
    } catch (e) {
      if (isMissing(e)) return out;
      throw e;
    }
    for (const shard of shards.filter((s) => /^[0-9a-f]{2}$/.test(s)).sort()) {
      let names: string[];
      try {
        names = readdirSync(join(this.dir, shard));
      } catch (e) {
        if (isMissing(e) || (e as NodeJS.ErrnoException).code === "ENOTDIR") continue;
        throw e;
      }
      for (const name of names.sort()) out.push({ path: join(this.dir, shard, name), name });
    }
    return out;
  }

  /** Entries, their size on disk, and how many each engine has (unreadable entries count under "(corrupt)"). */
  stats(): CacheStats {
    let entries = 0;
    let bytes = 0;
    const byEngine: Record<string, number> = {};
    for (const { path, name } of this.files()) {
      if (!entryName.test(name)) continue;
      let text: string;
      try {
        bytes += statSync(path).size;
        text = readFileSync(path, "utf8");
      } catch (e) {
        if (isMissing(e)) continue; // cleared or replaced meanwhile
        throw e;
      }
      entries++;
      const engine = parseEntry(text, name.slice(0, 64))?.engine ?? "(corrupt)";
      byEngine[engine] = (byEngine[engine] ?? 0) + 1;
    }
    return { entries, bytes, byEngine };
  }

  /** Removes every entry (and temp files a crash left behind); returns how many entries were removed. */
  clear(): number {
    let removed = 0;
    const now = Date.now();
    for (const { path, name } of this.files()) {
      try {
        if (entryName.test(name)) {
          rmSync(path);
          removed++;
        } else if (name.endsWith(".tmp") && now - statSync(path).mtimeMs > staleTempMs) rmSync(path);
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    return removed;
  }
}

/** Whether a reply is worth keeping: refusals, cut-off-for-other-reasons and empty replies are asked again. */
export function cacheable(reply: EngineReply): boolean {
  return (reply.finishReason === "stop" || reply.finishReason === "length") && reply.text.trim() !== "";
}

export type CacheMode = "use" | "replay";

/**
 * An engine served from the cache where it can be. `use`: a miss calls the inner engine and stores the reply (when
 * `cacheable`); `replay`: a miss is an error, so a CI run is reproducible and costs nothing. A hit returns the recorded
 * reply with `cached: true` and its recorded usage (so accounting can show what was saved; the cost layer counts it
 * as free). The CLI applies this to real providers only, outside their retries: scripted replies depend on the order
 * of calls and must not be cached, and caching the simulator is pointless. Nothing is special-cased here.
 * A failure to store (a full disk, a read-only folder) does not fail the call: it is reported to `onStoreError`.
 */
export class CachingEngine implements Engine {
  readonly id: string;
  readonly simulated: boolean;

  constructor(
    private readonly inner: Engine,
    private readonly cache: ResponseCache,
    private readonly mode: CacheMode,
    private readonly onStoreError: (error: Error) => void = () => {},
    /** Where the engine's server is, when not the provider's own: two servers serving one model name differ. */
    scope?: string,
  ) {
    this.id = inner.id;
    this.simulated = inner.simulated;
    this.cacheId = scope ? `${inner.id}@${scope}` : inner.id;
  }

  /** The engine as the cache knows it: its id, and its server when that is not the provider's own. */
  private readonly cacheId: string;

  async complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
    const hit = this.cache.get(this.cacheId, request);
    if (hit) return { ...hit.reply, cached: true };
    if (this.mode === "replay") {
      throw new EngineError(
        `${this.id}: a ${request.context.purpose} request is not in the cache (key ${cacheKey(this.cacheId, request).slice(0, 12)}) and --replay allows no calls`,
        this.id,
        "run once without --replay to record it, or check that the program and options are unchanged",
      );
    }
    const reply = await this.inner.complete(request, signal);
    if (cacheable(reply)) {
      try {
        this.cache.put(this.cacheId, request, reply);
      } catch (e) {
        this.onStoreError(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return { ...reply, cached: false };
  }
}
