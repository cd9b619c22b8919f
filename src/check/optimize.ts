// Rules for `optimize` blocks: what is trained, by which optimizer, on what data, minimizing what.
import type * as A from "../syntax/ast.js";
import { forEachExpression } from "../syntax/walk.js";
import type { CheckContext } from "./context.js";
import { fieldsOf, isConstant, textLike, type Env, type ExpressionChecker } from "./expressions.js";
import { T, typeName, type DataSymbol, type DeclSymbol, type Symbol, type Type, type VariableSymbol } from "./model.js";
import { variablesReached } from "./rules.js";
import { didYouMean, optimizers, optimizeSettings } from "./options.js";

export function checkOptimize(ctx: CheckContext, checker: ExpressionChecker, d: A.OptimizeDecl, module: string): void {
  const env: Env = { module, locals: new Map(), owner: d };

  for (const target of d.targets) {
    const sym = checker.lookup(target, env);
    if (!sym) continue;
    if (sym.kind !== "variable") {
      ctx.report("TG3007", `only variables can be optimized, and '${target.name}' is ${articleKind(sym)}`, target.range);
    } else if (!sym.decl.trainable) {
      ctx.report("TG3007", `'${target.name}' is frozen`, target.range, {
        hint: "declare it trainable to optimize it",
        related: [{ message: "declared here", range: sym.decl.range }],
      });
    }
  }

  const optimizerSpec = optimizers[d.optimizer.name];
  if (!optimizerSpec && d.optimizer.name !== "") {
    ctx.report("TG2013", `unknown optimizer '${d.optimizer.name}'`, d.optimizer.range, {
      hint: didYouMean(d.optimizer.name, Object.keys(optimizers)) ?? `the optimizers are: ${Object.keys(optimizers).join(", ")}`,
    });
  }
  if (optimizerSpec) {
    checker.checkEntries(d.optimizerArgs, optimizerSpec, env, `of ${d.optimizer.name}`);
    if (!d.optimizerArgs.some((a) => a.key.name === "engine")) {
      ctx.report("TG3005", `${d.optimizer.name} needs an engine for gradients and updates`, d.optimizer.range, {
        hint: `${d.optimizer.name}(engine: teacher)`,
      });
    }
  }

  checker.checkEntries(d.settings, optimizeSettings, env, "in an optimize block");
  const setting = (key: string) => d.settings.find((s) => s.key.name === key);

  const dataEntry = setting("data");
  const data = dataEntry ? dataRef(ctx, checker, dataEntry.value, env) : undefined;
  // `each:` goes through its data one example at a time, each with values of its own: nothing is batched or validated.
  const eachEntry = setting("each");
  const each = eachEntry ? dataRef(ctx, checker, eachEntry.value, env, "each") : undefined;
  if (eachEntry) {
    for (const key of ["data", "batch", "epochs", "test", "patience"]) {
      const s = setting(key);
      if (s) ctx.report("TG3010", `'${key}' is for training one value on a data set; 'each' optimizes every example's own values`, s.key.range);
    }
    if (d.validate) {
      ctx.report("TG3010", "validation keeps the values that do best on a data set; 'each' has values per example", d.validate.range, {
        hint: "score each example's values with score: <metric>",
      });
    }
  } else if (!dataEntry) {
    for (const key of ["epochs", "batch"]) {
      const s = setting(key);
      if (s) ctx.report("TG3010", `'${key}' needs data to train on`, s.key.range, { hint: "add data: <name of a data set>" });
    }
  }
  const loop = dataEntry ?? eachEntry;
  const loopData = data ?? each;
  /** Where `ex` is the current example: the block's objective, vote and score. */
  const exampleEnv: Env = loop ? { ...env, locals: new Map<string, Symbol>([["ex", { kind: "example", data: loopData, module, range: loop.range }]]) } : env;

  const test = setting("test");
  if (test) {
    const held = dataRef(ctx, checker, test.value, env, "test");
    const validated = d.validate ? ctx.scopes.get(module)?.get(d.validate.data.name) : undefined;
    if (held && (held === data || held === validated)) {
      ctx.report("TG3010", "the test set must be held out: it cannot be the data trained or validated on", test.value.range);
    }
    if (!d.validate && !eachEntry) ctx.report("TG3010", "'test' is scored with the validation metric: add validate: <data set> by <metric>", test.key.range);
  }

  const minimize = setting("minimize");
  if (!minimize) {
    ctx.report("TG3005", "an optimize block needs 'minimize: <loss>'", d.range);
  } else {
    checkObjective(ctx, checker, minimize.value, exampleEnv, loopData, loop !== undefined);
  }

  const patience = setting("patience");
  if (patience && !d.validate && !eachEntry) {
    ctx.report("TG3010", "'patience' needs validation to know when it stops improving", patience.key.range, { hint: "add validate: <data set> by <metric>" });
  }

  const vote = setting("vote");
  if (vote) {
    if (dataEntry) ctx.report("TG3010", "'vote' is for test-time optimization; it cannot go with data", vote.key.range, { hint: "each: <data set> votes once per example" });
    if (d.targets.length !== 1) ctx.report("TG3010", "'vote' chooses among the values of one variable; optimize one variable", vote.key.range);
    const t = checker.check(vote.value, exampleEnv);
    if (!textLike(t)) {
      ctx.report("TG3001", `'vote' needs the answer a value gives, as text, but this is ${typeName(t)}`, vote.value.range, {
        hint: "for example: vote: chosen_letter(answer, …) from std/choice",
      });
    }
  }

  const score = setting("score");
  if (score) {
    if (!eachEntry) ctx.report("TG3010", "'score' scores each example's own values, so it goes with each: <data set>", score.key.range, { hint: "to score one value on a data set, use validate: <data set> by <metric>" });
    const t = checker.check(score.value, exampleEnv);
    if (t.kind !== "metric" && t.kind !== "unknown") {
      ctx.report("TG3001", `'score' needs a metric, but this is ${typeName(t)}`, score.value.range, {
        hint: 'a metric from the stdlib, e.g. import { exact_number } from "std/metrics"',
      });
    }
  }

  checkPerExampleUses(ctx, d, [...[minimize, vote, score].flatMap((s) => (s ? [s.value] : [])), ...(d.validate ? [d.validate.metric] : [])], eachEntry, each);


  if (d.validate) {
    const v = d.validate;
    const valData = dataRefName(ctx, checker, v.data, env);
    const locals = new Map<string, Symbol>([["ex", { kind: "example", data: valData, module, range: v.data.range }]]);
    const t = checker.check(v.metric, { ...env, locals });
    if (t.kind !== "metric" && t.kind !== "unknown") {
      ctx.report("TG3001", `validation needs a metric, but this is ${typeName(t)}`, v.metric.range, {
        hint: 'a metric from the stdlib, e.g. import { exact_number } from "std/metrics"',
      });
    }
  }
}

