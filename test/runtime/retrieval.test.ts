// Retrieval: passages cut as declared, BM25 ranking with a known best passage, the embeddings stand-in, the index
// stored by the corpus's content and read back, problems as diagnostics, and gradients through retrieval.
import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engines/engine.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import type { CorpusConfig } from "../../src/ir/graph.js";
import { chunkDocument, Retrieval, type IndexStore } from "../../src/runtime/retrieval.js";
import { RuntimeFailure } from "../../src/runtime/context.js";
import { memoryData, ofType, runSource } from "./harness.js";

const range = { file: "main.tg", start: 0, end: 0 };
const corpus = (over: Partial<CorpusConfig> = {}): CorpusConfig => ({
  name: "notes",
  format: "files",
  path: "notes/*.md",
  module: "main.tg",
  chunk: 60,
  overlap: 10,
  textKey: "text",
  sourceKey: "id",
  embed: undefined,
  range,
  ...over,
});

const notes: Record<string, string> = {
  "notes/tides.md": "Spring tides come twice a month, when the sun and the moon pull in line.",
  "notes/lighthouse.md": "The Varn Island lighthouse was designed by Ilse Marrow and first lit in 1891.",
  "notes/marrow.md": "Ilse Marrow was born in Kessby, a fishing village on the east coast.",
  "notes/ferries.md": "The island ferry leaves the harbour every morning at seven, except in storms.",
};

const host = memoryData;

class CountingStore implements IndexStore {
  readonly entries = new Map<string, string>();
  reads = 0;
  writes = 0;
  read(key: string) {
    this.reads++;
    return this.entries.get(key);
  }
  write(key: string, text: string) {
    this.writes++;
    this.entries.set(key, text);
  }
}

const retrieval = (config: CorpusConfig, files = notes, store?: IndexStore, engines = new Map<string, Engine>()) =>
  new Retrieval(new Map([[config.name, config]]), host(files), store, engines);

describe("chunkDocument", () => {
  it("cuts passages of `chunk` words that repeat `overlap` words, keeping the text as written", () => {
    const text = "one two three\nfour five six seven";
    expect(chunkDocument("a.md", text, 3, 1)).toEqual([
      { source: "a.md#1", text: "one two three" },
      { source: "a.md#2", text: "three\nfour five" },
      { source: "a.md#3", text: "five six seven" },
    ]);
    expect(chunkDocument("b.md", "short text", 10, 2)).toEqual([{ source: "b.md", text: "short text" }]);
    expect(chunkDocument("c.md", "   ", 10, 2)).toEqual([]);
  });
});

