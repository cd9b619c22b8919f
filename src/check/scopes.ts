// Top-level names of every module: declarations, then imports (which must name a declaration of their module).
import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import type { DeclSymbol } from "./model.js";
import { didYouMean } from "./options.js";

function declName(d: A.Declaration): A.Identifier | undefined {
  switch (d.kind) {
    case "ImportDecl":
    case "OptimizeDecl":
      return undefined;
    default:
      return d.name;
  }
}

function symbolFor(d: A.Declaration, module: string): DeclSymbol | undefined {
  switch (d.kind) {
    case "EngineDecl":
      return { kind: "engine", decl: d, module };
    case "VariableDecl":
      return { kind: "variable", decl: d, module };
    case "DataDecl":
      return { kind: "data", decl: d, module };
    case "FnDecl":
      return { kind: "fn", decl: d, module };
    case "ExternFnDecl":
      return { kind: "extern", decl: d, module };
    case "LossDecl":
      return { kind: "loss", decl: d, module };
    case "ImportDecl":
    case "OptimizeDecl":
      return undefined;
    default: {
      const never: never = d;
      return never;
    }
  }
}

export function buildScopes(ctx: CheckContext, importTargets: ReadonlyMap<A.ImportDecl, string>): void {
  const own = new Map<string, Map<string, DeclSymbol>>();
  for (const [id, module] of ctx.modules) {
    const scope = new Map<string, DeclSymbol>();
    for (const d of module.program.declarations) {
      const name = declName(d);
      const sym = symbolFor(d, id);
      if (!name || !sym || name.name === "") continue;
      ctx.symbolOf.set(d, sym);
      const prior = scope.get(name.name);
      if (prior) {
        ctx.report("TG2001", `'${name.name}' is already declared`, name.range, {
          related: [{ message: "first declared here", range: prior.decl.name.range }],
        });
        continue;
      }
      scope.set(name.name, sym);
    }
    own.set(id, scope);
  }
  for (const [id, module] of ctx.modules) {
    const scope = new Map(own.get(id));
    for (const d of module.program.declarations) {
      if (d.kind !== "ImportDecl") continue;
      const target = importTargets.get(d);
      const exported = target === undefined ? undefined : own.get(target);
      for (const name of d.names) {
        if (!exported) continue; // the missing module was reported already
        const sym = exported.get(name.name);
        if (!sym) {
          ctx.report("TG2004", `module "${target}" has no declaration '${name.name}'`, name.range, {
            hint: didYouMean(name.name, exported.keys()) ?? `it declares: ${[...exported.keys()].join(", ") || "nothing"}`,
          });
          continue;
        }
        const prior = scope.get(name.name);
        if (prior && prior !== sym) {
          ctx.report("TG2001", `'${name.name}' is already declared`, name.range, {
            related: [{ message: "declared here", range: prior.decl.name.range }],
          });
          continue;
        }
        scope.set(name.name, sym);
        ctx.references.set(name, sym);
      }
    }
    ctx.scopes.set(id, scope);
  }
}
