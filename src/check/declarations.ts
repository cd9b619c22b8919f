// Rules for each kind of top-level declaration except `optimize` (see optimize.ts).
import type * as A from "../syntax/ast.js";
import { plainText } from "../syntax/strings.js";
import { keywords } from "../syntax/tokens.js";
import type { CheckContext } from "./context.js";
import { hintFor, textLike, type Env, type ExpressionChecker } from "./expressions.js";
import { T, typeName, type DeclSymbol, type Symbol } from "./model.js";
import { corpusFormats, corpusOptions, dataFormats, DEFAULT_CHUNK, didYouMean, engineOptions, fieldTypes, providers } from "./options.js";

export function checkDeclaration(ctx: CheckContext, checker: ExpressionChecker, sym: DeclSymbol): void {
  const env: Env = { module: sym.module, locals: new Map(), owner: sym };
  switch (sym.kind) {
    case "engine":
      return checkEngine(ctx, checker, sym.decl, env);
    case "variable":
      return checkVariable(ctx, checker, sym, env);
    case "data":
      // A split's parts are checked with their split (checkSplit).
      if (sym.decl.kind === "DataDecl") checkData(ctx, checker, sym.decl, env);
      return;
    case "corpus":
      return checkCorpus(ctx, checker, sym.decl, env);
    case "fn":
      checkParams(ctx, checker, sym.decl.params, env, true);
      if (sym.decl.returns) checker.typeOfRef(sym.decl.returns, env);
      checker.fnResultType(sym);
      return;
    case "extern":
      checkParams(ctx, checker, sym.decl.params, env, true);
      checker.typeOfRef(sym.decl.returns, env);
      if (!ctx.nativeModule(sym.module)) {
        ctx.report("TG2015", "extern functions are declared only in the standard library", sym.decl.range, {
          hint: "write the function in tg with fn, or import one from std/",
        });
      }
      return;
    case "loss":
      return checkLoss(ctx, checker, sym, env);
    default: {
      const never: never = sym;
      return never;
    }
  }
}

function checkParams(ctx: CheckContext, checker: ExpressionChecker, params: readonly A.Param[], env: Env, typed: boolean): void {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name.name)) ctx.report("TG2008", `parameter '${p.name.name}' is declared twice`, p.name.range);
    seen.add(p.name.name);
    if (p.type) checker.typeOfRef(p.type, env);
    else if (typed) ctx.report("TG3005", `parameter '${p.name.name}' needs a type`, p.range, { hint: `${p.name.name}: text` });
  }
}

function stringArg(ctx: CheckContext, checker: ExpressionChecker, e: A.Expr | undefined, env: Env, what: string): void {
  if (!e) return;
  checker.check(e, env);
  if (e.kind !== "StringLit" || plainText(e.parts) === undefined) {
    ctx.report("TG3003", `${what} must be a plain string`, e.range);
  }
}

function checkEngine(ctx: CheckContext, checker: ExpressionChecker, d: A.EngineDecl, env: Env): void {
  const name = d.provider.name;
  const spec = providers[name];
  if (name !== "" && !spec) {
    ctx.report("TG2010", `unknown provider '${name}'`, d.provider.range, {
      hint: didYouMean(name, Object.keys(providers)) ?? `the providers are: ${Object.keys(providers).join(", ")}`,
    });
  }
  if (spec) {
    const required = spec.args.filter((a) => !a.optional).length;
    if (d.args.length < required || d.args.length > spec.args.length) {
      const names = spec.args.map((a) => (a.optional ? `${a.name}?` : a.name)).join(", ");
      ctx.report("TG3004", `${name}(${names}) takes ${required === spec.args.length ? required : `${required} to ${spec.args.length}`} argument(s)`, d.range);
    }
    d.args.forEach((a, i) => stringArg(ctx, checker, a, env, `the ${spec.args[i]?.name ?? "argument"} of ${name}()`));
  }
  checker.checkEntries(d.options, engineOptions, env, "on an engine");
}

