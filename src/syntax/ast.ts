// The typed AST: one discriminated union per syntactic category, a source range on every node.
// The checker, the lowering and the formatter read only these types, never Chevrotain's CST.
import type { Range } from "../diagnostics/diagnostic.js";

export interface Node {
  readonly range: Range;
}

export interface Identifier extends Node {
  readonly kind: "Identifier";
  readonly name: string;
}

export interface Comment extends Node {
  readonly kind: "Comment";
  readonly text: string;
  readonly block: boolean;
}

export interface Program extends Node {
  readonly kind: "Program";
  readonly file: string;
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
}

export type Declaration =
  | ImportDecl
  | EngineDecl
  | VariableDecl
  | DataDecl
  | SplitDecl
  | CorpusDecl
  | FnDecl
  | ExternFnDecl
  | LossDecl
  | OptimizeDecl;

/** `import { a, b } from "std/metrics"` or `from "./common.tg"`. */
export interface ImportDecl extends Node {
  readonly kind: "ImportDecl";
  readonly names: readonly Identifier[];
  readonly source: StringLit;
}

/** `engine teacher = openai("gpt-4o") { temperature: 0 }`. */
export interface EngineDecl extends Node {
  readonly kind: "EngineDecl";
  readonly name: Identifier;
  readonly provider: Identifier;
  readonly args: readonly Expr[];
  readonly options: readonly Entry[];
}

/**
 * `trainable answer: "role" = expr` or `frozen question: "role" = expr`. With a parameter, `trainable answer(ex): …`
 * is one value per example: its initializer reads the example, and an optimize block with `each:` starts it anew
 * for every example of its data.
 */
export interface VariableDecl extends Node {
  readonly kind: "VariableDecl";
  readonly trainable: boolean;
  readonly name: Identifier;
  readonly params: readonly Param[];
  readonly role: StringLit;
  readonly init: Expr;
}

/** `data train = jsonl("file") { question: text, answer: number }`. */
export interface DataDecl extends Node {
  readonly kind: "DataDecl";
  readonly name: Identifier;
  readonly format: Identifier;
  readonly args: readonly Expr[];
  /** Declared fields; undefined when the declaration has no field list. */
  readonly fields: readonly Field[] | undefined;
}

export interface Field extends Node {
  readonly kind: "Field";
  readonly name: Identifier;
  readonly type: TypeRef;
  /** `from "input"`: where the field is in each record (a column, a key, or a dotted path); its name otherwise. */
  readonly source: StringLit | undefined;
}

/**
 * `split all { train: 0.6, val: 0.2, test: 0.2, seed: 1 }`: the examples of a data set, shuffled with the seed and
 * cut into parts, each a data set of its own. Sizes are all fractions or all counts of examples.
 */
export interface SplitDecl extends Node {
  readonly kind: "SplitDecl";
  readonly source: Identifier;
  readonly parts: readonly SplitPart[];
  /** The `seed:` entry, when given. */
  readonly seed: Entry | undefined;
}

/**
 * `corpus notes = files("notes/*.md") { chunk: 120, overlap: 20 }`: documents to retrieve from, cut into
 * passages. `jsonl("facts.jsonl") { text: "body", source: "title" }` takes one document per record.
 */
export interface CorpusDecl extends Node {
  readonly kind: "CorpusDecl";
  readonly name: Identifier;
  readonly format: Identifier;
  readonly args: readonly Expr[];
  readonly options: readonly Entry[];
}

export interface SplitPart extends Node {
  readonly kind: "SplitPart";
  readonly name: Identifier;
  readonly size: Expr;
}

export interface TypeRef extends Node {
  readonly kind: "TypeRef";
  readonly name: Identifier;
}

export interface Param extends Node {
  readonly kind: "Param";
  readonly name: Identifier;
  readonly type: TypeRef | undefined;
}

/** `fn solve(question: text) -> text { let x = ...; expr }`. */
export interface FnDecl extends Node {
  readonly kind: "FnDecl";
  readonly name: Identifier;
  readonly params: readonly Param[];
  readonly returns: TypeRef | undefined;
  /** What the function does, shown to an agent that may call it as a tool. */
  readonly doc: StringLit | undefined;
  readonly lets: readonly LetBinding[];
  readonly body: Expr;
}

export interface LetBinding extends Node {
  readonly kind: "LetBinding";
  readonly name: Identifier;
  readonly value: Expr;
}

/** `extern fn exact_number(response: text, answer: text) -> metric "doc"`: implemented natively (stdlib). */
export interface ExternFnDecl extends Node {
  readonly kind: "ExternFnDecl";
  readonly name: Identifier;
  readonly params: readonly Param[];
  readonly returns: TypeRef;
  readonly doc: StringLit | undefined;
}

/** `loss critique = rubric ...` or `loss judge(ex) = ...`. */
export interface LossDecl extends Node {
  readonly kind: "LossDecl";
  readonly name: Identifier;
  readonly params: readonly Param[];
  readonly body: Expr;
}