/**
 * A variable declared with a parameter has a value per example, so only a block with `each:` can use it; there it
 * reads the fields of that block's data.
 */
function checkPerExampleUses(ctx: CheckContext, d: A.OptimizeDecl, exprs: readonly A.Expr[], eachEntry: A.Entry | undefined, each: DataSymbol | undefined): void {
  const perExample = (s: DeclSymbol | undefined): s is VariableSymbol => s?.kind === "variable" && s.decl.params.length > 0;
  // The variables the block uses, each with where the block first reaches it (a target, or the expression that reads
  // it, directly or through functions and losses), and, through the initializers of per-example ones, what those read.
  const used = new Map<DeclSymbol, A.Node["range"]>();
  for (const t of d.targets) {
    const s = ctx.references.get(t);
    if (s?.kind !== "variable") continue;
    used.set(s, t.range);
    if (eachEntry && s.decl.params.length === 0 && s.decl.trainable) {
      ctx.report("TG3013", `'${t.name}' has no value per example: 'each' optimizes it for every example, then restores it, so what each example made of it is lost`, t.range, {
        hint: `declare it ${t.name}(ex) to keep every example's value, or optimize it in a block without each`,
      });
    }
  }
  for (const e of exprs) for (const s of variablesReached(ctx, e)) if (!used.has(s)) used.set(s, e.range);
  for (const [s, at] of used) if (perExample(s)) for (const r of variablesReached(ctx, s.decl.init)) if (!used.has(r)) used.set(r, at);
  const seen = new Set<A.Node>();
  for (const [s, at] of used) {
    if (!perExample(s)) continue;
    const name = s.decl.name.name;
    const param = s.decl.params[0]!;
    if (!eachEntry) {
      ctx.report("TG3009", `'${name}' has one value per example (it is declared ${name}(${param.name.name})), so only a block with 'each' can use it`, at, {
        hint: "add each: <data set> to optimize it for every example of the data set",
        related: [{ message: "declared here", range: s.decl.name.range }],
      });
      continue;
    }
    if (!each) continue;
    const typed = param.type ? ctx.scopes.get(s.module)?.get(param.type.name.name) : undefined;
    if (typed?.kind === "data" && typed !== each) {
      const sameName = typed.decl.name.name === each.decl.name.name;
      const label = (x: DataSymbol) => (sameName ? `${x.decl.name.name} of ${x.module}` : x.decl.name.name);
      ctx.report("TG3001", `'${name}' is declared for examples of ${label(typed)}, but this block goes through ${label(each)}`, eachEntry.value.range, {
        related: [{ message: "declared here", range: s.decl.name.range }],
      });
    } else if (!param.type) {
      checkFieldUses(ctx, param, s.decl.init, each, seen, { message: `'${name}' is computed for each example of this block's data`, range: eachEntry.range });
    }
  }
}

