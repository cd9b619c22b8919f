// References and rename: every identifier, in the document's program and in every other open document's, that
// names the same declaration as the one under the cursor.
import type { Range } from "../diagnostics/diagnostic.js";
import { keywords } from "../syntax/tokens.js";
import { declarationRange, localsOf, occurrences, symbolKey, type Occurrence } from "./symbols.js";
import type { Symbol } from "../check/index.js";
import type { Analysis } from "./workspace.js";

export interface Place {
  /** The module id the range is in. */
  readonly module: string;
  readonly text: string;
  readonly range: Range;
}

/** Every place a symbol is declared or named, across the given analyses (each place once). */
export function placesOf(symbol: Symbol, analyses: readonly Analysis[], includeDeclaration: boolean): Place[] {
  const key = symbolKey(symbol);
  const seen = new Set<string>();
  const out: Place[] = [];
  const declared = declarationRange(symbol);
  for (const a of analyses) {
    for (const o of occurrences(a.checked)) {
      if (symbolKey(o.symbol) !== key) continue;
      const r = o.name.range;
      if (!includeDeclaration && r.file === declared.file && r.start === declared.start) continue;
      const id = `${r.file}|${r.start}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const text = a.checked.modules.get(r.file)?.text;
      if (text !== undefined) out.push({ module: r.file, text, range: r });
    }
  }
  return out.sort((x, y) => x.module.localeCompare(y.module) || x.range.start - y.range.start);
}

/** Why a symbol cannot be renamed, or undefined if it can. */
export function cannotRename(symbol: Symbol): string | undefined {
  if (symbol.kind === "example") return "'ex' is the language's name for the current example";
  if (symbol.module.startsWith("std/")) return "declarations of the standard library cannot be renamed";
  return undefined;
}

/** Why a new name is not a valid name, or undefined if it is. */
export function badName(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `'${name}' is not a name: letters, digits and _, not starting with a digit`;
  if (keywords.includes(name)) return `'${name}' is a keyword`;
  return undefined;
}

/**
 * Why renaming to `name` would change what the program means, or undefined if it would not: the name is declared
 * already where the symbol is visible (two declarations of one name), or a place being renamed stands inside a
 * declaration where `name` already means something else (a parameter, a let, or a name the declaration uses), which
 * the renamed name would then capture or be captured by.
 */
export function renameConflict(symbol: Symbol, name: string, places: readonly Place[], analyses: readonly Analysis[]): string | undefined {
  const local = symbol.kind === "param" || symbol.kind === "let";
  const key = symbolKey(symbol);
  // The identifiers spelt `name` that stand for something else, listed once per program, not once per place.
  const others = new Map<Analysis, Occurrence[]>();
  const othersIn = (a: Analysis) => {
    let found = others.get(a);
    if (!found) others.set(a, (found = occurrences(a.checked).filter((o) => o.name.name === name && symbolKey(o.symbol) !== key)));
    return found;
  };
  for (const p of places) {
    const a = analyses.find((x) => x.checked.modules.has(p.module));
    if (!a) continue;
    if (!local && a.checked.scopes.get(p.module)?.has(name)) return `'${name}' is already declared in ${p.module}`;
    const enclosing = a.checked.modules.get(p.module)?.program.declarations.find((d) => d.range.start <= p.range.start && p.range.end <= d.range.end);
    if (!enclosing) continue;
    if (localsOf(enclosing).some((l) => l.name.name === name)) return `'${name}' is already a parameter or a let of the declaration at ${p.module}`;
    const inside = (r: Range) => r.file === p.module && enclosing.range.start <= r.start && r.end <= enclosing.range.end;
    const used = othersIn(a).find((o) => inside(o.name.range));
    if (used) return `'${name}' already means something else where the renamed name is used (${p.module})`;
  }
  return undefined;
}
