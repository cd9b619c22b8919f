// Checked program → computation graph. Pure: no I/O, no engines. Runs only on programs without errors.
// User functions and losses are inlined at each use with their parameters bound, the way a tracer would see them;
// identical nodes are shared (hash-consing), so `solve(ex.question)` in a loss and in a metric is one call.
import type { CheckedProgram, DeclSymbol, Symbol } from "../check/model.js";
import { DEFAULT_AGENT_STEPS, DEFAULT_CHUNK, DEFAULT_OVERLAP, literalValue } from "../check/options.js";
import type * as A from "../syntax/ast.js";
import { plainText } from "../syntax/strings.js";
import type {
  CorpusConfig,
  DataConfig,
  DataField,
  FileData,
  EngineConfig,
  Graph,
  GraphNode,
  NodeId,
  Optimization,
  SamplingOptions,
  TemplatePart,
  Tool,
  VariableInfo,
} from "./graph.js";

/** An argument as lowered: a node, the current example, or an engine passed to an engine parameter. */
type Argument = NodeId | "example" | { readonly engine: string };

/** What a local name stands for while lowering: a node, or the current example (whose fields become inputs). */
type Binding = { readonly node: NodeId } | { readonly example: true } | { readonly engine: string };

interface Scope {
  readonly bindings: ReadonlyMap<A.Node, Binding>;
  readonly fn: string | undefined;
}

type NewNode = GraphNode extends infer N ? (N extends GraphNode ? Omit<N, "id"> : never) : never;

const samplingKeys = ["temperature", "max_tokens", "top_p", "seed"] as const;

function samplingOptions(entries: readonly A.Entry[]): SamplingOptions {
  const out: { -readonly [K in keyof SamplingOptions]: SamplingOptions[K] } = {};
  for (const e of entries) {
    const v = literalValue(e.value);
    const key = e.key.name;
    if ((samplingKeys as readonly string[]).includes(key) && typeof v === "number") out[key as (typeof samplingKeys)[number]] = v;
    if (key === "stop" && Array.isArray(v)) out.stop = v;
  }
  return out;
}

/** How to reach an engine's provider, from its options; absent options stay absent (the defaults are the engines'). */
function connectionOptions(entries: readonly A.Entry[]): EngineConfig["connection"] {
  const value = (k: string) => {
    const e = entries.find((x) => x.key.name === k);
    return e ? literalValue(e.value) : undefined;
  };
  const number = (k: string, scale = 1) => {
    const v = value(k);
    return typeof v === "number" ? v * scale : undefined;
  };
  const keyEnv = value("key_env");
  const numbers = {
    timeoutMs: number("timeout", 1000),
    attempts: number("attempts"),
    concurrency: number("concurrency"),
    requestsPerMinute: number("rpm"),
    tokensPerMinute: number("tpm"),
  };
  return {
    ...(typeof keyEnv === "string" ? { keyEnv } : {}),
    ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined)),
  };
}

class Lowering {
  readonly nodes: GraphNode[] = [];
  private readonly interned = new Map<string, NodeId>();

  constructor(private readonly checked: CheckedProgram) {}

  private add(node: NewNode): NodeId {
    // Ranges and labels do not make two nodes different; what they compute does.
    const { range: _r, label: _l, role: _ro, fn: _f, ...identity } = node;
    const key = JSON.stringify(identity);
    const found = this.interned.get(key);
    if (found !== undefined) return found;
    const id = this.nodes.length;
    this.nodes.push({ ...node, id } as GraphNode);
    this.interned.set(key, id);
    return id;
  }

  /**
   * The graph's name for a top-level declaration: its own name in the root module, `module#name` in an imported
   * one, so that two modules may each declare an engine or variable of the same name.
   */
  private qualify(module: string, name: string): string {
    if (module === this.checked.root.id) return name;
    const rootDir = this.checked.root.id.slice(0, this.checked.root.id.lastIndexOf("/") + 1);
    return `${rootDir && module.startsWith(rootDir) ? module.slice(rootDir.length) : module}#${name}`;
  }

