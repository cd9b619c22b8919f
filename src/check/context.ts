// State shared by the checker's passes: the diagnostics, the resolved names and types, the module scopes.
import type { Code } from "../diagnostics/codes.js";
import { diagnostic, type Diagnostic, type Range, type Related } from "../diagnostics/diagnostic.js";
import type * as A from "../syntax/ast.js";
import type { DeclSymbol, Module, Symbol, Type } from "./model.js";

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly references = new Map<A.Identifier, Symbol>();
  readonly types = new Map<A.Expr, Type>();
  readonly scopes = new Map<string, Map<string, DeclSymbol>>();
  /** Declarations each declaration's body refers to, for cycles and for "unused". */
  readonly uses = new Map<DeclSymbol | A.OptimizeDecl, Set<DeclSymbol>>();
  /** Where each declaration of each module lives, to find the symbol of a declaration node. */
  readonly symbolOf = new Map<A.Declaration, DeclSymbol>();

  constructor(
    readonly modules: ReadonlyMap<string, Module>,
    /** Whether a module may declare extern functions (the host says; std/ modules always may). */
    readonly nativeModule: (id: string) => boolean = (id) => id.startsWith("std/"),
  ) {}

  report(code: Code, message: string, range: Range, extra: { hint?: string; related?: readonly Related[] } = {}): void {
    // A name the parser had to invent while recovering has an empty range in a broken file: stay quiet there.
    this.diagnostics.push(diagnostic(code, message, range, extra));
  }

  use(from: DeclSymbol | A.OptimizeDecl | undefined, to: DeclSymbol): void {
    if (!from) return;
    let set = this.uses.get(from);
    if (!set) this.uses.set(from, (set = new Set()));
    set.add(to);
  }
}
