// Top-level names of every module: declarations, then imports (which must name a declaration of their module).
import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import type { DataSymbol, DeclSymbol } from "./model.js";
import { didYouMean } from "./options.js";

function declName(d: A.Declaration): A.Identifier | undefined {
  switch (d.kind) {
    case "ImportDecl":
    case "OptimizeDecl":
    case "SplitDecl": // names its parts, see splitParts
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
    case "CorpusDecl":
      return { kind: "corpus", decl: d, module };
    case "FnDecl":
      return { kind: "fn", decl: d, module };
    case "ExternFnDecl":
      return { kind: "extern", decl: d, module };
    case "LossDecl":
      return { kind: "loss", decl: d, module };
    case "ImportDecl":
    case "OptimizeDecl":
    case "SplitDecl":
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
    splitParts(ctx, module.program, id, scope);
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
        // A module that could not be parsed at all (binary, nested too deep) was reported as such: it declares nothing.
        if (!sym && ctx.diagnostics.some((x) => x.range.file === target && (x.code === "TG1007" || x.code === "TG1008"))) continue;
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

/**
 * A split's parts are data sets of the module. Their source is looked up once every part is declared, so a split
 * may cut another split's part, written before or after it; the source must be declared in the same module.
 */
function splitParts(ctx: CheckContext, program: A.Program, module: string, scope: Map<string, DeclSymbol>): void {
  const links: { decl: A.SplitDecl; source: DataSymbol | undefined }[] = [];
  for (const d of program.declarations) {
    if (d.kind !== "SplitDecl") continue;
    const link = { decl: d, source: undefined as DataSymbol | undefined };
    links.push(link);
    for (const part of d.parts) {
      if (part.name.name === "") continue;
      const sym: DataSymbol = { kind: "data", decl: part, split: link, module };
      const prior = scope.get(part.name.name);
      if (prior) {
        ctx.report("TG2001", `'${part.name.name}' is already declared`, part.name.range, {
          related: [{ message: "first declared here", range: prior.decl.name.range }],
        });
        continue;
      }
      scope.set(part.name.name, sym);
      ctx.references.set(part.name, sym);
    }
  }
  for (const link of links) {
    const name = link.decl.source;
    if (name.name === "") continue;
    const sym = scope.get(name.name);
    if (!sym) {
      const data = [...scope.values()].filter((s) => s.kind === "data").map((s) => s.decl.name.name);
      ctx.report("TG2002", `unknown data set '${name.name}'`, name.range, { hint: didYouMean(name.name, data) ?? "split a data set declared in this file" });
    } else if (sym.kind !== "data") {
      ctx.report("TG3001", `'${name.name}' is ${sym.kind === "fn" || sym.kind === "extern" ? "a function" : `a ${sym.kind}`}, not a data set: only a data set can be split`, name.range);
    } else {
      link.source = sym;
      ctx.references.set(name, sym);
      // The source counts as used by each part.
      for (const s of scope.values()) if (s.kind === "data" && s.split === link) ctx.use(s, sym);
    }
  }
}
