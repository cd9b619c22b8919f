// Decoding of string literals: quotes, dedent of `"""` blocks, escapes, and `{name}` / `{ex.field}` interpolation.
// Interpolation is resolved here, from the literal as written; values that flow through a program at run time are
// never templated again, so braces in data, answers or code can never break a prompt.
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Identifier, StringPart } from "./ast.js";

interface Located {
  readonly ch: string;
  readonly at: number;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", '"': '"', "\\": "\\", "{": "{", "}": "}" };
const INTERPOLATION = /^\{[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*\}/;

/** Characters of a literal's body with their source offsets, after dedent for triple-quoted literals. */
function bodyOf(raw: string, offset: number, triple: boolean, terminated: boolean): Located[] {
  const q = triple ? 3 : 1;
  const end = terminated ? raw.length - q : raw.length;
  const chars: Located[] = [];
  for (let i = q; i < end; i++) chars.push({ ch: raw[i]!, at: offset + i });
  if (!triple) return chars;

  // Split into lines, drop a first line that is blank (text starts on the line after `"""`) and a last line
  // that is only indentation (the closing `"""` sits on its own line), then remove the common indentation.
  const lines: Located[][] = [[]];
  for (const c of chars) {
    if (c.ch === "\n") lines.push([]);
    else if (c.ch !== "\r") lines[lines.length - 1]!.push(c);
  }
  const blank = (l: Located[]) => l.every((c) => c.ch === " " || c.ch === "\t");
  if (lines.length > 1 && blank(lines[0]!)) lines.shift();
  if (lines.length > 1 && blank(lines[lines.length - 1]!)) lines.pop();
  let indent = Infinity;
  for (const l of lines) {
    if (blank(l)) continue;
    let n = 0;
    while (n < l.length && (l[n]!.ch === " " || l[n]!.ch === "\t")) n++;
    indent = Math.min(indent, n);
  }
  if (!Number.isFinite(indent)) indent = 0;
  const out: Located[] = [];
  lines.forEach((l, i) => {
    if (i > 0) out.push({ ch: "\n", at: l[0]?.at ?? out[out.length - 1]?.at ?? offset });
    out.push(...(blank(l) ? [] : l.slice(indent)));
  });
  return out;
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
  const parts: StringPart[] = [];
  let text = "";
  const flush = () => {
    if (text) parts.push({ kind: "Text", text });
    text = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c.ch === "\\") {
      const next = body[i + 1];
      if (next && next.ch in ESCAPES) {
        text += ESCAPES[next.ch];
        i++;
      } else {
        diagnostics.push(
          diagnostic("TG1005", `unknown escape \\${next?.ch ?? ""}`, { file, start: c.at, end: (next?.at ?? c.at) + 1 }, {
            hint: 'the escapes are \\n \\t \\" \\\\ \\{ \\}; write \\\\ for a backslash',
          }),
        );
        text += next?.ch ?? "";
        i++;
      }
      continue;
    }
    if (c.ch === "{") {
      let window = "";
      for (let j = i; j < body.length && j < i + 200 && body[j]!.ch !== "\n"; j++) {
        window += body[j]!.ch;
        if (body[j]!.ch === "}") break;
      }
      const m = INTERPOLATION.exec(window);
      if (m) {
        flush();
        const names = m[1]!.split(".");
        const path: Identifier[] = [];
        let k = i + m[0].indexOf(m[1]!);
        for (const name of names) {
          const start = body[k]!.at;
          const end = body[k + name.length - 1]!.at + 1;
          path.push({ kind: "Identifier", name, range: { file, start, end } });
          k += name.length + 1;
        }
        const last = body[i + m[0].length - 1]!;
        parts.push({ kind: "Interpolation", path, range: { file, start: c.at, end: last.at + 1 } });
        i += m[0].length - 1;
        continue;
      }
    }
    text += c.ch;
  }
  flush();
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
