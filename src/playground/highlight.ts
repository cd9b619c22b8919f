// Syntax highlighting with the compiler's own lexer: each token gets a class by its kind, and the ranges of
// diagnostics are underlined. Returns HTML for the <pre> laid under the editor's <textarea>.
import type { IToken } from "chevrotain";
import { lex } from "../syntax/lexer.js";
import { keywords } from "../syntax/tokens.js";

const keywordNames = new Set(keywords.map((k) => k[0]!.toUpperCase() + k.slice(1)));

function kindOf(t: IToken): string | undefined {
  const name = t.tokenType.name;
  if (keywordNames.has(name)) return "kw";
  if (name.endsWith("Comment")) return "comment";
  if (name.endsWith("String")) return "string";
  if (name === "NumberLiteral") return "number";
  if (name === "Identifier") return "name";
  return "punct";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface Mark {
  readonly start: number;
  readonly end: number;
  readonly severity: "error" | "warning";
}

/** The program as highlighted HTML, with each mark (a diagnostic's range, at least one character) underlined. */
export function highlight(text: string, marks: readonly Mark[]): string {
  const lexed = lex(text);
  const tokens = [...lexed.tokens, ...lexed.comments];
  const kinds: (string | undefined)[] = new Array<string | undefined>(text.length).fill(undefined);
  for (const t of tokens) {
    const k = kindOf(t);
    for (let i = t.startOffset; i < t.startOffset + t.image.length && i < text.length; i++) kinds[i] = k;
  }
  const marked: (string | undefined)[] = new Array<string | undefined>(text.length).fill(undefined);
  for (const m of marks) {
    // An empty range (the end of the file, say) still shows: one character, or a space after the text.
    const end = Math.max(m.end, m.start + 1);
    for (let i = m.start; i < end && i < text.length; i++) if (marked[i] !== "error") marked[i] = m.severity;
  }
  let out = "";
  let i = 0;
  while (i < text.length) {
    let j = i + 1;
    while (j < text.length && kinds[j] === kinds[i] && marked[j] === marked[i] && text[j] !== "\n" && text[i] !== "\n") j++;
    const classes = [kinds[i] ? `t-${kinds[i]}` : "", marked[i] ? `squiggle-${marked[i]}` : ""].filter(Boolean).join(" ");
    const piece = esc(text.slice(i, j));
    out += classes ? `<span class="${classes}">${piece}</span>` : piece;
    i = j;
  }
  // A mark at the very end (a missing closing brace) underlines a space drawn after the text.
  const tail = marks.find((m) => m.start >= text.length);
  if (tail) out += `<span class="squiggle-${tail.severity}"> </span>`;
  // A trailing newline needs a character after it, or the <pre> is a line shorter than the <textarea>.
  return out + "\n";
}
