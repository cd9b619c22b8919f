// Retrieval: a corpus's documents cut into passages, indexed once per run (BM25 through MiniSearch, or the
// vectors of an engine's embeddings endpoint), the index stored by the corpus's content so that a later run with
// the same passages reads it instead of building it, and the k passages that best match a query.
import { createHash } from "node:crypto";
import MiniSearch from "minisearch";
import type { Engine } from "../engines/engine.js";
import type { CorpusConfig } from "../ir/graph.js";
import { RuntimeFailure } from "./context.js";
import type { DataHost } from "./data.js";

export interface Passage {
  /** Where it is from: the file or record, and the passage's number when the document has several. */
  readonly source: string;
  readonly text: string;
}

export interface RetrievedPassage extends Passage {
  readonly score: number;
}

/** Where built indexes are kept between runs; the CLI keeps them in the cache folder's `index/`. */
export interface IndexStore {
  read(key: string): string | undefined;
  write(key: string, text: string): void;
}

/** Bumped when passages, keys or the stored form change: older stored indexes then simply miss. */
const INDEX_VERSION = 1;
/** Texts per embeddings request. */
const EMBED_BATCH = 64;
/** Classic BM25 (MiniSearch's `d: 0` turns its BM25+ into BM25): k1 = 1.2, b = 0.75. */
const BM25 = { k: 1.2, b: 0.75, d: 0 };
const MINISEARCH_OPTIONS = { fields: ["text"], idField: "id", searchOptions: { bm25: BM25 } };

interface Index {
  readonly passages: readonly Passage[];
  /** How it ranks, for the record: `bm25` or `embeddings:<engine id>`. */
  readonly kind: string;
  search(query: string, k: number, signal: AbortSignal | undefined): Promise<RetrievedPassage[]>;
}

const words = (text: string) => [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));

/**
 * A document cut into passages of `chunk` words, each starting `chunk - overlap` words after the one before; the
 * text between a passage's first and last word is kept as written.
 */
export function chunkDocument(source: string, text: string, chunk: number, overlap: number): Passage[] {
  const w = words(text);
  if (w.length === 0) return [];
  const stride = Math.max(1, chunk - overlap);
  const out: Passage[] = [];
  for (let from = 0; ; from += stride) {
    const to = Math.min(w.length, from + chunk);
    out.push({ source, text: text.slice(w[from]!.start, w[to - 1]!.end) });
    if (to >= w.length) break;
  }
  return out.length === 1 ? out : out.map((p, i) => ({ ...p, source: `${source}#${i + 1}` }));
}

/** The documents of a corpus as (source, text), read through the host; a problem is a TG4009 at the declaration. */
export function readDocuments(config: CorpusConfig, host: DataHost): { source: string; text: string }[] {
  const fail = (message: string, hint?: string): never => {
    throw new RuntimeFailure("TG4009", `corpus '${config.name}': ${message}`, config.range, hint);
  };
  if (config.format === "files") {
    const files = host.list?.(config.path, config.module);
    if (files === undefined) fail("this host cannot list files");
    if (files!.length === 0) fail(`no file matches "${config.path}"`, "paths and globs are relative to the file that declares the corpus");
    return files!.map((f) => {
      const text = host.read(f.path);
      return text === undefined ? fail(`cannot read ${f.name}`) : { source: f.name, text };
    });
  }
  const path = host.resolve(config.path, config.module);
  const text = host.read(path);
  if (text === undefined) fail(`cannot read ${config.path}`, "paths are relative to the file that declares the corpus");
  const docs: { source: string; text: string }[] = [];
  text!.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      fail(`line ${i + 1} of ${config.path} is not JSON (${(e as Error).message})`);
    }
    const r = record as Record<string, unknown>;
    const body = typeof r === "object" && r !== null ? r[config.textKey] : undefined;
    if (typeof body !== "string") {
      fail(
        `line ${i + 1} of ${config.path} has no text under "${config.textKey}"${body === undefined ? "" : ` (it holds ${typeof body === "object" ? JSON.stringify(body)?.slice(0, 40) : String(body)})`}`,
        config.textKey === "text" ? 'name the key that holds the text: { text: "body" }' : undefined,
      );
    }
    const name = r[config.sourceKey];
    docs.push({ source: typeof name === "string" || typeof name === "number" ? String(name) : `${config.path}:${i + 1}`, text: body as string });
  });
  if (docs.length === 0) fail(`${config.path} holds no records`);
  return docs;
}

