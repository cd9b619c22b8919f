// A value against the one before it, word by word (jsdiff), as HTML: removed words struck through, added ones
// highlighted; whitespace and line breaks kept.
import { diffWordsWithSpace } from "diff";
import { esc } from "./escape.js";

export function diffHtml(before: string, after: string): string {
  return diffWordsWithSpace(before, after)
    .map((part) => (part.added ? `<ins>${esc(part.value)}</ins>` : part.removed ? `<del>${esc(part.value)}</del>` : esc(part.value)))
    .join("");
}
