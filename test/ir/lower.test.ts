import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { toDot, toMermaid } from "../../src/ir/export.js";
import { dependsOnTrainable, inputsOf, subgraph, type Graph, type GraphNode } from "../../src/ir/graph.js";
import { lowerToGraph } from "../../src/ir/lower.js";

const metrics = readFileSync(join(import.meta.dirname, "../../stdlib/metrics.tg"), "utf8");

function lower(source: string): Graph {
  const { checked, diagnostics } = check("main.tg", source, memoryHost({ "main.tg": source, "std/metrics": metrics }));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return lowerToGraph(checked);
}

const kinds = (g: Graph, ids: readonly number[]) => ids.map((id) => g.nodes[id]!.kind);

describe("lowerToGraph", () => {
  const program = `
    import { exact_number } from "std/metrics"
    engine e = sim() { temperature: 0 }
    data train = jsonl("t.jsonl") { question: text, answer: text }
    trainable system: "system prompt" = "Solve it."
    frozen style: "style" = "Be brief."
    fn solve(question: text) -> text {
      let draft = call e { system: "{system} {style}", user: question }
      call e { system: "Polish.", user: draft, max_tokens: 50 }
    }
    loss judge(ex) = rubric e on solve(ex.question) given ex.answer "compare"
    loss rule(ex) = "expected {ex.answer}" unless exact_number(solve(ex.question), ex.answer)
    optimize system using tgd(engine: e, momentum: 3) {
      data: train
      batch: 2
      minimize: 0.5 * judge + rule
      validate: train by exact_number(solve(ex.question), ex.answer), keep best
    }`;

  it("orders ids topologically: every input has a smaller id", () => {
    const g = lower(program);
    for (const n of g.nodes) for (const i of inputsOf(n)) expect(i.node).toBeLessThan(n.id);
  });

  it("inlines functions and shares identical nodes across losses and the metric", () => {
    const g = lower(program);
    const calls = g.nodes.filter((n) => n.kind === "llm_call");
    expect(calls).toHaveLength(2); // draft and polish, shared by judge, rule and the validation metric
    expect(calls.map((c) => c.label)).toEqual(["solve: call e", "solve: call e"]);
    expect(g.nodes.filter((n) => n.kind === "input").map((n) => (n as Extract<GraphNode, { kind: "input" }>).field).sort()).toEqual(["answer", "question"]);
    const o = g.optimizations[0]!;
    const metric = g.nodes[o.validate!.metric]!;
    expect(metric.kind).toBe("metric");
    const rule = g.nodes.find((n) => n.kind === "loss" && n.rule.kind === "unless")!;
    if (rule.kind !== "loss" || rule.rule.kind !== "unless") throw new Error("expected a rule loss");
    expect(rule.rule.metric).toBe(o.validate!.metric);
  });

  it("flattens weighted sums into one sum node", () => {
    const g = lower(program);
    const objective = g.nodes[g.optimizations[0]!.objective]!;
    expect(objective.kind).toBe("sum");
    if (objective.kind !== "sum") return;
    expect(objective.terms.map((t) => t.weight)).toEqual([0.5, 1]);
    expect(kinds(g, objective.terms.map((t) => t.node))).toEqual(["loss", "loss"]);
  });

  it("carries options, roles and settings", () => {
    const g = lower(program);
    const polish = g.nodes.filter((n) => n.kind === "llm_call").at(-1)!;
    if (polish.kind !== "llm_call") return;
    expect(polish.options).toEqual({ max_tokens: 50 });
    expect(g.engines.get("e")!.options).toEqual({ temperature: 0 });
    const v = g.variables.get("system")!;
    expect(g.nodes[v.node]).toMatchObject({ kind: "variable", trainable: true, role: "system prompt" });
    expect(g.optimizations[0]).toMatchObject({ data: "train", batch: 2, optimizer: { momentum: 3, engine: "e", retries: 2 } });
  });

  it("marks exactly the nodes that depend on a trainable variable", () => {
    const g = lower(program);
    const needs = dependsOnTrainable(g);
    for (const n of g.nodes) {
      const expected = n.kind === "variable" ? n.trainable : inputsOf(n).some((i) => needs.has(i.node));
      expect(needs.has(n.id), n.label).toBe(expected);
    }
    const style = g.variables.get("style")!;
    expect(needs.has(style.node)).toBe(false);
  });

  it("keeps initializers out of the objective's subgraph", () => {
    const g = lower(`
      engine e = sim()
      frozen q: "q" = "question"
      trainable answer: "answer" = call e { user: q }
      loss l = rubric e on answer given q "judge"
      optimize answer using tgd(engine: e) { minimize: l }`);
    const objective = subgraph(g, [g.optimizations[0]!.objective]);
    expect(kinds(g, objective)).not.toContain("llm_call");
    expect(g.nodes[g.variables.get("answer")!.init]!.kind).toBe("llm_call");
  });

  it("draws DOT and Mermaid with every edge of the objective", () => {
    const g = lower(program);
    const dot = toDot(g);
    const mermaid = toMermaid(g);
    const edges = subgraph(g, [g.optimizations[0]!.objective, g.optimizations[0]!.validate!.metric]).reduce((n, id) => n + inputsOf(g.nodes[id]!).length, 0);
    expect(dot.match(/->/g)).toHaveLength(edges);
    expect(mermaid.match(/-->/g)).toHaveLength(edges);
    expect(mermaid).toContain("class ");
  });
});

describe("names across modules", () => {
  it("keeps same-named engines and variables of different modules apart", () => {
    const lib = `engine e = sim("lib")\nfrozen style: "lib style" = "Lib."\nfn helper(x: text) -> text { call e { system: style, user: x } }\n`;
    const main = `import { helper } from "./lib.tg"
      engine e = sim("main")
      frozen style: "main style" = "Main."
      trainable v: "v" = helper(style)
      loss l = rubric e on v "ok"
      optimize v using tgd(engine: e) { minimize: l }`;
    const { checked, diagnostics } = check("main.tg", main, memoryHost({ "main.tg": main, "lib.tg": lib }));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const g = lowerToGraph(checked);
    expect([...g.engines.keys()].sort()).toEqual(["e", "lib.tg#e"]);
    expect([...g.variables.keys()].sort()).toEqual(["lib.tg#style", "style", "v"]);
    const init = g.nodes[g.variables.get("v")!.init]!;
    expect(init).toMatchObject({ kind: "llm_call", engine: "lib.tg#e" });
    expect(g.optimizations[0]!.optimizer.engine).toBe("e");
  });
});

describe("engine parameters", () => {
  it("bind a function's engine parameter to the engine passed in", () => {
    const g = lower(`
      engine teacher = sim("t")
      engine other = sim("o")
      trainable a: "an answer" = "x"
      fn critique(judge: engine, x: text) -> loss { rubric judge on x "judge it" }
      fn ask(model: engine, x: text) -> text { call model { user: x } }
      loss l = critique(teacher, a) + critique(other, ask(teacher, a))
      optimize a using tgd(engine: teacher) { minimize: l }`);
    const rubrics = g.nodes.filter((n) => n.kind === "loss").map((n) => (n.kind === "loss" && n.rule.kind === "rubric" ? n.rule.engine : ""));
    expect(rubrics.sort()).toEqual(["other", "teacher"]);
    expect(g.nodes.filter((n) => n.kind === "llm_call").map((n) => (n.kind === "llm_call" ? n.engine : ""))).toEqual(["teacher"]);
  });
});
