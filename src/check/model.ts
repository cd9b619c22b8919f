// What the checker hands the lowering: resolved names, types of expressions, and validated settings.
import type * as A from "../syntax/ast.js";

export type Type =
  | { readonly kind: "text" }
  | { readonly kind: "number" }
  | { readonly kind: "bool" }
  | { readonly kind: "list"; readonly item: Type }
  | { readonly kind: "loss" }
  | { readonly kind: "metric" }
  | { readonly kind: "engine" }
  /** What an agent did: each tool call with its result, then the answer. Reads as text; `.answer` is the answer. */
  | { readonly kind: "trajectory" }
  | { readonly kind: "example"; readonly data: DataSymbol | undefined }
  /** The type of something already reported as wrong; it matches everything, so one mistake is one diagnostic. */
  | { readonly kind: "unknown" };

export const T = {
  text: { kind: "text" },
  number: { kind: "number" },
  bool: { kind: "bool" },
  loss: { kind: "loss" },
  metric: { kind: "metric" },
  engine: { kind: "engine" },
  trajectory: { kind: "trajectory" },
  unknown: { kind: "unknown" },
} as const satisfies Record<string, Type>;

export function typeName(t: Type): string {
  switch (t.kind) {
    case "list":
      return `list of ${typeName(t.item)}`;
    case "example":
      return t.data ? `example of ${t.data.decl.name.name}` : "example";
    default:
      return t.kind;
  }
}

/** A module is identified by its resolved id: a file path, or `std/<name>` for the standard library. */
export interface Module {
  readonly id: string;
  readonly program: A.Program;
  readonly text: string;
}

interface SymbolBase {
  readonly module: string;
}
export interface EngineSymbol extends SymbolBase {
  readonly kind: "engine";
  readonly decl: A.EngineDecl;
}
export interface VariableSymbol extends SymbolBase {
  readonly kind: "variable";
  readonly decl: A.VariableDecl;
}
export interface DataSymbol extends SymbolBase {
  readonly kind: "data";
  /** A data declaration, or a part of a split. */
  readonly decl: A.DataDecl | A.SplitPart;
  /** For a split's part: the split, and the data set it cuts (undefined when that name is unknown). */
  readonly split?: { readonly decl: A.SplitDecl; readonly source: DataSymbol | undefined };
}
export interface CorpusSymbol extends SymbolBase {
  readonly kind: "corpus";
  readonly decl: A.CorpusDecl;
}
export interface FnSymbol extends SymbolBase {
  readonly kind: "fn";
  readonly decl: A.FnDecl;
}
export interface ExternSymbol extends SymbolBase {
  readonly kind: "extern";
  readonly decl: A.ExternFnDecl;
}
export interface LossSymbol extends SymbolBase {
  readonly kind: "loss";
  readonly decl: A.LossDecl;
}
export interface ParamSymbol extends SymbolBase {
  readonly kind: "param";
  readonly decl: A.Param;
  readonly type: Type;
}
export interface LetSymbol extends SymbolBase {
  readonly kind: "let";
  readonly decl: A.LetBinding;
}
/** `ex` inside an optimize block: the current example of the block's data. */
export interface ExampleSymbol extends SymbolBase {
  readonly kind: "example";
  readonly data: DataSymbol | undefined;
  readonly range: A.Node["range"];
}

export type DeclSymbol = EngineSymbol | VariableSymbol | DataSymbol | CorpusSymbol | FnSymbol | ExternSymbol | LossSymbol;
export type Symbol = DeclSymbol | ParamSymbol | LetSymbol | ExampleSymbol;

export interface CheckedProgram {
  readonly root: Module;
  readonly modules: ReadonlyMap<string, Module>;
  /** Every resolved name use (NameRef, CallExpr callee, interpolation head, optimize target…) → its symbol. */
  readonly references: ReadonlyMap<A.Identifier, Symbol>;
  /** The type of every checked expression. */
  readonly types: ReadonlyMap<A.Expr, Type>;
  /** Top-level symbols of each module, by module id. */
  readonly scopes: ReadonlyMap<string, ReadonlyMap<string, DeclSymbol>>;
}
