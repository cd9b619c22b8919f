// Program-wide rules that need every declaration checked first: cycles, unused names, gradient reachability.
import type * as A from "../syntax/ast.js";
import { forEachExpression } from "../syntax/walk.js";
import type { CheckContext } from "./context.js";
import type { DeclSymbol } from "./model.js";

/** Dependency cycles among variables, functions and losses (engines and data cannot take part in one). */
export function reportCycles(ctx: CheckContext): void {
  const state = new Map<DeclSymbol, "open" | "done">();
  const stack: DeclSymbol[] = [];
  const reported = new Set<DeclSymbol>();
  const visit = (s: DeclSymbol) => {
    state.set(s, "open");
    stack.push(s);
    for (const next of ctx.uses.get(s) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        if (!cycle.some((c) => reported.has(c))) {
          cycle.forEach((c) => reported.add(c));
          const names = [...cycle, next].map((c) => c.decl.name.name).join(" → ");
          ctx.report("TG2006", `dependency cycle: ${names}`, next.decl.name.range, {
            hint: "a value cannot depend on itself; functions cannot call themselves",
            related: cycle.slice(1).map((c) => ({ message: `'${c.decl.name.name}' is part of the cycle`, range: c.decl.name.range })),
          });
        }
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(s, "done");
  };
  for (const s of ctx.symbolOf.values()) if (!state.has(s)) visit(s);
}

/** Declarations of the root module, and names it imports, that nothing refers to. A library's are its exports. */
export function reportUnused(ctx: CheckContext, root: string): void {
  if (root.startsWith("std/")) return;
  const used = new Set<DeclSymbol>();
  for (const set of ctx.uses.values()) for (const s of set) used.add(s);
  const module = ctx.modules.get(root)!;
  for (const d of module.program.declarations) {
    if (d.kind === "ImportDecl") {
      for (const name of d.names) {
        const sym = ctx.references.get(name);
        if (sym && sym.kind !== "param" && sym.kind !== "let" && sym.kind !== "example" && !used.has(sym)) {
          ctx.report("TG2009", `'${name.name}' is imported but never used`, name.range);
        }
      }
      continue;
    }
    const sym = ctx.symbolOf.get(d);
    if (!sym || used.has(sym) || sym.decl.name.name === "") continue;
    if (ctx.scopes.get(root)?.get(sym.decl.name.name) !== sym) continue; // a duplicate, reported as such
    if (sym.kind === "variable" && sym.decl.trainable) continue; // TG3012 says more
    ctx.report("TG2009", `${sym.kind === "fn" || sym.kind === "extern" ? "function" : sym.kind} '${sym.decl.name.name}' is never used`, sym.decl.name.range);
  }
}

/** The variables whose values the expression's value depends on along differentiable paths. */
export function variablesReached(ctx: CheckContext, expr: A.Expr): Set<DeclSymbol> {
  const reached = new Set<DeclSymbol>();
  const seen = new Set<DeclSymbol>();
  const fromExpr = (e: A.Expr) => {
    for (const id of identifiersIn(e)) {
      const s = ctx.references.get(id);
      if (s && (s.kind === "variable" || s.kind === "fn" || s.kind === "loss")) fromDecl(s);
    }
  };
  const fromDecl = (s: DeclSymbol) => {
    if (seen.has(s)) return;
    seen.add(s);
    if (s.kind === "variable") reached.add(s);
    else if (s.kind === "fn") {
      s.decl.lets.forEach((l) => fromExpr(l.value));
      fromExpr(s.decl.body);
    } else if (s.kind === "loss") fromExpr(s.decl.body);
  };
  fromExpr(expr);
  return reached;
}

/** Every name an expression uses: names, callees, and the heads of interpolations. */
export function identifiersIn(e: A.Expr): A.Identifier[] {
  const out: A.Identifier[] = [];
  forEachExpression(e, (x) => {
    if (x.kind === "NameRef") out.push(x.name);
    else if (x.kind === "CallExpr") out.push(x.callee);
    else if (x.kind === "StringLit") for (const p of x.parts) if (p.kind === "Interpolation") out.push(p.path[0]!);
  });
  return out;
}

/** Trainable variables that no minimized loss reaches, and trainable variables no block optimizes. */
export function reportGradientReach(ctx: CheckContext, root: string): void {
  const module = ctx.modules.get(root)!;
  const optimized = new Set<DeclSymbol>();
  for (const d of module.program.declarations) {
    if (d.kind !== "OptimizeDecl") continue;
    const minimize = d.settings.find((s) => s.key.name === "minimize");
    // With an unresolved name in the objective, what it reaches is unknown: the unknown name is the diagnostic.
    const resolved = minimize && identifiersIn(minimize.value).every((id) => id.name === "" || ctx.references.has(id));
    const reached = minimize && resolved ? variablesReached(ctx, minimize.value) : undefined;
    for (const t of d.targets) {
      const sym = ctx.references.get(t);
      if (sym?.kind !== "variable" || !sym.decl.trainable) continue;
      optimized.add(sym);
      if (reached && !reached.has(sym)) {
        ctx.report("TG3008", `'${t.name}' gets no gradient: the loss this block minimizes does not depend on it`, t.range, {
          hint: "use it in a prompt that the loss evaluates, directly or through a function",
        });
      }
    }
  }
  for (const d of module.program.declarations) {
    const sym = ctx.symbolOf.get(d);
    if (sym?.kind === "variable" && sym.decl.trainable && !optimized.has(sym)) {
      ctx.report("TG3012", `trainable '${sym.decl.name.name}' is never optimized`, sym.decl.name.range, {
        hint: `add an optimize block, or declare it frozen`,
      });
    }
  }
}

/** A variable without a parameter is computed once, before any example, so its initializer cannot read one with. */
export function reportPerExampleInitializers(ctx: CheckContext): void {
  for (const s of ctx.symbolOf.values()) {
    if (s.kind !== "variable" || s.decl.params.length > 0) continue;
    for (const r of variablesReached(ctx, s.decl.init)) {
      if (r.kind !== "variable" || r.decl.params.length === 0) continue;
      const name = r.decl.name.name;
      ctx.report("TG3009", `'${s.decl.name.name}' is computed once, but its initializer reads '${name}', which has one value per example`, s.decl.init.range, {
        hint: `give '${s.decl.name.name}' the example too: ${s.decl.name.name}(${r.decl.params[0]!.name.name})`,
        related: [{ message: `'${name}' is declared here`, range: r.decl.name.range }],
      });
    }
  }
}
