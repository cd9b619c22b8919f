// Types of expressions, and the names they use. One function per expression kind; `unknown` stops cascades.
import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import { T, typeName, type DataSymbol, type DeclSymbol, type Symbol, type Type } from "./model.js";
import { agentEntries, callEntries, didYouMean, literalValue, type OptionSpec } from "./options.js";

/** Where an expression is checked: its module, the local names in scope, and the declaration it belongs to. */
export interface Env {
  readonly module: string;
  readonly locals: ReadonlyMap<string, Symbol>;
  readonly owner: DeclSymbol | A.OptimizeDecl | undefined;
}

/** Types that read as text: a trajectory reads as the transcript of its steps and its answer. */
export const textLike = (t: Type) =>
  t.kind === "text" || t.kind === "number" || t.kind === "bool" || t.kind === "trajectory" || t.kind === "unknown";

export function assignable(expected: Type, actual: Type): boolean {
  if (expected.kind === "unknown" || actual.kind === "unknown") return true;
  if (expected.kind === "text") return textLike(actual);
  if (expected.kind === "example" && actual.kind === "example") {
    return !expected.data || !actual.data || expected.data === actual.data;
  }
  if (expected.kind === "list" && actual.kind === "list") return assignable(expected.item, actual.item);
  return expected.kind === actual.kind;
}

export function fieldsOf(data: DataSymbol | undefined): ReadonlyMap<string, Type> | undefined {
  // A split's parts have the fields of the data set they cut.
  if (data?.decl.kind === "SplitPart") return fieldsOf(data.split?.source);
  if (!data?.decl.fields) return undefined;
  const out = new Map<string, Type>();
  for (const f of data.decl.fields) {
    const n = f.type.name.name;
    out.set(f.name.name, n === "number" ? T.number : n === "bool" ? T.bool : n === "text" ? T.text : T.unknown);
  }
  return out;
}

const builtinTypes: Record<string, Type> = {
  text: T.text,
  number: T.number,
  bool: T.bool,
  loss: T.loss,
  metric: T.metric,
  engine: T.engine,
  trajectory: T.trajectory,
};

export class ExpressionChecker {
  /** Functions whose result type is being inferred, so recursion (reported as a cycle) does not loop. */
  private readonly inferring = new Set<A.FnDecl>();
  private readonly fnResult = new Map<A.FnDecl, Type>();

  constructor(private readonly ctx: CheckContext) {}

  lookup(name: A.Identifier, env: Env): Symbol | undefined {
    if (name.name === "") return undefined;
    const sym = env.locals.get(name.name) ?? this.ctx.scopes.get(env.module)?.get(name.name);
    if (!sym) {
      const candidates = [...env.locals.keys(), ...(this.ctx.scopes.get(env.module)?.keys() ?? [])];
      this.ctx.report("TG2002", `unknown name '${name.name}'`, name.range, {
        hint:
          didYouMean(name.name, candidates) ??
          (name.name === "ex" ? "'ex' is the current example inside an optimize block with data or each, or a loss's or variable's parameter" : undefined),
      });
      return undefined;
    }
    this.ctx.references.set(name, sym);
    if (sym.kind !== "param" && sym.kind !== "let" && sym.kind !== "example") this.ctx.use(env.owner, sym);
    return sym;
  }

  check(e: A.Expr, env: Env): Type {
    const t = this.infer(e, env);
    this.ctx.types.set(e, t);
    return t;
  }

  expect(e: A.Expr, expected: Type, env: Env, what: string): Type {
    const t = this.check(e, env);
    if (!assignable(expected, t)) {
      this.ctx.report("TG3001", `${what} must be ${typeName(expected)}, but this is ${typeName(t)}`, e.range, {
        hint: hintFor(expected, t),
      });
    }
    return t;
  }

