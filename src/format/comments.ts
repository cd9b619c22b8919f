// Comments: which nodes take them, how one prints, and the few placements prettier's generic attachment gets wrong
// for tg (a comment right after an opening bracket would otherwise become a trailing comment of what precedes the
// bracket, breaking that group, or leave the block it was written in).
import type { AstPath, Doc } from "prettier";
import { rawText } from "./docs.js";
import type * as A from "../syntax/ast.js";
import { attach, isTgNode, visitorKeys, type AttachedComment, type TgNode } from "./nodes.js";

/** What prettier's attachment adds to a comment before calling `handleComments`. */
export interface DecoratedComment extends AttachedComment {
  enclosingNode?: TgNode;
  precedingNode?: TgNode;
  followingNode?: TgNode;
}

/** Marker of a comment printed right after the `{` that opens an optimize or fn block: `optimize x using tgd() { // c`. */
export const OPEN = "open";
/** Marker of an own-line comment inside an optimize block that has no entries after it. */
export const INSIDE = "inside";

export function canAttachComment(node: TgNode): boolean {
  return node.kind !== "Comment" && node.kind !== "Program";
}

export function isBlockComment(node: TgNode): boolean {
  return node.kind === "Comment" && node.block;
}

export function printComment(path: AstPath<TgNode>): Doc {
  const node = path.node;
  if (node.kind !== "Comment") throw new Error(`printComment called on ${node.kind}`);
  return node.block ? rawText(node.text) : node.text.trimEnd();
}

/** Offset of the last character before `offset` that is not a space or tab (-1 at the start). */
function previousNonBlank(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  return i;
}

