// The AST as the formatter sees it: every node kind, where its children live, and the fields prettier's comment
// attachment adds to nodes and comments. Our nodes carry `kind` (not `type`) and `range: { file, start, end }`.
import type * as A from "../syntax/ast.js";

/** Every node the printer can be asked to print. */
export type TgNode =
  | A.Program
  | A.Declaration
  | A.Expr
  | A.Entry
  | A.Field
  | A.SplitPart
  | A.Param
  | A.TypeRef
  | A.LetBinding
  | A.ValidateClause
  | A.Labeled
  | A.Identifier
  | A.Comment;

export type TgKind = TgNode["kind"];

/** A comment after prettier attached it: `leading`/`trailing` both false means dangling; `marker` says where. */
export interface AttachedComment extends A.Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  marker?: string;
}

/** The comments prettier attached to a node (none until attachment ran). */
export function commentsOf(node: TgNode): readonly AttachedComment[] {
  return (node as { comments?: AttachedComment[] }).comments ?? [];
}

export function attach(
  node: TgNode,
  comment: AttachedComment,
  how: "leading" | "trailing" | "dangling",
  marker?: string,
): void {
  comment.leading = how === "leading";
  comment.trailing = how === "trailing";
  if (marker !== undefined) comment.marker = marker;
  const holder = node as { comments?: AttachedComment[] };
  (holder.comments ??= []).push(comment);
}

/** The keys that hold child nodes, in source order; comment attachment walks only these. */
export const visitorKeys: { readonly [K in TgKind]: readonly string[] } = {
  Program: ["declarations"],
  ImportDecl: ["names", "source"],
  EngineDecl: ["name", "provider", "args", "options"],
  VariableDecl: ["name", "params", "role", "init"],
  DataDecl: ["name", "format", "args", "fields"],
  SplitDecl: ["source", "parts", "seed"],
  SplitPart: ["name", "size"],
  CorpusDecl: ["name", "format", "args", "options"],
  FnDecl: ["name", "params", "returns", "doc", "lets", "body"],
  ExternFnDecl: ["name", "params", "returns", "doc"],
  LossDecl: ["name", "params", "body"],
  OptimizeDecl: ["targets", "optimizer", "optimizerArgs", "settings", "validate"],
  ValidateClause: ["data", "metric"],
  Entry: ["key", "value"],
  Field: ["name", "type"],
  Param: ["name", "type"],
  TypeRef: ["name"],
  LetBinding: ["name", "value"],
  Labeled: ["label", "value"],
  StringLit: [],
  NumberLit: [],
  BoolLit: [],
  ListExpr: ["items"],
  NameRef: ["name"],
  MemberExpr: ["object", "property"],
  CallExpr: ["callee", "args"],
  LlmCall: ["engine", "entries"],
  AgentCall: ["engine", "entries"],
  RetrieveExpr: ["corpus", "query", "k"],
  RubricExpr: ["engine", "targets", "context", "criteria"],
  UnlessExpr: ["feedback", "condition"],
  BinaryExpr: ["left", "right"],
  ParenExpr: ["inner"],
  ErrorExpr: [],
  Identifier: [],
  Comment: [],
};

export function isTgNode(value: unknown): value is TgNode {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    Object.hasOwn(visitorKeys, (value as { kind: string }).kind) &&
    "range" in value
  );
}

export function locStart(node: TgNode): number {
  return node.range.start;
}

export function locEnd(node: TgNode): number {
  return node.range.end;
}
