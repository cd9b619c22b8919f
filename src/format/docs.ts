// Doc helpers shared by the printers: verbatim multi-line text, bracketed lists, entry blocks, and a flat-width
// measure used to choose how an assignment breaks.
import type { Doc } from "prettier";
import { builders } from "prettier/doc";

export const {
  group,
  indent,
  join,
  line,
  softline,
  hardline,
  literalline,
  ifBreak,
  lineSuffixBoundary,
  lineSuffix,
  breakParent,
} = builders;

/** Text printed exactly as written: lines after the first start at column 0, whatever the indentation around them. */
export function rawText(text: string): Doc {
  if (!text.includes("\n")) return text;
  // A pending trailing comment must not be flushed into the middle of the text (it would land inside a string).
  return [lineSuffixBoundary, join(literalline, text.split("\n"))];
}

/**
 * `(a, b)` or broken one per line; `trailingComma` only where the grammar allows one. `open` holds comments written
 * just after the opening bracket; they stay there.
 */
export function bracketList(
  open: string,
  close: string,
  items: Doc[],
  trailingComma: boolean,
  comments: Doc[] = [],
): Doc {
  if (items.length === 0) return [open, comments, close];
  return group([
    open,
    comments,
    indent([softline, join([",", line], items)]),
    trailingComma ? ifBreak(",") : "",
    softline,
    close,
  ]);
}

/** `{ a: 1, b: 2 }` when it fits, otherwise one entry per line without commas. */
export function entryBlock(items: Doc[], comments: Doc[] = []): Doc {
  if (items.length === 0) return ["{", comments, "}"];
  return group(["{", comments, indent([line, join([ifBreak("", ","), line], items)]), line, "}"]);
}

/**
 * The width of `doc` printed on one line, or undefined when it cannot be (a hard line break, a line comment, or a
 * group already forced to break).
 */
export function flatWidth(doc: Doc): number | undefined {
  if (typeof doc === "string") return doc.includes("\n") ? undefined : doc.length;
  if (Array.isArray(doc)) {
    let total = 0;
    for (const part of doc) {
      const w = flatWidth(part);
      if (w === undefined) return undefined;
      total += w;
    }
    return total;
  }
  switch (doc.type) {
    case "group":
      return doc.break ? undefined : flatWidth(doc.contents);
    case "fill":
      return flatWidth(doc.parts);
    case "if-break":
      return flatWidth(doc.flatContents);
    case "line":
      return doc.hard ? undefined : doc.soft ? 0 : 1;
    case "line-suffix":
      return flatWidth(doc.contents) === undefined ? undefined : 0;
    case "break-parent":
      return undefined;
    case "align":
    case "indent":
    case "label":
      return flatWidth(doc.contents);
    case "indent-if-break":
      return flatWidth((doc as { contents?: Doc }).contents ?? "");
    case "cursor":
    case "line-suffix-boundary":
    case "trim":
      return 0;
    default: {
      const never: never = doc;
      throw new Error(`unknown doc ${JSON.stringify(never)}`);
    }
  }
}