function checkVariable(ctx: CheckContext, checker: ExpressionChecker, sym: Extract<DeclSymbol, { kind: "variable" }>, env: Env): void {
  const d = sym.decl;
  const role = plainText(d.role.parts);
  if (role === undefined || role.trim() === "") {
    ctx.report("TG3003", "a role description must be a plain, non-empty string", d.role.range, {
      hint: 'say what the text is for: "a concise answer to the question"; the backward pass reads it',
    });
  }
  // A parameter makes the variable one value per example: the parameter is the example, as a loss's is.
  checkParams(ctx, checker, d.params, env, false);
  if (d.params.length > 1) {
    ctx.report("TG3004", `a variable takes at most one parameter, the example it is for, not ${d.params.length}`, d.params[1]!.range, {
      hint: `${d.name.name}(ex): read the fields from it, like ex.question`,
    });
  }
  const locals = new Map<string, Symbol>();
  for (const p of d.params.slice(0, 1)) {
    const type = p.type ? checker.typeOfRefQuiet(p.type, env) : { kind: "example" as const, data: undefined };
    if (type.kind !== "example" && type.kind !== "unknown") {
      ctx.report("TG3001", `the parameter of '${d.name.name}' is the example it is for, so its type is a data set, not ${typeName(type)}`, p.type!.range, {
        hint: `leave the type out (${d.name.name}(${p.name.name})), or name a data set`,
      });
    }
    locals.set(p.name.name, { kind: "param", decl: p, type, module: sym.module });
  }
  const t = checker.check(d.init, { ...env, locals });
  if (!textLike(t)) {
    ctx.report("TG3011", `a variable holds text, but its initializer is ${typeName(t)}`, d.init.range, { hint: hintFor(T.text, t) });
  }
}

function checkData(ctx: CheckContext, checker: ExpressionChecker, d: A.DataDecl, env: Env): void {
  const format = d.format.name;
  if (format !== "" && !(dataFormats as readonly string[]).includes(format)) {
    ctx.report("TG2012", `unknown data format '${format}'`, d.format.range, {
      hint: didYouMean(format, dataFormats) ?? `the formats are: ${dataFormats.join(", ")}`,
    });
  }
  if (d.args.length !== 1) ctx.report("TG3004", `${format || "data"}(path) takes one argument: the file's path`, d.range);
  stringArg(ctx, checker, d.args[0], env, "the path of a data file");
  const seen = new Set<string>();
  for (const f of d.fields ?? []) {
    if (seen.has(f.name.name)) ctx.report("TG2001", `field '${f.name.name}' is declared twice`, f.name.range);
    seen.add(f.name.name);
    const t = f.type.name.name;
    if (t !== "" && !(fieldTypes as readonly string[]).includes(t)) {
      ctx.report("TG2014", `unknown field type '${t}'`, f.type.range, {
        hint: didYouMean(t, fieldTypes) ?? `field types are: ${fieldTypes.join(", ")}`,
      });
    }
  }
}

