// What every printer function receives, and the pieces several of them share: child lists, dangling comments,
// blocks with preserved blank lines, and the layout of `name = value`.
import type { AstPath, Doc, ParserOptions } from "prettier";
import { isNextLineEmpty, openMarker } from "./comments.js";
import { breakParent, flatWidth, group, hardline, indent, line, lineSuffix } from "./docs.js";
import { commentsOf, type AttachedComment, type TgNode } from "./nodes.js";

export type Print = (selector?: string | number | Array<string | number>) => Doc;

export interface Ctx {
  readonly path: AstPath<TgNode>;
  readonly options: ParserOptions<TgNode>;
  readonly print: Print;
}

/** Comments written just after the bracket that opens the list under `key`. */
export function openComments(ctx: Ctx, key: string, blockSpace: "before" | "after" = "after"): Doc[] {
  return inlineDangling(ctx, openMarker(key), blockSpace);
}

/** The printed children under `key` (an array property of the current node). */
export function printAll(ctx: Ctx, key: string, count: number): Doc[] {
  return Array.from({ length: count }, (_, i) => ctx.print([key, i]));
}

function isDangling(c: AttachedComment): boolean {
  return !c.leading && !c.trailing && !c.printed;
}

/** Dangling comments of the current node with `marker`, each after a space, line comments deferred to line end. */
export function inlineDangling(ctx: Ctx, marker: string | undefined, blockSpace: "before" | "after" = "before"): Doc[] {
  const out: Doc[] = [];
  commentsOf(ctx.path.node).forEach((c, i) => {
    if (!isDangling(c) || c.marker !== marker) return;
    const doc = ctx.print(["comments", i]);
    if (!c.block) out.push([lineSuffix([" ", doc]), breakParent]);
    else out.push(blockSpace === "before" ? [" ", doc] : [doc, " "]);
  });
  return out;
}

/** Dangling comments of the current node with `marker`, each on its own line (preceded by a line break). */
export function ownLineDangling(ctx: Ctx, marker: string | undefined): Doc[] {
  const out: Doc[] = [];
  const text = ctx.options.originalText;
  let previousEnd: number | undefined;
  commentsOf(ctx.path.node).forEach((c, i) => {
    if (!isDangling(c) || c.marker !== marker) return;
    if (previousEnd !== undefined) out.push(hardline);
    if (previousEnd !== undefined && isNextLineEmpty(text, previousEnd)) out.push(hardline);
    out.push(ctx.print(["comments", i]));
    previousEnd = c.range.end;
  });
  return out;
}

export interface BlockItem {
  readonly node: TgNode;
  readonly doc: Doc;
}

/** Items one per line, keeping one blank line where the author left at least one. */
export function linesWithBlanks(ctx: Ctx, items: readonly BlockItem[]): Doc[] {
  const out: Doc[] = [];
  items.forEach((item, i) => {
    if (i > 0) {
      out.push(hardline);
      if (isNextLineEmpty(ctx.options.originalText, items[i - 1]!.node.range.end)) out.push(hardline);
    }
    out.push(item.doc);
  });
  return out;
}

/**
 * `lhs = rhs`: on one line when it fits; else broken after `=` with the value indented, when the value fits on a line
 * of its own; else the value stays after `=` and breaks inside (a triple-quoted string, a long call block).
 */
export function assignment(ctx: Ctx, lhs: Doc, key: string, depth: number): Doc {
  const rhs = ctx.print(key);
  const width = flatWidth(rhs);
  const column = (depth + 1) * ctx.options.tabWidth;
  const value = (ctx.path.node as unknown as Record<string, TgNode>)[key]!;
  // A comment on its own line before the value goes under `=` with it.
  // So does the value after a `//` comment before `=`.
  const commented = commentsOf(value).some((c) => c.leading) || flatWidth(lhs) === undefined;
  if (commented || (width !== undefined && column + width <= ctx.options.printWidth)) {
    return group([lhs, " =", indent([line, rhs])]);
  }
  return [lhs, " = ", rhs];
}