function articleKind(sym: Symbol): string {
  return sym.kind === "engine" || sym.kind === "example" ? `an ${sym.kind}` : `a ${sym.kind}`;
}

function dataRef(ctx: CheckContext, checker: ExpressionChecker, e: A.Expr, env: Env, key = "data"): DataSymbol | undefined {
  if (e.kind !== "NameRef") {
    ctx.report("TG3003", `'${key}' must name a data set`, e.range);
    return undefined;
  }
  return dataRefName(ctx, checker, e.name, env);
}

function dataRefName(ctx: CheckContext, checker: ExpressionChecker, name: A.Identifier, env: Env): DataSymbol | undefined {
  const sym = checker.lookup(name, env);
  if (!sym) return undefined;
  if (sym.kind !== "data") {
    ctx.report("TG3001", `'${name.name}' is not a data set`, name.range);
    return undefined;
  }
  return sym;
}

/** `minimize:` takes a loss expression; a loss with one parameter named alone is applied to the current example. */
function checkObjective(ctx: CheckContext, checker: ExpressionChecker, e: A.Expr, env: Env, data: DataSymbol | undefined, hasData: boolean): void {
  // Returns the objective's type; each wrong term is reported once, where it stands.
  const visit = (x: A.Expr): Type => {
    if (x.kind === "NameRef") {
      const sym = env.locals.get(x.name.name) ?? ctx.scopes.get(env.module)?.get(x.name.name);
      if (sym?.kind === "loss" && sym.decl.params.length === 1) {
        ctx.references.set(x.name, sym);
        ctx.use(env.owner, sym);
        ctx.types.set(x, T.loss);
        const param = sym.decl.params[0]!;
        const paramType = param.type ? checker.typeOfRefQuiet(param.type, { ...env, module: sym.module }) : undefined;
        if (paramType && paramType.kind !== "example" && paramType.kind !== "unknown") {
          ctx.report("TG3001", `loss '${x.name.name}' takes ${typeName(paramType)}, so it cannot be applied to the example`, x.range, {
            hint: `call it with a value: ${x.name.name}(ex.<field>)`,
          });
          return T.unknown;
        }
        if (!hasData) {
          ctx.report("TG3009", `loss '${x.name.name}' reads an example, but this block has no data`, x.range, {
            hint: "add data: <name of a data set>",
          });
        } else if (data) {
          checkFieldUses(ctx, sym.decl.params[0]!, sym.decl.body, data, new Set());
        }
        return T.loss;
      }
    }
    if (x.kind === "BinaryExpr") {
      const l = visit(x.left);
      const r = visit(x.right);
      const nonLiteral = [x.left, x.right].find((side, i) => [l, r][i]!.kind === "number" && !isConstant(side));
      if (nonLiteral) {
        ctx.report("TG3001", "arithmetic on numbers and loss weights take number literals only", nonLiteral.range, {
          hint: "write the number itself, like 0.5 * critique",
        });
      }
      const t: Type =
        l.kind === "unknown" || r.kind === "unknown" || nonLiteral
          ? T.unknown
          : l.kind === "number" && r.kind === "number"
            ? T.number
            : x.op === "+" && (l.kind === "number" || r.kind === "number")
              ? (ctx.report("TG3001", "a number cannot be added to a loss; weight a loss with *", x.range), T.unknown)
              : x.op === "*" && l.kind === "loss" && r.kind === "loss"
                ? (ctx.report("TG3001", "two losses cannot be multiplied; add them", x.range), T.unknown)
                : T.loss;
      ctx.types.set(x, t);
      return t;
    }
    if (x.kind === "ParenExpr") {
      const t = visit(x.inner);
      ctx.types.set(x, t);
      return t;
    }
    const t = checker.check(x, env);
    if (x.kind === "CallExpr" && data) {
      const sym = ctx.references.get(x.callee);
      if (sym?.kind === "loss") followExampleArgs(ctx, sym.decl, x.args, data, new Set());
    }
    if (t.kind === "metric") {
      ctx.report("TG3002", "a metric is not a loss: it scores, but says nothing the optimizer can act on", x.range, {
        hint: 'minimize a loss with a rule instead: "what is wrong" unless metric(…)',
      });
      return T.unknown;
    }
    if (t.kind !== "loss" && t.kind !== "number" && t.kind !== "unknown") {
      ctx.report("TG3001", `'minimize' needs a loss, but this is ${typeName(t)}`, x.range);
      return T.unknown;
    }
    return t;
  };
  if (visit(e).kind === "number") ctx.report("TG3001", "'minimize' needs a loss, but this is a number", e.range);
}

