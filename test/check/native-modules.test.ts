// A host may name modules whose `extern fn`s an application implements natively (the embedding API does); any other
// module outside std/ still may not declare them (TG2015).
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost, type ModuleHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";

const files = {
  "app/scoring": 'extern fn keyword_score(response: text, keywords: text) -> metric "the share of the keywords mentioned"\n',
  "main.tg": [
    'import { keyword_score } from "app/scoring"',
    'engine e = sim()',
    'trainable answer: "an answer" = "hello"',
    'data qa = jsonl("qa.jsonl") { question: text, keywords: text }',
    'loss critique = rubric e on answer """Point out what is missing."""',
    "optimize answer using tgd(engine: e) {",
    "  steps: 1",
    "  minimize: critique",
    "  validate: qa by keyword_score(answer, ex.keywords)",
    "}",
    "",
  ].join("\n"),
};

const codes = (host: ModuleHost) => check("main.tg", files["main.tg"], host).diagnostics.map((d) => `${d.code} ${d.range.file}`);

describe("native modules", () => {
  it("an extern fn outside std/ is TG2015 unless the host says the module is native", () => {
    expect(codes(memoryHost(files))).toContain("TG2015 app/scoring");
    const host: ModuleHost = { ...memoryHost(files), nativeModule: (id) => id === "app/scoring" };
    expect(codes(host).filter((c) => c.startsWith("TG2015"))).toEqual([]);
  });

  it("a call to a native module's function lowers to a node that names the module", () => {
    const host: ModuleHost = { ...memoryHost(files), nativeModule: (id) => id === "app/scoring" };
    const { checked, diagnostics } = check("main.tg", files["main.tg"], host);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const metric = lowerToGraph(checked).nodes.find((n) => n.kind === "metric");
    expect(metric).toMatchObject({ module: "app/scoring", native: "keyword_score" });
  });
});
