// The response cache: replies stored on disk under the SHA-256 of everything the provider sees (the engine id, which
// names provider and model, the messages with their tool calls and results, the tools offered, every sampling option,
// and the sample index), so a change of model, temperature, tool or any message is never served a stale reply.
// Embeddings are stored the same way, under the engine id and the texts. One JSON file per entry, sharded by the first two hex
// characters of the key; writes go to a unique temp file in the same folder and are renamed into place, so a crash
// leaves no half-written entry and several processes can share one folder (the last rename wins; the contents of a
// key's entry are the same reply either way). A corrupt or partial entry reads as a miss and is replaced.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EngineError, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest, type ToolCall, type Usage } from "./engine.js";

/** Bumped when the key or the entry format changes: old entries then simply miss. 2: tools, tool calls, embeddings. */
export const CACHE_FORMAT_VERSION = 2;

/** Where the CLI keeps the cache, relative to the working directory. */
export const DEFAULT_CACHE_DIR = ".tgc-cache/responses";

interface EntryHead {
  readonly v: number;
  readonly key: string;
  readonly engine: string;
  /** The request's purpose, or "embed". */
  readonly purpose: string;
  readonly created: string;
}

/** A stored reply. Nothing secret: requests carry no keys, and no headers are stored. */
export interface CacheEntry extends EntryHead {
  readonly reply: {
    readonly text: string;
    readonly usage: Usage;
    readonly finishReason: EngineReply["finishReason"];
    readonly toolCalls?: readonly ToolCall[];
  };
}

/** Stored vectors of texts, one per text in order. */
export interface EmbeddingEntry extends EntryHead {
  readonly embedding: { readonly vectors: readonly (readonly number[])[]; readonly usage: Usage };
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
  // No tools and an empty list of them send the same request.
  const tools = request.tools?.length ? request.tools : undefined;
  const material = { v: CACHE_FORMAT_VERSION, engine: engineId, messages: request.messages, tools, options: request.options, variant: request.variant };
  return createHash("sha256").update(canonicalJson(material)).digest("hex");
}

/** The key of texts to embed with an engine: never the key of a completion, whose material has messages. */
export function embeddingKey(engineId: string, texts: readonly string[]): string {
  return createHash("sha256").update(canonicalJson({ v: CACHE_FORMAT_VERSION, engine: engineId, embed: texts })).digest("hex");
}

const finishReasons: ReadonlySet<string> = new Set(["stop", "length", "refusal", "tool_calls", "other"]);
const isCount = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isUsage(value: unknown): boolean {
  if (!isObject(value) || !isCount(value.inputTokens) || !isCount(value.outputTokens)) return false;
  return (value.cachedInputTokens === undefined || isCount(value.cachedInputTokens)) && (value.cacheWriteInputTokens === undefined || isCount(value.cacheWriteInputTokens));
}

const isToolCall = (c: unknown) => isObject(c) && typeof c.id === "string" && typeof c.name === "string" && isObject(c.arguments);

/** The JSON object of a well-formed entry of this format and key, else undefined (a miss). */
function parseHead(text: string, key: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(data) || data.v !== CACHE_FORMAT_VERSION || data.key !== key || typeof data.engine !== "string") return undefined;
  return data;
}

function isReply(reply: unknown): boolean {
  if (!isObject(reply) || typeof reply.text !== "string") return false;
  if (typeof reply.finishReason !== "string" || !finishReasons.has(reply.finishReason) || !isUsage(reply.usage)) return false;
  return reply.toolCalls === undefined || (Array.isArray(reply.toolCalls) && reply.toolCalls.every(isToolCall));
}

function isEmbedding(embedding: unknown, count: number | undefined): boolean {
  if (!isObject(embedding) || !isUsage(embedding.usage) || !Array.isArray(embedding.vectors)) return false;
  if (count !== undefined && embedding.vectors.length !== count) return false;
  return embedding.vectors.every((v: unknown) => Array.isArray(v) && v.every((x: unknown) => typeof x === "number" && Number.isFinite(x)));
}

/** The entry if the text is a well-formed reply entry for this key, else undefined (a miss). */
function parseEntry(text: string, key: string): CacheEntry | undefined {
  const data = parseHead(text, key);
  return data && isReply(data.reply) ? (data as unknown as CacheEntry) : undefined;
}

