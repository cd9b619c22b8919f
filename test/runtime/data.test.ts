import { describe, expect, it } from "vitest";
import type { DataConfig, DataField, FileData, SplitPartData } from "../../src/ir/graph.js";
import { jsonErrorLine, loadDataset as load, parseCsv, partSizes, shuffled, type DataHost } from "../../src/runtime/data.js";

const loadDataset = (config: FileData, host: DataHost) => load(config, host, new Map());
const config = (format: FileData["format"], fields?: readonly Omit<DataField, "source">[]): FileData => ({
  kind: "file",
  name: "d",
  format,
  path: "d.data",
  module: "main.tg",
  fields: fields?.map((f) => ({ ...f, source: f.name })),
  range: { file: "main.tg", start: 0, end: 1 },
});
const host = (text: string | undefined) => ({ resolve: (p: string) => p, read: () => text });
const fields: Omit<DataField, "source">[] = [
  { name: "q", type: "text" },
  { name: "n", type: "number" },
];

describe("data sets", () => {
  it("reads JSONL, CSV and JSON with typed fields", () => {
    const jsonl = loadDataset(config("jsonl", fields), host('{"q": "a", "n": 1}\n\n{"q": "b", "n": "2"}\n'));
    expect(jsonl).toEqual({ examples: [{ q: "a", n: 1 }, { q: "b", n: 2 }], diagnostics: [] });
    const csv = loadDataset(config("csv", fields), host('q,n\n"a, with comma",1\n"multi\nline ""quoted""",2\n'));
    expect(csv.examples).toEqual([{ q: "a, with comma", n: 1 }, { q: 'multi\nline "quoted"', n: 2 }]);
    const json = loadDataset(config("json", fields), host('{"examples": [{"q": "a", "n": 3}]}'));
    expect(json.examples).toEqual([{ q: "a", n: 3 }]);
  });

  it("keeps a declared text field that holds JSON as JSON", () => {
    const r = loadDataset(config("jsonl", [{ name: "q", type: "text" }]), host('{"q": {"a": [1, 2]}}\n'));
    expect(r.examples).toEqual([{ q: '{"a":[1,2]}' }]);
  });

  it("names the file and line of each problem", () => {
    const r = loadDataset(config("jsonl", fields), host('{"q": "a", "n": 1}\nnot json\n{"q": "c"}\n{"q": "d", "n": "many"}\n'));
    expect(r.diagnostics.map((d) => [d.code, d.message.split(":").slice(0, 2).join(":")])).toEqual([
      ["TG4003", "d.data:2"],
      ["TG4004", "d.data:3"],
      ["TG4003", "d.data:4"],
    ]);
    expect(loadDataset(config("csv", fields), host("q,n\na,1,extra\n")).diagnostics[0]!.message).toContain("d.data:2: expected 2 fields, found 3");
    expect(loadDataset(config("jsonl"), host(undefined)).diagnostics[0]!.code).toBe("TG4002");
  });

  it("names the line of a JSON file's syntax error", () => {
    const r = loadDataset(config("json", fields), host('{"examples": [\n  {"q": "a", "n": 1},\n  {"q": "b", "n": }\n]}'));
    expect(r.diagnostics.map((d) => d.message.split(": ")[0])).toEqual(["d.data:3"]);
    expect(jsonErrorLine('[1,\n2,\n3')).toBe(3);
    expect(jsonErrorLine('{"a": "unterminated\n}')).toBe(1);
  });

  it("parses CSV line numbers across quoted newlines", () => {
    expect(parseCsv('a\n"x\ny"\nz\n').lines).toEqual([1, 2, 4]);
  });

  it("shuffles the same way for the same seed", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(shuffled(items, 7)).toEqual(shuffled(items, 7));
    expect(shuffled(items, 7)).not.toEqual(shuffled(items, 8));
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items);
  });
});

describe("field mapping", () => {
  const mapped: FileData = {
    ...config("jsonl"),
    fields: [
      { name: "q", type: "text", source: "input" },
      { name: "n", type: "number", source: "target.value" },
      { name: "k", type: "text", source: "a.b" },
    ],
  };
  it("reads a field from another key, a dotted path, or a key with dots in it", () => {
    const r = loadDataset(mapped, host('{"input": "hi", "target": {"value": 3}, "a.b": "dotted", "a": {"b": "nested"}}\n'));
    expect(r).toEqual({ examples: [{ input: "hi", target: '{"value":3}', "a.b": "dotted", a: '{"b":"nested"}', q: "hi", n: 3, k: "dotted" }], diagnostics: [] });
  });
  it("says where it looked for a missing field", () => {
    const r = loadDataset(mapped, host('{"input": "hi", "target": {}, "a.b": "x"}\n'));
    expect(r.diagnostics.map((d) => d.message)).toEqual([`d.data:1: missing field 'n' (read from "target.value")`]);
  });
});

describe("splits", () => {
  const source = config("jsonl", [{ name: "i", type: "number" }]);
  const lines = Array.from({ length: 10 }, (_, i) => `{"i": ${i}}`).join("\n");
  const part = (index: number, sizes: number[], seed = 1): SplitPartData => ({ kind: "split", name: `p${index}`, source: "d", index, sizes, seed, range: source.range });
  const all = (sizes: number[], seed = 1) => new Map<string, DataConfig>([["d", source], ...sizes.map((_, i) => [`p${i}`, part(i, sizes, seed)] as const)]);
  const parts = (sizes: number[], seed = 1) => {
    const configs = all(sizes, seed);
    const cache = new Map();
    return sizes.map((_, i) => load(configs.get(`p${i}`)!, host(lines), configs, cache).examples.map((e) => e["i"]));
  };

  it("cuts the shuffled examples into disjoint parts; fractions that add up to 1 use every example", () => {
    const [train, val, test] = parts([0.6, 0.2, 0.2]);
    expect([train!.length, val!.length, test!.length]).toEqual([6, 2, 2]);
    expect(new Set([...train!, ...val!, ...test!]).size).toBe(10);
    expect(parts([0.6, 0.2, 0.2])).toEqual([train, val, test]); // the same seed, the same parts
    expect(parts([0.6, 0.2, 0.2], 2)).not.toEqual([train, val, test]);
    expect(partSizes([0.33, 0.33, 0.34], 10)).toEqual([3, 3, 4]);
    expect(partSizes([0.5, 0.3], 9)).toEqual([4, 2]);
    expect(partSizes([3, 2], 9)).toEqual([3, 2]);
  });

  it("refuses a split that asks for more examples than there are, or leaves a part empty", () => {
    const configs = all([8, 5]);
    expect(load(configs.get("p0")!, host(lines), configs).diagnostics.map((d) => d.message)).toEqual(["the split of 'd' asks for 13 examples, and it has 10"]);
    const small = all([0.5, 0.04]);
    expect(load(small.get("p1")!, host(lines), small).diagnostics.map((d) => d.message)).toEqual(["'p1' gets no example: d has 10, too few for this share"]);
  });

  it("reports a problem with the source once, not once per part", () => {
    const configs = all([0.5, 0.5]);
    const cache = new Map();
    const broken = host('{"i": 1}\nnot json\n');
    const first = load(configs.get("p0")!, broken, configs, cache);
    const second = load(configs.get("p1")!, broken, configs, cache);
    expect(first.diagnostics).toHaveLength(1);
    expect(second.diagnostics).toEqual([]);
  });
});