  /** The graph's name of the engine an identifier stands for: a declared engine, or the one a parameter is bound to. */
  private engineName(id: A.Identifier, scope: Scope): string {
    const s = this.symbol(id);
    if (s.kind === "param") {
      const b = scope.bindings.get(s.decl);
      if (!b || !("engine" in b)) throw new Error(`lowering: '${id.name}' is not bound to an engine`);
      return b.engine;
    }
    return this.qualify(s.module, id.name);
  }

  /** An argument that names an engine (declared, or a parameter holding one) binds its parameter to that engine. */
  private engineArgument(e: A.Expr, scope: Scope): string | undefined {
    if (e.kind !== "NameRef") return undefined;
    const s = this.symbol(e.name);
    if (s.kind === "engine" || (s.kind === "param" && s.type.kind === "engine")) return this.engineName(e.name, scope);
    return undefined;
  }

  private symbol(id: A.Identifier): Symbol {
    const s = this.checked.references.get(id);
    if (!s) throw new Error(`lowering: unresolved name '${id.name}' (the checker should have reported it)`);
    return s;
  }

  variableNode(decl: A.VariableDecl, module: string): NodeId {
    const name = this.qualify(module, decl.name.name);
    return this.add({
      kind: "variable",
      name,
      trainable: decl.trainable,
      role: plainText(decl.role.parts) ?? "",
      label: name,
      range: decl.name.range,
      fn: undefined,
    });
  }

  private text(text: string, range: A.Node["range"], scope: Scope): NodeId {
    return this.add({ kind: "template", parts: [{ text }], role: "fixed text", label: JSON.stringify(text.slice(0, 24)), range, fn: scope.fn });
  }

  private nameNode(id: A.Identifier, scope: Scope): NodeId | "example" {
    const sym = this.symbol(id);
    switch (sym.kind) {
      case "variable":
        return this.variableNode(sym.decl, sym.module);
      case "param":
      case "let":
      case "example": {
        const key: A.Node = sym.kind === "example" ? exampleKey : sym.decl;
        const b = scope.bindings.get(key);
        if (!b) throw new Error(`lowering: '${id.name}' is not bound`);
        return "node" in b ? b.node : "example";
      }
      case "loss": {
        // A loss over one example, named alone inside a data loop, is applied to the current example.
        const params = sym.decl.params;
        const bindings = new Map<A.Node, Binding>(params.length === 1 && scope.bindings.has(exampleKey) ? [[params[0]!, { example: true }]] : []);
        return this.value(sym.decl.body, { bindings, fn: scope.fn });
      }
      default:
        throw new Error(`lowering: '${id.name}' (${sym.kind}) is not a value`);
    }
  }

  private value(e: A.Expr, scope: Scope): NodeId {
    const v = this.lowerValue(e, scope);
    if (v === "example") throw new Error("lowering: an example is not a value");
    return v;
  }