/** The entry if the text is a well-formed embedding entry for this key (and `count` texts), else undefined. */
function parseEmbeddingEntry(text: string, key: string, count: number | undefined): EmbeddingEntry | undefined {
  const data = parseHead(text, key);
  return data && isEmbedding(data.embedding, count) ? (data as unknown as EmbeddingEntry) : undefined;
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

  private read(key: string): string | undefined {
    try {
      return readFileSync(this.pathOf(key), "utf8");
    } catch {
      return undefined; // absent, or unreadable: a miss either way (a put then replaces it if it can)
    }
  }

  get(engineId: string, request: EngineRequest): CacheEntry | undefined {
    const key = cacheKey(engineId, request);
    const text = this.read(key);
    return text === undefined ? undefined : parseEntry(text, key);
  }

  /** Stores a reply (replacing any entry, corrupt or not) and returns its key. */
  put(engineId: string, request: EngineRequest, reply: EngineReply): string {
    const key = cacheKey(engineId, request);
    const { text, usage, finishReason, toolCalls } = reply;
    const stored: CacheEntry["reply"] = { text, usage, finishReason, ...(toolCalls?.length ? { toolCalls } : {}) };
    this.write(key, { v: CACHE_FORMAT_VERSION, key, engine: engineId, purpose: request.context.purpose, created: new Date().toISOString(), reply: stored });
    return key;
  }

  getEmbedding(engineId: string, texts: readonly string[]): EmbeddingEntry | undefined {
    const key = embeddingKey(engineId, texts);
    const text = this.read(key);
    return text === undefined ? undefined : parseEmbeddingEntry(text, key, texts.length);
  }

  /** Stores the vectors of texts (replacing any entry) and returns its key. */
  putEmbedding(engineId: string, texts: readonly string[], reply: EmbeddingReply): string {
    const key = embeddingKey(engineId, texts);
    const entry: EmbeddingEntry = { v: CACHE_FORMAT_VERSION, key, engine: engineId, purpose: "embed", created: new Date().toISOString(), embedding: { vectors: reply.vectors, usage: reply.usage } };
    this.write(key, entry);
    return key;
  }

  private write(key: string, entry: CacheEntry | EmbeddingEntry): void {
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
      const key = name.slice(0, 64);
      const engine = (parseEntry(text, key) ?? parseEmbeddingEntry(text, key, undefined))?.engine ?? "(corrupt)";
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

/**
 * Whether a reply is worth keeping: text that stopped or was cut off at `max_tokens`, or tool calls. Refusals,
 * replies cut off for other reasons and empty ones are asked again.
 */
export function cacheable(reply: EngineReply): boolean {
  if (reply.finishReason === "tool_calls") return (reply.toolCalls?.length ?? 0) > 0;
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
    const embed = inner.embed?.bind(inner);
    if (embed) this.embed = (texts, signal) => this.embedCached(embed, texts, signal);
  }

  /** Embeds through the cache, as `complete` does; present when the inner engine embeds. */
  readonly embed?: (texts: readonly string[], signal?: AbortSignal) => Promise<EmbeddingReply>;

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

  private async embedCached(
    embed: (texts: readonly string[], signal?: AbortSignal) => Promise<EmbeddingReply>,
    texts: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<EmbeddingReply> {
    const hit = this.cache.getEmbedding(this.cacheId, texts);
    if (hit) return { ...hit.embedding, cached: true };
    if (this.mode === "replay") {
      throw new EngineError(
        `${this.id}: embeddings of ${texts.length} text${texts.length === 1 ? "" : "s"} are not in the cache (key ${embeddingKey(this.cacheId, texts).slice(0, 12)}) and --replay allows no calls`,
        this.id,
        "run once without --replay to record them, or check that the program, its data and options are unchanged",
      );
    }
    const reply = await embed(texts, signal);
    if (reply.vectors.length === texts.length && texts.length > 0) {
      try {
        this.cache.putEmbedding(this.cacheId, texts, reply);
      } catch (e) {
        this.onStoreError(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return { ...reply, cached: false };
  }
}