/** Offset of the next `ch` at or after `from`, skipping comments; -1 when there is none. */
function findOutsideComments(text: string, from: number, ch: string): number {
  let i = from;
  while (i < text.length) {
    if (text.startsWith("//", i)) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (text[i] === ch) {
      return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Offset of the `{` that opens an optimize block or a fn body. */
export function blockBrace(node: TgNode, text: string): number {
  switch (node.kind) {
    case "OptimizeDecl": {
      const last = node.optimizerArgs[node.optimizerArgs.length - 1];
      return findOutsideComments(text, (last ?? node.optimizer).range.end, "{");
    }
    case "FnDecl": {
      const last = node.returns ?? node.params[node.params.length - 1] ?? node.name;
      return findOutsideComments(text, last.range.end, "{");
    }
    default:
      return -1;
  }
}

function hasBlock(node: TgNode | undefined): node is TgNode {
  return node !== undefined && (node.kind === "OptimizeDecl" || node.kind === "FnDecl");
}

/** Keys whose nodes sit inside brackets, one per line when the brackets break. */
const LIST_KEYS = new Set([
  "names",
  "args",
  "options",
  "fields",
  "params",
  "optimizerArgs",
  "items",
  "entries",
  "targets",
  "context",
]);
/** Keys whose nodes sit one per line in an optimize block or a fn body. */
const BLOCK_KEYS = new Set(["settings", "validate", "lets", "body"]);

/** The key of `enclosing` that holds `child`, and its index when that key holds a list. */
function keyOf(enclosing: TgNode, child: TgNode): { key: string; index: number } | undefined {
  for (const key of visitorKeys[enclosing.kind]) {
    const value: unknown = (enclosing as unknown as Record<string, unknown>)[key];
    if (value === child) return { key, index: 0 };
    if (Array.isArray(value) && value.includes(child)) return { key, index: value.indexOf(child) };
  }
  return undefined;
}

/** Marker of a comment printed right after the bracket that opens the list under `key`. */
export function openMarker(key: string): string {
  return `open:${key}`;
}

/** A comment just after `{`, `(` or `[` on the same line stays there: `call s { // why`. */
function afterOpenBracket(comment: DecoratedComment, text: string): boolean {
  const at = previousNonBlank(text, comment.range.start);
  const ch = text[at];
  if (ch !== "{" && ch !== "(" && ch !== "[") return false;
  const enclosing = comment.enclosingNode;
  if (hasBlock(enclosing) && at === blockBrace(enclosing, text)) {
    attach(enclosing, comment, "dangling", OPEN);
    return true;
  }
  const following = comment.followingNode;
  if (!following) return false;
  const where = enclosing ? keyOf(enclosing, following) : undefined;
  if (enclosing && where && LIST_KEYS.has(where.key) && where.index === 0) {
    attach(enclosing, comment, "dangling", openMarker(where.key));
    return true;
  }
  if (enclosing?.kind === "ParenExpr" && at === enclosing.range.start) {
    attach(following, comment, "leading");
    return true;
  }
  // An empty bracket, `f( // c` then `)`: what follows is outside it; the comment is handled like any other.
  return false;
}

function isLineItem(parent: TgNode, child: TgNode): boolean {
  const where = keyOf(parent, child);
  if (where === undefined) return false;
  // A rubric's `on a, b` and `given c` are lists only in their `{ label: value }` form.
  if (parent.kind === "RubricExpr" && where.key === "targets") return parent.targetsBraced;
  if (parent.kind === "RubricExpr" && where.key === "context") return parent.contextBraced;
  if (where.key === "body") return parent.kind === "FnDecl";
  if (where.key === "targets" && parent.kind === "OptimizeDecl") return false;
  return LIST_KEYS.has(where.key) || BLOCK_KEYS.has(where.key);
}

function contains(node: TgNode, comment: DecoratedComment): boolean {
  return node.range.start < comment.range.start && comment.range.end <= node.range.end;
}

/** The innermost node around `comment` that starts a line of its own: a declaration, a block entry, a list item. */
function lineOwner(ast: A.Program, comment: DecoratedComment): TgNode | undefined {
  let node: TgNode | undefined = ast.declarations.find((d) => contains(d, comment));
  let owner: TgNode | undefined = node;
  while (node) {
    const parent: TgNode = node;
    node = undefined;
    for (const key of visitorKeys[parent.kind]) {
      const value: unknown = (parent as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (isTgNode(child) && contains(child, comment)) node = child;
      }
    }
    if (node && isLineItem(parent, node)) owner = node;
  }
  return owner;
}

/** Assignment-like nodes and the key of their value: a comment before the value moves under `=` with it. */
const VALUE_KEYS: Partial<Record<TgNode["kind"], string>> = {
  VariableDecl: "init",
  LossDecl: "body",
  LetBinding: "value",
};

/**
 * An own-line comment inside the one-line part of something (between `engine a` and `=`, or between `key:` and its
 * value) has no line of its own once that is printed: it moves above the line it was inside.
 */
function insideLine(comment: DecoratedComment, ast: TgNode): boolean {
  const enclosing = comment.enclosingNode;
  if (!enclosing || enclosing.kind === "Program" || ast.kind !== "Program") return false;
  const following = comment.followingNode;
  const neighbour = following ?? comment.precedingNode;
  if (neighbour && isLineItem(enclosing, neighbour)) return false;
  if (following && keyOf(enclosing, following)?.key === VALUE_KEYS[enclosing.kind]) return false;
  // Before a rubric's criteria, on the criteria's line.
  if (enclosing.kind === "RubricExpr" && following === enclosing.criteria && !enclosing.criteria.raw.includes("\n"))
    return false;
  const owner = lineOwner(ast, comment);
  if (!owner) return false;
  attach(owner, comment, "leading");
  return true;
}

/** An own-line comment at the end of an optimize block stays inside it, even when no entry precedes it. */
function endOfBlock(comment: DecoratedComment, text: string): boolean {
  const enclosing = comment.enclosingNode;
  if (!hasBlock(enclosing) || comment.followingNode) return false;
  const brace = blockBrace(enclosing, text);
  const preceding = comment.precedingNode;
  if (brace < 0 || comment.range.start < brace || (preceding && preceding.range.end > brace)) return false;
  attach(enclosing, comment, "dangling", INSIDE);
  return true;
}

/**
 * A `//` comment at the end of a line inside the one-line part of something (`engine a // why` then `= p()`) moves
 * above that line: left on an inner node it would break the groups around that node, and after the whole line it
 * could pass other comments.
 */
function endOfInlineLine(comment: DecoratedComment, ast: TgNode): boolean {
  const enclosing = comment.enclosingNode;
  const preceding = comment.precedingNode;
  if (!enclosing || !preceding || enclosing.kind === "Program" || ast.kind !== "Program") return false;
  if (isLineItem(enclosing, preceding)) return false;
  const following = comment.followingNode;
  if (following && keyOf(enclosing, following)?.key === VALUE_KEYS[enclosing.kind]) return false;
  const owner = lineOwner(ast, comment);
  if (!owner) return false;
  attach(owner, comment, "leading");
  return true;
}

export const handleComments = {
  ownLine: (comment: DecoratedComment, text: string, _options: unknown, ast: TgNode): boolean =>
    endOfBlock(comment, text) || insideLine(comment, ast),
  endOfLine: (comment: DecoratedComment, text: string, _options: unknown, ast: TgNode): boolean =>
    afterOpenBracket(comment, text) || endOfInlineLine(comment, ast),
  remaining: (comment: DecoratedComment, text: string): boolean => afterOpenBracket(comment, text),
};

/** Whether the line after the one `offset` is on is blank (skipping separators and comments on the same line). */
export function isNextLineEmpty(text: string, offset: number): boolean {
  let i = offset;
  for (;;) {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "," || text[i] === ";")) i++;
    if (!text.startsWith("/*", i)) break;
    const end = text.indexOf("*/", i + 2);
    if (end < 0 || text.slice(i, end).includes("\n")) return false;
    i = end + 2;
  }
  if (text.startsWith("//", i)) {
    while (i < text.length && text[i] !== "\n") i++;
  }
  if (text[i] === "\r") i++;
  if (text[i] !== "\n") return false;
  i++;
  while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
  return text[i] === "\n";
}