/** `optimize a, b using tgd(engine: teacher) { steps: 3  minimize: critique }`. */
export interface OptimizeDecl extends Node {
  readonly kind: "OptimizeDecl";
  readonly targets: readonly Identifier[];
  readonly optimizer: Identifier;
  readonly optimizerArgs: readonly Entry[];
  readonly settings: readonly Entry[];
  readonly validate: ValidateClause | undefined;
}

/** `validate: val by exact_number(solve(ex.question), ex.answer), keep best`. */
export interface ValidateClause extends Node {
  readonly kind: "ValidateClause";
  readonly data: Identifier;
  readonly metric: Expr;
  readonly keepBest: boolean;
}

/** `key: value` inside engine options, call blocks, optimizer arguments and optimize blocks. */
export interface Entry extends Node {
  readonly kind: "Entry";
  readonly key: Identifier;
  readonly value: Expr;
}

export type Expr =
  | StringLit
  | NumberLit
  | BoolLit
  | ListExpr
  | NameRef
  | MemberExpr
  | CallExpr
  | LlmCall
  | AgentCall
  | RetrieveExpr
  | RubricExpr
  | UnlessExpr
  | BinaryExpr
  | ParenExpr
  | ErrorExpr;

/** A piece of a string literal: literal text, or an `{a.b}` interpolation. */
export type StringPart =
  | { readonly kind: "Text"; readonly text: string }
  | { readonly kind: "Interpolation"; readonly path: readonly Identifier[]; readonly range: Range };

export interface StringLit extends Node {
  readonly kind: "StringLit";
  readonly parts: readonly StringPart[];
  /** True for `"""` literals; the formatter keeps the form the author chose. */
  readonly triple: boolean;
  /** The token exactly as written, so the formatter never re-escapes what the author wrote. */
  readonly raw: string;
}

export interface NumberLit extends Node {
  readonly kind: "NumberLit";
  readonly value: number;
  readonly raw: string;
}

export interface BoolLit extends Node {
  readonly kind: "BoolLit";
  readonly value: boolean;
}

export interface ListExpr extends Node {
  readonly kind: "ListExpr";
  readonly items: readonly Expr[];
}

export interface NameRef extends Node {
  readonly kind: "NameRef";
  readonly name: Identifier;
}

export interface MemberExpr extends Node {
  readonly kind: "MemberExpr";
  readonly object: Expr;
  readonly property: Identifier;
}

export interface CallExpr extends Node {
  readonly kind: "CallExpr";
  readonly callee: Identifier;
  readonly args: readonly Expr[];
}

/** `call student { system: ..., user: ..., temperature: 0.2 }`. */
export interface LlmCall extends Node {
  readonly kind: "LlmCall";
  readonly engine: Identifier;
  readonly entries: readonly Entry[];
}

/**
 * `agent student { system: …, user: …, tools: [lookup, calculate], max_steps: 6 }`: the engine calls tools until
 * it answers. Its value is the trajectory; `.answer` is the final answer alone.
 */
export interface AgentCall extends Node {
  readonly kind: "AgentCall";
  readonly engine: Identifier;
  readonly entries: readonly Entry[];
}

/** `retrieve(notes, query, 3)`: the passages of a corpus that best match the query, best first. */
export interface RetrieveExpr extends Node {
  readonly kind: "RetrieveExpr";
  readonly corpus: Identifier;
  readonly query: Expr;
  readonly k: Expr;
}

/** A named piece of what a rubric sees: `answer` alone is named `answer`; `{ plan: p, code: c }` names each. */
export interface Labeled extends Node {
  readonly kind: "Labeled";
  readonly label: Identifier | undefined;
  readonly value: Expr;
}

/** `rubric teacher on answer given question """criteria"""`. */
export interface RubricExpr extends Node {
  readonly kind: "RubricExpr";
  readonly engine: Identifier;
  readonly targets: readonly Labeled[];
  readonly context: readonly Labeled[];
  readonly criteria: StringLit;
  /** `on { a: x, b: y }` form, kept so the formatter prints what was written. */
  readonly targetsBraced: boolean;
  readonly contextBraced: boolean;
}

/** `"feedback" unless metric(...)`: a metric turned into a loss by a rule; the feedback applies when it fails. */
export interface UnlessExpr extends Node {
  readonly kind: "UnlessExpr";
  readonly feedback: Expr;
  readonly condition: Expr;
}

export interface BinaryExpr extends Node {
  readonly kind: "BinaryExpr";
  readonly op: "+" | "*";
  readonly left: Expr;
  readonly right: Expr;
}

export interface ParenExpr extends Node {
  readonly kind: "ParenExpr";
  readonly inner: Expr;
}

/** Stands where the parser recovered from a syntax error; the checker says nothing more about it. */
export interface ErrorExpr extends Node {
  readonly kind: "ErrorExpr";
}