/**
 * Checks that a loss (or per-example variable) whose parameter is untyped only reads fields the bound data set
 * declares; `via` says where it is bound, when that is not where the reading is.
 */
function checkFieldUses(ctx: CheckContext, param: A.Param, body: A.Expr, data: DataSymbol, seen: Set<A.Node>, via?: { readonly message: string; readonly range: A.Node["range"] }): void {
  if (seen.has(param)) return;
  seen.add(param);
  const fields = fieldsOf(data);
  const isParam = (id: A.Identifier) => {
    const s = ctx.references.get(id);
    return s?.kind === "param" && s.decl === param;
  };
  const checkField = (prop: A.Identifier) => {
    if (!fields || fields.has(prop.name)) return;
    ctx.report("TG2007", `data '${data.decl.name.name}' has no field '${prop.name}'`, prop.range, {
      hint: didYouMean(prop.name, fields.keys()) ?? `its fields are: ${[...fields.keys()].join(", ")}`,
      related: [{ message: "fields declared here", range: data.decl.range }, ...(via ? [via] : [])],
    });
  };
  forEachExpression(body, (e) => {
    if (e.kind === "MemberExpr" && e.object.kind === "NameRef" && isParam(e.object.name)) checkField(e.property);
    if (e.kind === "StringLit") {
      for (const p of e.parts) if (p.kind === "Interpolation" && p.path.length > 1 && isParam(p.path[0]!)) checkField(p.path[1]!);
    }
    if (e.kind === "CallExpr") {
      const sym = ctx.references.get(e.callee);
      if (sym?.kind === "loss") followExampleArgs(ctx, sym.decl, e.args, data, seen, isParam);
    }
  });
}

/** A loss called with the example as an argument reads fields through its own parameter. */
function followExampleArgs(
  ctx: CheckContext,
  callee: A.LossDecl,
  args: readonly A.Expr[],
  data: DataSymbol,
  seen: Set<A.Node>,
  isExample: (id: A.Identifier) => boolean = (id) => ctx.references.get(id)?.kind === "example",
): void {
  args.forEach((arg, i) => {
    const p = callee.params[i];
    if (p && !p.type && arg.kind === "NameRef" && isExample(arg.name)) checkFieldUses(ctx, p, callee.body, data, seen);
  });
}
