import { describe, expect, it } from "vitest";
import type { DataConfig } from "../../src/ir/graph.js";
import { loadDataset, parseCsv, shuffled } from "../../src/runtime/data.js";

const config = (format: DataConfig["format"], fields?: DataConfig["fields"]): DataConfig => ({
  name: "d",
  format,
  path: "d.data",
  module: "main.tg",
  fields,
  range: { file: "main.tg", start: 0, end: 1 },
});
const host = (text: string | undefined) => ({ resolve: (p: string) => p, read: () => text });
const fields: DataConfig["fields"] = [
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
