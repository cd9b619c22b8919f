// Where names are: every identifier of a checked program paired with the symbol it declares or uses, so that
// hover, definition, references and rename all start from "which symbol is under the cursor".
import type { CheckedProgram, DeclSymbol, Symbol } from "../check/index.js";
import type { Range } from "../diagnostics/diagnostic.js";
import type * as A from "../syntax/ast.js";

export interface Occurrence {
  readonly name: A.Identifier;
  readonly symbol: Symbol;
  /** True where the symbol is declared, false where it is used. */
  readonly declaration: boolean;
}

/** The identifier that declares a symbol (for `ex`, the optimize block it belongs to has none: its own range). */
export function declarationRange(sym: Symbol): Range {
  return sym.kind === "example" ? sym.range : sym.decl.name.range;
}

/** A symbol's identity across checks: each check makes new symbol objects, but a declaration stays where it is. */
export function symbolKey(sym: Symbol): string {
  const r = declarationRange(sym);
  return `${sym.kind === "example" ? "ex" : "decl"}|${sym.module}|${r.start}`;
}

/** Every declaration and use of a name in every module of the program. */
export function occurrences(checked: CheckedProgram): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new Set<A.Identifier>();
  const paramSymbols = new Map<A.Param | A.LetBinding, Symbol>();
  for (const [name, symbol] of checked.references) {
    if (symbol.kind === "param" || symbol.kind === "let") paramSymbols.set(symbol.decl, symbol);
    const declaration = symbol.kind !== "example" && symbol.decl.name === name;
    out.push({ name, symbol, declaration });
    seen.add(name);
  }
  for (const [id, module] of checked.modules) {
    const scope = checked.scopes.get(id);
    for (const d of module.program.declarations) {
      const top = topLevelSymbol(d, scope);
      if (top && !seen.has(top.decl.name)) out.push({ name: top.decl.name, symbol: top, declaration: true });
      const locals = localsOf(d);
      for (const local of locals) {
        if (seen.has(local.name) || local.name.name === "") continue;
        const symbol: Symbol =
          paramSymbols.get(local) ??
          (local.kind === "Param" ? { kind: "param", decl: local, module: id, type: { kind: "unknown" } } : { kind: "let", decl: local, module: id });
        out.push({ name: local.name, symbol, declaration: true });
      }
    }
  }
  return out;
}

/** The names a declaration binds for its own body: parameters (of a function, a loss, an extern, a per-example variable) and lets. */
export function localsOf(d: A.Declaration): (A.Param | A.LetBinding)[] {
  switch (d.kind) {
    case "FnDecl":
      return [...d.params, ...d.lets];
    case "LossDecl":
    case "ExternFnDecl":
    case "VariableDecl":
      return [...d.params];
    default:
      return [];
  }
}

function topLevelSymbol(d: A.Declaration, scope: ReadonlyMap<string, DeclSymbol> | undefined): DeclSymbol | undefined {
  switch (d.kind) {
    case "ImportDecl":
    case "OptimizeDecl":
    case "SplitDecl":
      return undefined;
    case "EngineDecl":
    case "VariableDecl":
    case "DataDecl":
    case "CorpusDecl":
    case "FnDecl":
    case "ExternFnDecl":
    case "LossDecl": {
      const sym = scope?.get(d.name.name);
      return sym && sym.decl === d ? sym : undefined;
    }
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** The occurrence under an offset of a module (the innermost, should names ever nest), if any. */
export function occurrenceAt(checked: CheckedProgram, module: string, offset: number): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const o of occurrences(checked)) {
    const r = o.name.range;
    if (r.file !== module || r.start > offset || offset > r.end || r.start === r.end) continue;
    if (!best || r.end - r.start < best.name.range.end - best.name.range.start) best = o;
  }
  return best;
}