  private infer(e: A.Expr, env: Env): Type {
    switch (e.kind) {
      case "StringLit":
        this.checkInterpolations(e, env);
        return T.text;
      case "NumberLit":
        return T.number;
      case "BoolLit":
        return T.bool;
      case "ListExpr": {
        const items = e.items.map((i) => this.check(i, env));
        const first = items.find((t) => t.kind !== "unknown") ?? T.unknown;
        e.items.forEach((item, i) => {
          if (!assignable(first, items[i]!)) {
            this.ctx.report("TG3001", `list items must all be ${typeName(first)}`, item.range);
          }
        });
        return { kind: "list", item: first };
      }
      case "NameRef":
        return this.nameType(e.name, env);
      case "MemberExpr":
        return this.memberType(e, env);
      case "CallExpr":
        return this.callType(e, env);
      case "LlmCall":
        this.checkLlmCall(e, env);
        return T.text;
      case "AgentCall":
        this.checkAgent(e, env);
        return T.trajectory;
      case "RetrieveExpr":
        this.checkRetrieve(e, env);
        return T.text;
      case "RubricExpr":
        this.checkRubric(e, env);
        return T.loss;
      case "UnlessExpr":
        this.expect(e.feedback, T.text, env, "the feedback of an 'unless' rule");
        this.expect(e.condition, T.metric, env, "the condition of an 'unless' rule");
        return T.loss;
      case "BinaryExpr":
        return this.binaryType(e, env);
      case "ParenExpr":
        return this.check(e.inner, env);
      case "ErrorExpr":
        return T.unknown;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private nameType(name: A.Identifier, env: Env): Type {
    const sym = this.lookup(name, env);
    if (!sym) return T.unknown;
    switch (sym.kind) {
      case "engine":
        return T.engine;
      case "variable":
        return T.text;
      case "param":
        return sym.type;
      case "example":
        return { kind: "example", data: sym.data };
      case "let":
        return this.ctx.types.get(sym.decl.value) ?? T.unknown;
      case "loss":
        if (sym.decl.params.length === 0) return T.loss;
        this.ctx.report("TG3004", `loss '${name.name}' takes ${sym.decl.params.length} argument(s)`, name.range, {
          hint: `write ${name.name}(ex)`,
        });
        return T.unknown;
      case "corpus":
        this.ctx.report("TG3001", `corpus '${name.name}' is not a value here`, name.range, {
          hint: `retrieve passages from it: retrieve(${name.name}, query, 3)`,
        });
        return T.unknown;
      case "data":
        this.ctx.report("TG3001", `data set '${name.name}' is not a value here`, name.range, {
          hint: "a data set is used by `data:` and `validate:` in an optimize block; its examples are `ex`",
        });
        return T.unknown;
      case "fn":
      case "extern":
        this.ctx.report("TG3006", `function '${name.name}' is used without being called`, name.range, {
          hint: `call it: ${name.name}(…)`,
        });
        return T.unknown;
      default: {
        const never: never = sym;
        return never;
      }
    }
  }

  private field(objectType: Type, property: A.Identifier): Type {
    if (objectType.kind === "unknown") return T.unknown;
    if (objectType.kind === "trajectory") {
      if (property.name === "answer") return T.text;
      this.ctx.report("TG3001", `a trajectory has one field, 'answer', not '${property.name}'`, property.range, {
        hint: "the trajectory itself reads as text: every tool call with its result, then the answer",
      });
      return T.unknown;
    }
    if (objectType.kind !== "example") {
      this.ctx.report("TG3001", `only an example has fields, but this is ${typeName(objectType)}`, property.range);
      return T.unknown;
    }
    const fields = fieldsOf(objectType.data);
    if (!fields) return T.text; // fields not declared: their presence is checked when the data is read
    const t = fields.get(property.name);
    if (t) return t;
    this.ctx.report("TG2007", `data '${objectType.data!.decl.name.name}' has no field '${property.name}'`, property.range, {
      hint: didYouMean(property.name, fields.keys()) ?? `its fields are: ${[...fields.keys()].join(", ")}`,
      related: [{ message: "fields declared here", range: objectType.data!.decl.range }],
    });
    return T.unknown;
  }

  private memberType(e: A.MemberExpr, env: Env): Type {
    return this.field(this.check(e.object, env), e.property);
  }

  private checkInterpolations(s: A.StringLit, env: Env): void {
    for (const part of s.parts) {
      if (part.kind !== "Interpolation") continue;
      const [head, ...rest] = part.path;
      let t = this.nameType(head!, env);
      for (const prop of rest) t = this.field(t, prop);
      if (!textLike(t)) {
        this.ctx.report("TG3001", `cannot put ${typeName(t)} into text`, part.range, {
          hint: t.kind === "loss" ? "a loss is a critique to minimize, not text a prompt can use" : "write \\{ for a literal brace",
        });
      }
    }
  }

  typeOfRef(ref: A.TypeRef, env: Env): Type {
    const n = ref.name.name;
    if (n === "") return T.unknown;
    const builtin = builtinTypes;
    if (n in builtin) return builtin[n]!;
    const sym = this.ctx.scopes.get(env.module)?.get(n);
    if (sym?.kind === "data") {
      this.ctx.references.set(ref.name, sym);
      this.ctx.use(env.owner, sym);
      return { kind: "example", data: sym };
    }
    this.ctx.report("TG2014", `unknown type '${n}'`, ref.range, {
      hint: didYouMean(n, Object.keys(builtin)) ?? "types are text, number, bool, loss, metric, engine, trajectory, or a data set's name",
    });
    return T.unknown;
  }

  /** The result type of a user function, from its declaration or its body. */
  fnResultType(sym: Extract<Symbol, { kind: "fn" }>): Type {
    const cached = this.fnResult.get(sym.decl);
    if (cached) return cached;
    if (this.inferring.has(sym.decl)) return T.unknown;
    this.inferring.add(sym.decl);
    const t = checkFnBody(this, this.ctx, sym);
    this.inferring.delete(sym.decl);
    this.fnResult.set(sym.decl, t);
    return t;
  }

  private callType(e: A.CallExpr, env: Env): Type {
    const sym = this.lookup(e.callee, env);
    const argTypes = e.args.map((a) => this.check(a, env));
    if (!sym) return T.unknown;
    let params: readonly A.Param[];
    let paramEnv: Env;
    let result: () => Type;
    switch (sym.kind) {
      case "fn":
        params = sym.decl.params;
        paramEnv = { module: sym.module, locals: new Map(), owner: undefined };
        result = () => this.fnResultType(sym);
        break;
      case "extern":
        params = sym.decl.params;
        paramEnv = { module: sym.module, locals: new Map(), owner: undefined };
        result = () => this.typeOfRef(sym.decl.returns, paramEnv);
        break;
      case "loss":
        params = sym.decl.params;
        paramEnv = { module: sym.module, locals: new Map(), owner: undefined };
        result = () => T.loss;
        break;
      default:
        this.ctx.report("TG3006", `'${e.callee.name}' is not a function`, e.callee.range);
        return T.unknown;
    }
    if (params.length !== e.args.length) {
      this.ctx.report(
        "TG3004",
        `'${e.callee.name}' takes ${params.length} argument(s), but ${e.args.length} were given`,
        e.range,
        { related: [{ message: "declared here", range: sym.decl.range }] },
      );
    }
    params.forEach((p, i) => {
      const arg = e.args[i];
      if (!arg) return;
      // An untyped loss parameter is an example; an untyped function parameter was reported at its declaration.
      const expected = p.type ? this.typeOfRefQuiet(p.type, paramEnv) : sym.kind === "loss" ? { kind: "example" as const, data: undefined } : T.unknown;
      if (!assignable(expected, argTypes[i]!)) {
        this.ctx.report(
          "TG3001",
          `argument '${p.name.name}' of '${e.callee.name}' must be ${typeName(expected)}, but this is ${typeName(argTypes[i]!)}`,
          arg.range,
          { hint: hintFor(expected, argTypes[i]!) },
        );
      }
    });
    return result();
  }

  /** A parameter's type without reporting (its declaration reports unknown types once). */
  typeOfRefQuiet(ref: A.TypeRef, env: Env): Type {
    const n = ref.name.name;
    if (n in builtinTypes) return builtinTypes[n]!;
    const sym = this.ctx.scopes.get(env.module)?.get(n);
    return sym?.kind === "data" ? { kind: "example", data: sym } : T.unknown;
  }

  engineRef(name: A.Identifier, env: Env): void {
    const sym = this.lookup(name, env);
    const isEngine = sym?.kind === "engine" || (sym?.kind === "param" && (sym.type.kind === "engine" || sym.type.kind === "unknown"));
    if (sym && !isEngine) {
      this.ctx.report("TG3001", `'${name.name}' is not an engine`, name.range, {
        hint: "declare one: engine name = openai(\"gpt-4o-mini\")",
      });
    }
  }

  checkOptionValue(entry: A.Entry, spec: OptionSpec, env: Env): void {
    const v = literalValue(entry.value);
    const key = entry.key.name;
    switch (spec.kind) {
      case "number": {
        this.check(entry.value, env);
        if (typeof v !== "number") {
          this.ctx.report("TG3003", `'${key}' must be a number`, entry.value.range);
          return;
        }
        const bad =
          (spec.integer && !Number.isInteger(v)) || (spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max);
        if (bad) {
          const range = spec.min !== undefined && spec.max !== undefined ? ` between ${spec.min} and ${spec.max}` : spec.min !== undefined ? ` of at least ${spec.min}` : "";
          this.ctx.report("TG3003", `'${key}' must be ${spec.integer ? "a whole number" : "a number"}${range}, not ${v}`, entry.value.range);
        }
        return;
      }
      case "string":
        this.check(entry.value, env);
        if (typeof v !== "string") this.ctx.report("TG3003", `'${key}' must be a plain string`, entry.value.range);
        return;
      case "strings":
        this.check(entry.value, env);
        if (!Array.isArray(v)) this.ctx.report("TG3003", `'${key}' must be a list of plain strings, like ["…", "…"]`, entry.value.range);
        return;
      case "bool":
        this.expect(entry.value, T.bool, env, `'${key}'`);
        return;
      case "text":
        this.expect(entry.value, T.text, env, `'${key}'`);
        return;
      case "engine":
        if (entry.value.kind === "NameRef") this.engineRef(entry.value.name, env);
        else this.ctx.report("TG3003", `'${key}' must name an engine`, entry.value.range);
        return;
      case "tools":
        this.checkTools(entry.value, env);
        return;
      case "data":
      case "loss":
      case "vote":
      case "metric":
        // Read in context by the optimize checker.
        return;
      default: {
        const never: never = spec;
        return never;
      }
    }
  }

  checkEntries(entries: readonly A.Entry[], specs: Record<string, OptionSpec>, env: Env, where: string): void {
    const seen = new Map<string, A.Entry>();
    for (const entry of entries) {
      const key = entry.key.name;
      if (key === "") continue;
      const prior = seen.get(key);
      if (prior) {
        this.ctx.report("TG2001", `'${key}' is given twice`, entry.key.range, {
          related: [{ message: "first given here", range: prior.key.range }],
        });
      }
      seen.set(key, entry);
      const spec = specs[key];
      if (!spec) {
        this.check(entry.value, env);
        this.ctx.report("TG2011", `unknown option '${key}' ${where}`, entry.key.range, {
          hint: didYouMean(key, Object.keys(specs)) ?? `the options are: ${Object.keys(specs).join(", ")}`,
        });
        continue;
      }
      this.checkOptionValue(entry, spec, env);
    }
  }

  private checkLlmCall(e: A.LlmCall, env: Env): void {
    this.engineRef(e.engine, env);
    this.checkEntries(e.entries, callEntries, env, "in a call");
    if (!e.entries.some((x) => x.key.name === "user")) {
      this.ctx.report("TG3005", "a call needs a 'user' message", e.range, { hint: "call student { user: question }" });
    }
  }

  private checkAgent(e: A.AgentCall, env: Env): void {
    this.engineRef(e.engine, env);
    this.checkEntries(e.entries, agentEntries, env, "in an agent");
    if (!e.entries.some((x) => x.key.name === "user")) {
      this.ctx.report("TG3005", "an agent needs a 'user' message: the task it works on", e.range, { hint: "agent student { user: question, tools: [lookup] }" });
    }
    if (!e.entries.some((x) => x.key.name === "tools")) {
      this.ctx.report("TG3005", "an agent needs 'tools': the functions it may call", e.range, { hint: "tools: [lookup, calculate]; without tools, use call" });
    }
  }

  /**
   * `tools: [lookup, calculate]`: each a function whose parameters the model can fill (text, number, bool), that
   * returns text or a number, and that says what it does (a `fn`'s description string, an extern's doc).
   */
  private checkTools(value: A.Expr, env: Env): void {
    if (value.kind !== "ListExpr") {
      this.check(value, env);
      this.ctx.report("TG3003", "'tools' must be a list of function names, like [lookup, calculate]", value.range);
      return;
    }
    if (value.items.length === 0) {
      this.ctx.report("TG3005", "an agent needs at least one tool", value.range, { hint: "tools: [calculate]; without tools, use call" });
    }
    const seen = new Set<string>();
    for (const item of value.items) {
      if (item.kind !== "NameRef") {
        this.check(item, env);
        this.ctx.report("TG3003", "a tool is named by a function, like lookup", item.range);
        continue;
      }
      const sym = this.lookup(item.name, env);
      if (!sym) continue;
      if (sym.kind !== "fn" && sym.kind !== "extern") {
        this.ctx.report("TG3006", `'${item.name.name}' is not a function, so it cannot be a tool`, item.range);
        continue;
      }
      if (seen.has(item.name.name)) this.ctx.report("TG2001", `tool '${item.name.name}' is listed twice`, item.range);
      seen.add(item.name.name);
      const penv: Env = { module: sym.module, locals: new Map(), owner: undefined };
      for (const p of sym.decl.params) {
        const t = p.type ? this.typeOfRefQuiet(p.type, penv) : T.unknown;
        if (t.kind !== "text" && t.kind !== "number" && t.kind !== "bool" && t.kind !== "unknown") {
          this.ctx.report("TG3001", `a tool's parameters are text, number or bool, but '${p.name.name}' of '${item.name.name}' is ${typeName(t)}`, item.range, {
            related: [{ message: "declared here", range: p.range }],
          });
        }
      }
      const result = sym.kind === "fn" ? this.fnResultType(sym) : this.typeOfRefQuiet(sym.decl.returns, penv);
      if (!textLike(result) && result.kind !== "metric") {
        this.ctx.report("TG3001", `a tool returns text or a number, but '${item.name.name}' returns ${typeName(result)}`, item.range);
      }
      if (!sym.decl.doc) {
        this.ctx.report("TG3005", `tool '${item.name.name}' needs a description, so the model knows when to call it`, item.range, {
          hint: sym.kind === "fn" ? `fn ${item.name.name}(…) -> text "what it does" { … }` : "give the extern a doc string",
          related: [{ message: "declared here", range: sym.decl.name.range }],
        });
      }
    }
  }

  private checkRetrieve(e: A.RetrieveExpr, env: Env): void {
    const sym = this.lookup(e.corpus, env);
    if (sym && sym.kind !== "corpus") {
      const corpora = [...(this.ctx.scopes.get(env.module)?.values() ?? [])].filter((s) => s.kind === "corpus").map((s) => s.decl.name.name);
      this.ctx.report("TG3001", `'${e.corpus.name}' is not a corpus`, e.corpus.range, {
        hint: corpora.length ? (didYouMean(e.corpus.name, corpora) ?? `the corpora are: ${corpora.join(", ")}`) : 'declare one: corpus notes = files("notes/*.md")',
      });
    }
    this.expect(e.query, T.text, env, "the query of retrieve");
    this.check(e.k, env);
    const k = literalValue(e.k);
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > 50) {
      this.ctx.report("TG3003", "the number of passages to retrieve must be a whole number between 1 and 50", e.k.range);
    }
  }

  private checkRubric(e: A.RubricExpr, env: Env): void {
    this.engineRef(e.engine, env);
    for (const t of e.targets) this.expect(t.value, T.text, env, "what a rubric evaluates");
    for (const c of e.context) this.expect(c.value, T.text, env, "the context of a rubric");
    this.check(e.criteria, env);
    if (e.targetsBraced && e.targets.length === 0) {
      this.ctx.report("TG3005", "a rubric needs something to evaluate", e.range);
    }
  }

  private binaryType(e: A.BinaryExpr, env: Env): Type {
    const l = this.check(e.left, env);
    const r = this.check(e.right, env);
    if (l.kind === "unknown" || r.kind === "unknown") return T.unknown;
    // Numbers are computed when the program is compiled: arithmetic and weights take literals only.
    const literal = (x: A.Expr, t: Type) => {
      if (t.kind !== "number" || isConstant(x)) return true;
      this.ctx.report("TG3001", "arithmetic on numbers and loss weights take number literals only", x.range, {
        hint: "write the number itself, like 0.5 * critique",
      });
      return false;
    };
    if (!literal(e.left, l) || !literal(e.right, r)) return T.unknown;
    if (e.op === "+") {
      if (l.kind === "loss" && r.kind === "loss") return T.loss;
      if (l.kind === "number" && r.kind === "number") return T.number;
    } else {
      if (l.kind === "number" && r.kind === "loss") return T.loss;
      if (l.kind === "loss" && r.kind === "number") return T.loss;
      if (l.kind === "number" && r.kind === "number") return T.number;
    }
    const textual = l.kind === "text" || r.kind === "text";
    this.ctx.report("TG3001", `cannot ${e.op === "+" ? "add" : "multiply"} ${typeName(l)} and ${typeName(r)}`, e.range, {
      hint: textual
        ? 'join text with a template: "{a}\\n{b}"'
        : l.kind === "metric" || r.kind === "metric"
          ? 'turn a metric into a loss first: "feedback" unless metric(…)'
          : "losses add (a + b) and take weights (0.3 * a)",
    });
    return T.unknown;
  }
}

/** A number the compiler can compute: literals, and arithmetic and parentheses over them. */
export function isConstant(e: A.Expr): boolean {
  if (e.kind === "NumberLit") return true;
  if (e.kind === "ParenExpr") return isConstant(e.inner);
  return e.kind === "BinaryExpr" && isConstant(e.left) && isConstant(e.right);
}

export function hintFor(expected: Type, actual: Type): string | undefined {
  if (expected.kind === "loss" && actual.kind === "metric") {
    return 'a metric scores but does not critique; give it a rule: loss l(ex) = "what is wrong" unless metric(…)';
  }
  if (textLike(expected) && actual.kind === "loss") return "a loss is a critique to minimize; it cannot be used as text";
  return undefined;
}

/** Checks a function's lets and body in a scope of its parameters, and returns its result type. */
export function checkFnBody(checker: ExpressionChecker, ctx: CheckContext, sym: Extract<Symbol, { kind: "fn" }>): Type {
  const decl = sym.decl;
  const locals = new Map<string, Symbol>();
  const env: Env = { module: sym.module, locals, owner: sym };
  for (const p of decl.params) {
    const type = p.type ? checker.typeOfRefQuiet(p.type, env) : T.unknown;
    locals.set(p.name.name, { kind: "param", decl: p, type, module: sym.module });
  }
  for (const l of decl.lets) {
    const t = checker.check(l.value, env);
    if (!textLike(t) && t.kind !== "loss" && t.kind !== "metric") {
      ctx.report("TG3001", `a let holds text, a loss or a metric, but this is ${typeName(t)}`, l.value.range, {
        hint: t.kind === "example" ? "use its fields: let q = ex.question" : undefined,
      });
    }
    const prior = locals.get(l.name.name);
    if (prior?.kind === "let" || prior?.kind === "param") {
      ctx.report("TG2001", `'${l.name.name}' is already declared in '${decl.name.name}'`, l.name.range, {
        related: [{ message: "first declared here", range: prior.decl.name.range }],
      });
    }
    locals.set(l.name.name, { kind: "let", decl: l, module: sym.module });
  }
  const body = checker.check(decl.body, env);
  if (!textLike(body) && body.kind !== "loss" && body.kind !== "metric") {
    ctx.report("TG3001", `a function returns text, a loss or a metric, but this one returns ${typeName(body)}`, decl.body.range, {
      hint: body.kind === "example" ? "return one of its fields, or pass the fields as parameters" : undefined,
    });
    return T.unknown;
  }
  if (decl.returns) {
    const declared = checker.typeOfRefQuiet(decl.returns, env);
    if (!assignable(declared, body)) {
      ctx.report("TG3001", `'${decl.name.name}' returns ${typeName(declared)}, but its body is ${typeName(body)}`, decl.body.range, {
        hint: hintFor(declared, body),
      });
    }
    return declared;
  }
  return body;
}