const cosine = (a: readonly number[], b: readonly number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

/** The indexes of one run: each corpus indexed the first time it is searched, then kept. */
export class Retrieval {
  private readonly indexes = new Map<string, Promise<Index>>();

  constructor(
    private readonly corpora: ReadonlyMap<string, CorpusConfig>,
    private readonly host: DataHost | undefined,
    private readonly store: IndexStore | undefined,
    private readonly engines: ReadonlyMap<string, Engine>,
  ) {}

  /** The k passages of a corpus that best match the query, best first, with their scores. */
  async search(corpus: string, query: string, k: number, signal?: AbortSignal): Promise<{ passages: RetrievedPassage[]; index: string }> {
    let index = this.indexes.get(corpus);
    if (!index) {
      index = this.build(corpus, signal);
      this.indexes.set(corpus, index);
      // A failed build is not kept: the failure is reported once, and a later run tries again.
      index.catch(() => this.indexes.delete(corpus));
    }
    const built = await index;
    return { passages: await built.search(query, k, signal), index: built.kind };
  }

  private async build(name: string, signal: AbortSignal | undefined): Promise<Index> {
    const config = this.corpora.get(name);
    if (!config) throw new RuntimeFailure("TG4009", `corpus '${name}' is not declared`, undefined);
    if (!this.host) throw new RuntimeFailure("TG4009", `corpus '${name}': this host cannot read files`, config.range);
    const passages = readDocuments(config, this.host).flatMap((d) => chunkDocument(d.source, d.text, config.chunk, config.overlap));
    if (config.embed === undefined) return this.lexical(passages);
    const engine = this.engines.get(config.embed);
    if (!engine?.embed) {
      throw new RuntimeFailure("TG4009", `corpus '${name}': engine '${config.embed}' (${engine?.id ?? "absent"}) has no embeddings endpoint`, config.range, "Anthropic has none; use an OpenAI or OpenAI-compatible engine, or leave out embed: for BM25");
    }
    return this.dense(passages, engine, signal);
  }

  private key(kind: string, passages: readonly Passage[]): string {
    return createHash("sha256").update(JSON.stringify({ v: INDEX_VERSION, kind, passages })).digest("hex");
  }

  private lexical(passages: readonly Passage[]): Index {
    const key = this.key("bm25", passages);
    const stored = this.store?.read(key);
    let search: MiniSearch | undefined;
    if (stored !== undefined) {
      try {
        search = MiniSearch.loadJSON(stored, MINISEARCH_OPTIONS);
        // Well-formed but not this corpus's (edited, truncated): rebuilt like a damaged one.
        if (search.documentCount !== passages.length) search = undefined;
      } catch {
        search = undefined; // a damaged entry is rebuilt and replaced
      }
    }
    if (!search) {
      search = new MiniSearch(MINISEARCH_OPTIONS);
      search.addAll(passages.map((p, id) => ({ id, text: p.text })));
      this.store?.write(key, JSON.stringify(search));
    }
    const index = search;
    return {
      passages,
      kind: "bm25",
      search: async (query, k) =>
        index
          .search(query)
          .slice(0, k)
          .map((r) => ({ ...passages[r.id as number]!, score: Number(r.score.toFixed(4)) })),
    };
  }

  private async dense(passages: readonly Passage[], engine: Engine, signal: AbortSignal | undefined): Promise<Index> {
    const embed = (texts: readonly string[]) => engine.embed!(texts, signal).then((r) => r.vectors);
    const kind = `embeddings:${engine.id}`;
    const key = this.key(kind, passages);
    let vectors: (readonly number[])[] | undefined;
    const stored = this.store?.read(key);
    if (stored !== undefined) {
      try {
        const parsed = JSON.parse(stored) as unknown;
        const valid = Array.isArray(parsed) && parsed.length === passages.length && parsed.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number"));
        if (valid) vectors = parsed as number[][];
      } catch {
        vectors = undefined;
      }
    }
    if (!vectors) {
      vectors = [];
      for (let i = 0; i < passages.length; i += EMBED_BATCH) vectors.push(...(await embed(passages.slice(i, i + EMBED_BATCH).map((p) => p.text))));
      this.store?.write(key, JSON.stringify(vectors));
    }
    const all = vectors;
    return {
      passages,
      kind,
      search: async (query, k) => {
        const [q] = await embed([query]);
        return passages
          .map((p, i) => ({ ...p, score: Number(cosine(q ?? [], all[i]!).toFixed(4)) }))
          .map((p, i) => ({ p, i }))
          .sort((a, b) => b.p.score - a.p.score || a.i - b.i)
          .slice(0, k)
          .map((x) => x.p);
      },
    };
  }
}

/** Retrieved passages as the text the rest of the program reads: numbered, each with its source. */
export function passagesText(passages: readonly RetrievedPassage[]): string {
  if (passages.length === 0) return "(no passage matches)";
  return passages.map((p, i) => `[${i + 1}] ${p.source}\n${p.text}`).join("\n\n");
}