  /** Lowers an expression; an expression that is the current example itself yields "example". */
  private lowerValue(e: A.Expr, scope: Scope): NodeId | "example" {
    switch (e.kind) {
      case "StringLit":
        return this.template(e, scope);
      case "NumberLit":
        return this.text(e.raw, e.range, scope);
      case "BoolLit":
        return this.text(String(e.value), e.range, scope);
      case "NameRef":
        return this.nameNode(e.name, scope);
      case "MemberExpr":
        if (this.checked.types.get(e.object)?.kind === "trajectory") {
          return this.add({ kind: "answer", agent: this.value(e.object, scope), role: "the agent's final answer", label: "answer", range: e.range, fn: scope.fn });
        }
        return this.input(e.property.name, e.range, scope);
      case "ParenExpr":
        return this.lowerValue(e.inner, scope);
      case "CallExpr":
        return this.call(e, scope);
      case "LlmCall":
        return this.llmCall(e, scope);
      case "AgentCall":
        return this.agent(e, scope);
      case "RetrieveExpr": {
        const corpus = this.symbol(e.corpus);
        return this.add({
          kind: "retrieve",
          corpus: this.qualify(corpus.module, e.corpus.name),
          query: this.value(e.query, scope),
          k: Number(literalValue(e.k)),
          role: `passages retrieved from ${e.corpus.name}`,
          label: scope.fn ? `${scope.fn}: retrieve ${e.corpus.name}` : `retrieve ${e.corpus.name}`,
          range: e.range,
          fn: scope.fn,
        });
      }
      case "RubricExpr":
        return this.rubric(e, scope);
      case "UnlessExpr":
        return this.add({
          kind: "loss",
          rule: { kind: "unless", metric: this.value(e.condition, scope), feedback: this.value(e.feedback, scope) },
          role: "feedback from a rule on a metric",
          label: "unless",
          range: e.range,
          fn: scope.fn,
        });
      case "BinaryExpr": {
        const n = constant(e);
        return n === undefined ? this.sum(e, scope) : this.text(String(n), e.range, scope);
      }
      case "ListExpr":
      case "ErrorExpr":
        throw new Error(`lowering: ${e.kind} is not a value`);
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private input(field: string, range: A.Node["range"], scope: Scope): NodeId {
    return this.add({ kind: "input", field, role: `the field '${field}' of an example`, label: `ex.${field}`, range, fn: scope.fn });
  }

  private template(s: A.StringLit, scope: Scope): NodeId {
    const parts: TemplatePart[] = [];
    for (const p of s.parts) {
      if (p.kind === "Text") {
        const last = parts[parts.length - 1];
        if (last && "text" in last) parts[parts.length - 1] = { text: last.text + p.text };
        else parts.push({ text: p.text });
        continue;
      }
      const [head, field] = p.path;
      const v = this.nameNode(head!, scope);
      parts.push({ node: v === "example" ? this.input(field!.name, p.range, scope) : v });
    }
    if (parts.length === 1 && "node" in parts[0]!) return parts[0].node; // "{x}" is x itself
    const preview = parts.map((p) => ("text" in p ? p.text : "{…}")).join("");
    return this.add({
      kind: "template",
      parts,
      role: "text built from a template",
      label: JSON.stringify(preview.length > 24 ? `${preview.slice(0, 23)}…` : preview),
      range: s.range,
      fn: scope.fn,
    });
  }

  private call(e: A.CallExpr, scope: Scope): NodeId {
    const args: Argument[] = e.args.map((a) => {
      const engine = this.engineArgument(a, scope);
      return engine !== undefined ? { engine } : this.lowerValue(a, scope);
    });
    return this.invoke(this.symbol(e.callee) as DeclSymbol, args, e.range, scope);
  }

  /** A function, loss or native applied to lowered arguments: inlined, or a native node. */
  private invoke(sym: DeclSymbol, args: readonly Argument[], range: A.Node["range"], scope: Scope): NodeId {
    const bind = (params: readonly A.Param[]) =>
      new Map<A.Node, Binding>(
        params.map((p, i) => {
          const a = args[i]!;
          return [p, a === "example" ? { example: true } : typeof a === "object" ? a : { node: a }];
        }),
      );
    switch (sym.kind) {
      case "fn": {
        const inner: Scope = { bindings: bind(sym.decl.params), fn: sym.decl.name.name };
        const bindings = inner.bindings as Map<A.Node, Binding>;
        for (const l of sym.decl.lets) bindings.set(l, { node: this.value(l.value, inner) });
        return this.value(sym.decl.body, inner);
      }
      case "loss":
        return this.value(sym.decl.body, { bindings: bind(sym.decl.params), fn: scope.fn });
      case "extern": {
        const nodes = args.map((a) => {
          if (typeof a !== "number") throw new Error("lowering: a native function takes text");
          return a;
        });
        const returns = sym.decl.returns.name.name;
        const common = { module: sym.module, native: sym.decl.name.name, args: nodes, range, fn: scope.fn };
        if (returns === "loss") {
          const { module, native, args, range, fn } = common;
          return this.add({ kind: "loss", rule: { kind: "native", module, native, args }, role: `the critique ${native} gives`, label: `${native}(…)`, range, fn });
        }
        if (returns === "metric") {
          return this.add({ kind: "metric", ...common, role: `the score ${sym.decl.name.name} gives`, label: `${sym.decl.name.name}(…)` });
        }
        return this.add({ kind: "native_call", ...common, role: `the output of ${sym.decl.name.name}`, label: `${sym.decl.name.name}(…)` });
      }
      default:
        throw new Error(`lowering: '${sym.decl.name.name}' is not callable`);
    }
  }

  private llmCall(e: A.LlmCall, scope: Scope): NodeId {
    const entry = (k: string) => e.entries.find((x) => x.key.name === k)?.value;
    const system = entry("system");
    const roleExpr = entry("role");
    const engine = this.engineName(e.engine, scope);
    const role =
      (roleExpr && typeof literalValue(roleExpr) === "string" ? (literalValue(roleExpr) as string) : undefined) ??
      `the reply of ${engine}${scope.fn ? ` in ${scope.fn}` : ""}`;
    return this.add({
      kind: "llm_call",
      engine,
      system: system ? this.value(system, scope) : undefined,
      user: this.value(entry("user")!, scope),
      options: samplingOptions(e.entries),
      role,
      label: scope.fn ? `${scope.fn}: call ${engine}` : `call ${engine}`,
      range: e.range,
      fn: scope.fn,
    });
  }

  private agent(e: A.AgentCall, scope: Scope): NodeId {
    const entry = (k: string) => e.entries.find((x) => x.key.name === k)?.value;
    const system = entry("system");
    const roleExpr = entry("role");
    const steps = entry("max_steps");
    const engine = this.engineName(e.engine, scope);
    const toolList = entry("tools");
    const tools = toolList?.kind === "ListExpr" ? toolList.items.flatMap((t) => (t.kind === "NameRef" ? [this.tool(t.name)] : [])) : [];
    return this.add({
      kind: "agent",
      engine,
      system: system ? this.value(system, scope) : undefined,
      user: this.value(entry("user")!, scope),
      tools,
      maxSteps: steps ? Number(literalValue(steps)) : DEFAULT_AGENT_STEPS,
      options: samplingOptions(e.entries),
      role: (roleExpr && typeof literalValue(roleExpr) === "string" ? (literalValue(roleExpr) as string) : undefined) ?? `the trajectory of an agent run by ${engine}`,
      label: scope.fn ? `${scope.fn}: agent ${engine}` : `agent ${engine}`,
      range: e.range,
      fn: scope.fn,
    });
  }

  /** A tool: its body lowered once, with each parameter a `tool_argument` node the agent's loop sets per call. */
  private tool(name: A.Identifier): Tool {
    const sym = this.symbol(name);
    if (sym.kind !== "fn" && sym.kind !== "extern") throw new Error(`lowering: tool '${name.name}' is not a function`);
    const toolName = this.qualify(sym.module, name.name);
    const parameters = sym.decl.params.map((p) => ({
      name: p.name.name,
      type: (p.type?.name.name ?? "text") as "text" | "number" | "bool",
      node: this.add({ kind: "tool_argument", tool: toolName, name: p.name.name, role: `the argument '${p.name.name}' of ${name.name}`, label: `${name.name}.${p.name.name}`, range: p.range, fn: name.name }),
    }));
    const result = this.invoke(sym, parameters.map((p) => p.node), sym.decl.range, { bindings: new Map(), fn: undefined });
    return { name: toolName, description: (sym.decl.doc && plainText(sym.decl.doc.parts))?.trim() ?? "", parameters, result };
  }

  private labeled(items: readonly A.Labeled[], scope: Scope) {
    return items.map((l, i) => ({
      label: l.label?.name ?? describe(l.value) ?? `input ${i + 1}`,
      node: this.value(l.value, scope),
    }));
  }

  private rubric(e: A.RubricExpr, scope: Scope): NodeId {
    const targets = this.labeled(e.targets, scope);
    const engine = this.engineName(e.engine, scope);
    return this.add({
      kind: "loss",
      rule: {
        kind: "rubric",
        engine,
        targets,
        context: this.labeled(e.context, scope),
        criteria: this.value(e.criteria, scope),
      },
      role: `the evaluation of ${targets.map((t) => t.label).join(" and ")}`,
      label: `rubric ${engine}`,
      range: e.range,
      fn: scope.fn,
    });
  }

  /** Sums and weighted sums of losses, flattened into one node with a weight per term. */
  private sum(e: A.BinaryExpr, scope: Scope): NodeId {
    const terms = new Map<NodeId, number>();
    const collect = (x: A.Expr, weight: number): void => {
      if (x.kind === "ParenExpr") return collect(x.inner, weight);
      if (x.kind === "BinaryExpr" && x.op === "+") {
        collect(x.left, weight);
        return collect(x.right, weight);
      }
      if (x.kind === "BinaryExpr" && x.op === "*") {
        const l = constant(x.left);
        if (l !== undefined) return collect(x.right, weight * l);
        const r = constant(x.right);
        if (r !== undefined) return collect(x.left, weight * r);
      }
      const node = this.value(x, scope);
      terms.set(node, (terms.get(node) ?? 0) + weight);
    };
    collect(e, 1);
    return this.add({
      kind: "sum",
      terms: [...terms].map(([node, weight]) => ({ node, weight })),
      role: "the total loss",
      label: "sum",
      range: e.range,
      fn: scope.fn,
    });
  }

  lower(): Graph {
    const root = this.checked.root;
    const variables = new Map<string, VariableInfo>();
    const engines = new Map<string, EngineConfig>();
    const data = new Map<string, DataConfig>();
    const corpora = new Map<string, CorpusConfig>();
    const optimizations: Optimization[] = [];
    const top: Scope = { bindings: new Map(), fn: undefined };
    // Every module's engines, variables and data: an imported function may use them.
    for (const module of this.checked.modules.values()) {
      for (const d of module.program.declarations) {
        if (d.kind === "EngineDecl") {
          const name = this.qualify(module.id, d.name.name);
          engines.set(name, {
            name,
            provider: d.provider.name,
            args: d.args.map((a) => String(literalValue(a) ?? "")),
            options: samplingOptions(d.options),
            connection: connectionOptions(d.options),
            range: d.range,
          });
        } else if (d.kind === "DataDecl") {
          const name = this.qualify(module.id, d.name.name);
          data.set(name, {
            kind: "file",
            name,
            format: d.format.name as FileData["format"],
            path: String(literalValue(d.args[0]!) ?? ""),
            module: module.id,
            fields: d.fields?.map((f) => ({
              name: f.name.name,
              type: f.type.name.name as DataField["type"],
              source: f.source ? String(literalValue(f.source) ?? f.name.name) : f.name.name,
            })),
            range: d.range,
          });
        } else if (d.kind === "CorpusDecl") {
          const name = this.qualify(module.id, d.name.name);
          const option = (k: string) => {
            const e = d.options.find((o) => o.key.name === k);
            return e ? literalValue(e.value) : undefined;
          };
          const embed = d.options.find((o) => o.key.name === "embed")?.value;
          corpora.set(name, {
            name,
            format: d.format.name as CorpusConfig["format"],
            path: String(literalValue(d.args[0]!) ?? ""),
            module: module.id,
            chunk: Number(option("chunk") ?? DEFAULT_CHUNK),
            overlap: Number(option("overlap") ?? DEFAULT_OVERLAP),
            textKey: String(option("text") ?? "text"),
            sourceKey: String(option("source") ?? "id"),
            embed: embed?.kind === "NameRef" ? this.engineName(embed.name, top) : undefined,
            range: d.range,
          });
        } else if (d.kind === "SplitDecl") {
          const sizes = d.parts.map((p) => Number(literalValue(p.size)));
          const seed = d.seed ? Number(literalValue(d.seed.value)) : 0;
          d.parts.forEach((p, index) => {
            const name = this.qualify(module.id, p.name.name);
            data.set(name, { kind: "split", name, source: this.qualify(module.id, d.source.name), index, sizes, seed, range: p.range });
          });
        } else if (d.kind === "VariableDecl") {
          const node = this.variableNode(d, module.id);
          const name = this.qualify(module.id, d.name.name);
          variables.set(name, {
            name,
            node,
            trainable: d.trainable,
            role: plainText(d.role.parts) ?? "",
            // A per-example variable's parameter is the current example, as a loss's is.
            init: this.value(d.init, d.params.length ? { ...top, bindings: new Map([[d.params[0]!, { example: true }]]) } : top),
            perExample: d.params.length > 0,
            range: d.range,
          });
        }
      }
    }
    for (const d of root.program.declarations) {
      if (d.kind === "OptimizeDecl") optimizations.push(this.optimization(d));
    }
    return { nodes: this.nodes, variables, engines, data, corpora, optimizations };
  }

  private optimization(d: A.OptimizeDecl): Optimization {
    const setting = (k: string) => d.settings.find((s) => s.key.name === k)?.value;
    const num = (k: string) => {
      const v = setting(k);
      return v ? (literalValue(v) as number) : undefined;
    };
    const arg = (k: string) => d.optimizerArgs.find((a) => a.key.name === k)?.value;
    const argNum = (k: string, dflt: number) => {
      const v = arg(k);
      return v ? (literalValue(v) as number) : dflt;
    };
    const argList = (k: string) => {
      const v = arg(k);
      return v ? (literalValue(v) as string[]) : [];
    };
    const dataExpr = setting("data");
    const eachExpr = setting("each");
    const withExample: Scope = { bindings: new Map([[exampleKey, { example: true }]]), fn: undefined };
    const objective = this.value(setting("minimize")!, withExample);
    const engine = arg("engine");
    return {
      targets: d.targets.map((t) => this.qualify(this.symbol(t).module, t.name)),
      optimizer: {
        engine: engine?.kind === "NameRef" ? this.engineName(engine.name, withExample) : "",
        momentum: argNum("momentum", 0),
        constraints: argList("constraints"),
        examples: argList("examples"),
        retries: argNum("retries", 2),
        ...(d.optimizer.name === "opto"
          ? { kind: "opto" as const }
          : {
              kind: "tgd" as const,
              gradientMemory: argNum("gradient_memory", 0),
              condenseAfter: argNum("condense_after", 12000),
              maxChange: arg("max_change") ? argNum("max_change", 1) : undefined,
            }),
      },
      objective,
      data: dataExpr?.kind === "NameRef" ? this.qualify(this.symbol(dataExpr.name).module, dataExpr.name.name) : undefined,
      each: eachExpr?.kind === "NameRef" ? this.qualify(this.symbol(eachExpr.name).module, eachExpr.name.name) : undefined,
      score: setting("score") ? this.value(setting("score")!, withExample) : undefined,
      test: setting("test")?.kind === "NameRef" ? this.qualify(this.symbol((setting("test") as A.NameRef).name).module, (setting("test") as A.NameRef).name.name) : undefined,
      steps: num("steps"),
      epochs: num("epochs"),
      batch: num("batch") ?? 1,
      seed: num("seed") ?? 0,
      validate: d.validate
        ? { data: this.qualify(this.symbol(d.validate.data).module, d.validate.data.name), metric: this.value(d.validate.metric, withExample), keepBest: d.validate.keepBest }
        : undefined,
      stopWhenSolved: setting("stop_when_solved") ? literalValue(setting("stop_when_solved")!) === true : false,
      patience: num("patience"),
      vote: setting("vote") ? this.value(setting("vote")!, withExample) : undefined,
      range: d.range,
    };
  }
}

/** The key under which the current example is bound in a scope. */
const exampleKey: A.Node = { range: { file: "", start: -1, end: -1 } };

function constant(e: A.Expr): number | undefined {
  if (e.kind === "NumberLit") return e.value;
  if (e.kind === "ParenExpr") return constant(e.inner);
  if (e.kind === "BinaryExpr") {
    const l = constant(e.left);
    const r = constant(e.right);
    if (l === undefined || r === undefined) return undefined;
    return e.op === "+" ? l + r : l * r;
  }
  return undefined;
}

function describe(e: A.Expr): string | undefined {
  if (e.kind === "NameRef") return e.name.name;
  if (e.kind === "MemberExpr") return `${describe(e.object) ?? "…"}.${e.property.name}`;
  if (e.kind === "CallExpr") return `${e.callee.name}(…)`;
  return undefined;
}

export function lowerToGraph(checked: CheckedProgram): Graph {
  return new Lowering(checked).lower();
}
