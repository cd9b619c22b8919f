// Decoding of string literals: quotes, dedent of `"""` blocks, escapes, and `{name}` / `{ex.field}` interpolation.
// Interpolation is resolved here, from the literal as written; values that flow through a program at run time are
// never templated again, so braces in data, answers or code can never break a prompt.
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { lastAtMost } from "../diagnostics/source.js";
import type { Identifier, StringPart } from "./ast.js";

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", "{": "{", "}": "}" };
const INTERPOLATION = /\{[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*\}/y;

/**
 * A literal's body after dedent, as one string, with a map back to source offsets: body index `starts[k]`
 * onwards came from source offset `offsets[k]`, character by character (each piece is a slice of one line).
 */
interface Body {
  readonly text: string;
  readonly starts: readonly number[];
  readonly offsets: readonly number[];
}

function sourceOffset(body: Body, index: number): number {
  const piece = lastAtMost(body.starts, index);
  return body.offsets[piece]! + (index - body.starts[piece]!);
}

const isBlank = (line: string) => /^[ \t]*$/.test(line);

function bodyOf(raw: string, offset: number, triple: boolean, terminated: boolean): Body {
  const q = triple ? 3 : 1;
  const inner = raw.slice(q, terminated ? raw.length - q : raw.length);
  if (!triple) return { text: inner, starts: [0], offsets: [offset + q] };

  // Split into lines, drop a first line that is blank (text starts on the line after `"""`) and a last line
  // that is only indentation (the closing `"""` sits on its own line), then remove the common indentation.
  let lines: { text: string; at: number }[] = [];
  let at = offset + q;
  for (const line of inner.split("\n")) {
    lines.push({ text: line.endsWith("\r") ? line.slice(0, -1) : line, at });
    at += line.length + 1;
  }
  if (lines.length > 1 && isBlank(lines[0]!.text)) lines = lines.slice(1);
  if (lines.length > 1 && isBlank(lines[lines.length - 1]!.text)) lines = lines.slice(0, -1);
  let indent = Infinity;
  for (const l of lines) {
    if (isBlank(l.text)) continue;
    indent = Math.min(indent, /^[ \t]*/.exec(l.text)![0].length);
  }
  if (!Number.isFinite(indent)) indent = 0;
  const pieces: string[] = [];
  const starts: number[] = [];
  const offsets: number[] = [];
  let length = 0;
  lines.forEach((l, i) => {
    const kept = isBlank(l.text) ? "" : l.text.slice(indent);
    const text = i > 0 ? `\n${kept}` : kept;
    starts.push(length);
    // The joining newline is mapped to the line's first kept character, which is close enough for a caret.
    offsets.push(l.at + (isBlank(l.text) ? 0 : indent) - (i > 0 ? 1 : 0));
    pieces.push(text);
    length += text.length;
  });
  return { text: pieces.join(""), starts, offsets };
}

export interface DecodedString {
  readonly parts: StringPart[];
  readonly diagnostics: Diagnostic[];
}

/** `terminated` comes from the lexer, which alone knows whether the closing quote was an escaped one. */
export function decodeString(raw: string, offset: number, file: string, terminated: boolean): DecodedString {
  const triple = raw.startsWith('"""');
  const diagnostics: Diagnostic[] = [];
  if (!terminated) {
    diagnostics.push(
      diagnostic("TG1002", `unterminated string: add the closing ${triple ? '"""' : '"'}`, { file, start: offset, end: offset + (triple ? 3 : 1) }, {
        hint: triple ? undefined : 'a one-line string ends on its line; use """ for text over several lines',
      }),
    );
  }
  const body = bodyOf(raw, offset, triple, terminated);
  const text = body.text;
  // Most literals have neither escapes nor braces: one piece of text, no scanning.
  if (!text.includes("\\") && !text.includes("{")) {
    return { parts: text ? [{ kind: "Text", text }] : [], diagnostics };
  }
  const at = (i: number) => sourceOffset(body, i);
  const parts: StringPart[] = [];
  let pending = "";
  let runStart = 0;
  const flush = (until: number) => {
    pending += text.slice(runStart, until);
    if (pending) parts.push({ kind: "Text", text: pending });
    pending = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      pending += text.slice(runStart, i);
      const next = text[i + 1];
      if (next !== undefined && next in ESCAPES) {
        pending += ESCAPES[next];
      } else {
        diagnostics.push(
          diagnostic("TG1005", `unknown escape \\${next ?? ""}`, { file, start: at(i), end: at(i) + (next === undefined ? 1 : 2) }, {
            hint: 'the escapes are \\n \\r \\t \\" \\\\ \\{ \\}; write \\\\ for a backslash',
          }),
        );
        pending += next ?? "";
      }
      i++;
      runStart = i + 1;
      continue;
    }
    if (ch === "{") {
      INTERPOLATION.lastIndex = i;
      const m = INTERPOLATION.exec(text);
      if (m) {
        flush(i);
        const path: Identifier[] = [];
        let k = i + m[0].indexOf(m[1]!);
        for (const name of m[1]!.split(".")) {
          path.push({ kind: "Identifier", name, range: { file, start: at(k), end: at(k) + name.length } });
          k += name.length + 1;
        }
        const end = i + m[0].length;
        parts.push({ kind: "Interpolation", path, range: { file, start: at(i), end: at(end - 1) + 1 } });
        i = end - 1;
        runStart = end;
      }
    }
  }
  flush(text.length);
  return { parts, diagnostics };
}

/** The literal text of a string with no interpolation (roles, paths, model names); undefined when it has some. */
export function plainText(parts: readonly StringPart[]): string | undefined {
  let out = "";
  for (const p of parts) {
    if (p.kind === "Interpolation") return undefined;
    out += p.text;
  }
  return out;
}