function checkCorpus(ctx: CheckContext, checker: ExpressionChecker, d: A.CorpusDecl, env: Env): void {
  const format = d.format.name;
  if (format !== "" && !(corpusFormats as readonly string[]).includes(format)) {
    ctx.report("TG2012", `unknown corpus format '${format}'`, d.format.range, {
      hint: didYouMean(format, corpusFormats) ?? `the formats are: files("docs/*.md") and jsonl("records.jsonl")`,
    });
  }
  if (d.args.length !== 1) ctx.report("TG3004", `${format || "corpus"}(…) takes one argument: ${format === "jsonl" ? "the file's path" : "a path or a glob"}`, d.range);
  stringArg(ctx, checker, d.args[0], env, format === "jsonl" ? "the path of a corpus file" : "the files of a corpus");
  checker.checkEntries(d.options, corpusOptions, env, "on a corpus");
  const embed = d.options.find((o) => o.key.name === "embed");
  const engine = embed?.value.kind === "NameRef" ? ctx.scopes.get(env.module)?.get(embed.value.name.name) : undefined;
  if (engine?.kind === "engine" && engine.decl.provider.name === "anthropic") {
    ctx.report("TG3003", `'${embed!.value.kind === "NameRef" ? embed!.value.name.name : ""}' is an Anthropic engine, and Anthropic has no embeddings endpoint`, embed!.value.range, {
      hint: 'use an OpenAI or OpenAI-compatible engine (engine embedder = openai("text-embedding-3-small")), or leave out embed: for BM25',
    });
  }
  const num = (k: string) => {
    const v = d.options.find((o) => o.key.name === k)?.value;
    return v && v.kind === "NumberLit" ? v : undefined;
  };
  const overlap = num("overlap");
  const chunk = num("chunk")?.value ?? DEFAULT_CHUNK;
  if (overlap && overlap.value >= chunk) {
    ctx.report("TG3003", `'overlap' must be less than the chunk size (${chunk} words)`, overlap.range);
  }
  if (format === "files") {
    for (const k of ["text", "source"]) {
      const e = d.options.find((o) => o.key.name === k);
      if (e) ctx.report("TG3003", `'${k}' names a key of a jsonl record; files have no keys`, e.key.range);
    }
  }
}

/** `split all { train: 0.6, val: 0.2, seed: 1 }`: sizes all fractions or all counts, a whole-number seed. */
export function checkSplit(ctx: CheckContext, d: A.SplitDecl): void {
  if (d.parts.length === 0) ctx.report("TG3005", "a split needs at least one part, like { train: 0.8, val: 0.2 }", d.range);
  const sizes: number[] = [];
  for (const p of d.parts) {
    if (p.name.name !== "" && keywords.includes(p.name.name)) {
      ctx.report("TG3003", `'${p.name.name}' is a keyword and cannot name a data set`, p.name.range);
    }
    const v = p.size.kind === "NumberLit" ? p.size.value : undefined;
    if (v === undefined || !(v > 0)) {
      ctx.report("TG3003", `the size of '${p.name.name}' must be a positive number: a fraction (0.6) or a count of examples (6)`, p.size.range);
    } else sizes.push(v);
  }
  if (sizes.length === d.parts.length && sizes.length > 0) {
    const counts = sizes.every((s) => Number.isInteger(s));
    const fractions = sizes.every((s) => s < 1);
    if (!counts && !fractions) {
      ctx.report("TG3003", "the sizes must be all fractions (0.6, 0.2) or all counts of examples (6, 2), not both", d.range, {
        hint: "a fraction is below 1; a count is a whole number",
      });
    } else if (!counts) {
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total > 1 + 1e-9) ctx.report("TG3003", `the fractions add up to ${Number(total.toFixed(6))}, more than the whole data set`, d.range);
    }
  }
  if (d.seed) {
    const v = d.seed.value.kind === "NumberLit" ? d.seed.value.value : undefined;
    if (v === undefined || !Number.isInteger(v)) ctx.report("TG3003", "'seed' must be a whole number", d.seed.value.range);
  }
}

function checkLoss(ctx: CheckContext, checker: ExpressionChecker, sym: Extract<DeclSymbol, { kind: "loss" }>, env: Env): void {
  const d = sym.decl;
  checkParams(ctx, checker, d.params, env, false);
  const locals = new Map<string, Symbol>();
  for (const p of d.params) {
    const type = p.type ? checker.typeOfRefQuiet(p.type, env) : { kind: "example" as const, data: undefined };
    locals.set(p.name.name, { kind: "param", decl: p, type, module: sym.module });
  }
  const t = checker.check(d.body, { ...env, locals });
  if (t.kind === "metric") {
    ctx.report("TG3002", "a metric is not a loss: it scores, but says nothing the optimizer can act on", d.body.range, {
      hint: 'give it a rule: "what is wrong, e.g. expected {ex.answer}" unless ' + "metric(…)",
    });
  } else if (t.kind !== "loss" && t.kind !== "unknown") {
    ctx.report("TG3001", `a loss must be a rubric, a rule, or a sum of losses, but this is ${typeName(t)}`, d.body.range);
  }
}