describe("Retrieval", () => {
  it("ranks the passage that answers the query first (BM25), best first, with scores", async () => {
    const { passages, index } = await retrieval(corpus()).search("notes", "where was Ilse Marrow born", 2);
    expect(index).toBe("bm25");
    expect(passages.map((p) => p.source)).toEqual(["notes/marrow.md", "notes/lighthouse.md"]);
    expect(passages[0]!.score).toBeGreaterThan(passages[1]!.score);
    expect((await retrieval(corpus()).search("notes", "when does the ferry leave", 1)).passages[0]!.source).toBe("notes/ferries.md");
  });

  it("ranks by an engine's embeddings when the corpus names one (here the simulator's stand-in)", async () => {
    const r = retrieval(corpus({ embed: "e" }), notes, undefined, new Map([["e", new SimEngine()]]));
    const { passages, index } = await r.search("notes", "Marrow birthplace Kessby village", 1);
    expect(index).toBe("embeddings:sim");
    expect(passages[0]!.source).toBe("notes/marrow.md");
  });

  it("builds an index once, stores it by the passages' content, and a later run reads it instead", async () => {
    const store = new CountingStore();
    const first = retrieval(corpus(), notes, store);
    await first.search("notes", "lighthouse", 1);
    await first.search("notes", "ferry", 1);
    expect(store.writes).toBe(1);
    const later = await retrieval(corpus(), notes, store).search("notes", "lighthouse", 1);
    expect(store.writes).toBe(1);
    expect(later.passages[0]!.source).toBe("notes/lighthouse.md");
    // Changed content is another key: built and stored again.
    await retrieval(corpus(), { ...notes, "notes/tides.md": "Neap tides are weaker." }, store).search("notes", "tides", 1);
    expect(store.writes).toBe(2);
    // A damaged entry is rebuilt, not trusted; so is a well-formed one that does not hold these passages.
    const keys = [...store.entries.keys()];
    for (const k of keys) store.entries.set(k, "{not json");
    expect((await retrieval(corpus(), notes, store).search("notes", "ferry", 1)).passages[0]!.source).toBe("notes/ferries.md");
    const empty = new (await import("minisearch")).default({ fields: ["text"] });
    for (const k of keys) store.entries.set(k, JSON.stringify(empty));
    expect((await retrieval(corpus(), notes, store).search("notes", "ferry", 1)).passages[0]!.source).toBe("notes/ferries.md");
  });

  it("reads a JSONL corpus by the keys it names", async () => {
    const files = { "facts.jsonl": '{"title": "Kessby", "body": "Kessby is a fishing village."}\n{"title": "Fellgate", "body": "Fellgate has a mill."}\n' };
    const { passages } = await retrieval(corpus({ format: "jsonl", path: "facts.jsonl", textKey: "body", sourceKey: "title" }), files).search("notes", "mill", 1);
    expect(passages).toEqual([{ source: "Fellgate", text: "Fellgate has a mill.", score: expect.any(Number) }]);
  });

  it("reports a corpus it cannot read as TG4009, naming what is wrong", async () => {
    const failure = (c: CorpusConfig, files = notes) => retrieval(c, files).search("notes", "x", 1).catch((e: unknown) => e);
    const none = await failure(corpus({ path: "missing/*.md" }));
    expect(none).toBeInstanceOf(RuntimeFailure);
    expect((none as RuntimeFailure).code).toBe("TG4009");
    expect((none as RuntimeFailure).message).toMatch(/no file matches "missing\/\*\.md"/);
    const bad = await failure(corpus({ format: "jsonl", path: "f.jsonl" }), { "f.jsonl": '{"text": "ok"}\n{"body": 1}\n' });
    expect((bad as RuntimeFailure).message).toMatch(/line 2 of f.jsonl has no text under "text"/);
    const noEmbed = await failure(corpus({ embed: "e" }));
    expect((noEmbed as RuntimeFailure).message).toMatch(/engine 'e' \(absent\) has no embeddings endpoint/);
  });
});

describe("retrieve in a program", () => {
  const source = `
    engine e = sim()
    corpus notes = files("notes/*.md") { chunk: 60, overlap: 10 }
    trainable query_prompt: "instructions for writing a search query" = "Write a short search query for the question."
    fn answer(q: text) -> text {
      let found = retrieve(notes, call e { system: query_prompt, user: q }, 1)
      call e { system: "Answer the question from the passages.", user: "Question: {q}\\nPassages:\\n{found}" }
    }
    loss judge = rubric e on answer("Where was the designer of the Varn Island lighthouse born?") given "Kessby" "Right?"
    optimize query_prompt using tgd(engine: e) { steps: 1, minimize: judge }`;

  it("records the passages with their scores, and sends the query's writer what the passages lacked", async () => {
    const { events, engine } = await runSource(source, { files: notes });
    const [retrieved] = ofType(events, "retrieval");
    expect(retrieved).toMatchObject({ corpus: "notes", index: "bm25", query: "designer varn island lighthouse born" });
    expect(retrieved!.passages[0]).toMatchObject({ source: "notes/lighthouse.md", text: notes["notes/lighthouse.md"] });
    // The backward request from the retrieve step to the call that wrote its query carries the passages.
    const through = engine.requests.find((r) => r.context.purpose === "backward" && r.context.process?.kind === "retrieval");
    expect(through?.context).toMatchObject({ relation: "argument", variable: "designer varn island lighthouse born" });
    expect(through!.messages.at(-1)!.content).toContain("What do the passages lack that the feedback asks for?");
    const gradient = ofType(events, "gradient").find((g) => g.fromLabel === "answer: retrieve notes");
    expect(gradient?.text).toMatch(/They mention Varn Island, Ilse Marrow, but the query does not/);
    // …and it reaches the trainable prompt that wrote the query, as an instruction to search further.
    const [update] = ofType(events, "update");
    expect(update!.after).toContain("Search for what the passages so far leave open");
  });
});
