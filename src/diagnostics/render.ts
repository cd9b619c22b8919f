import { codes } from "./codes.js";
import type { Diagnostic } from "./diagnostic.js";
import { SourceText } from "./source.js";

export interface RenderOptions {
  /** ANSI colours for terminals. */
  readonly color?: boolean;
  /** Path shown to the user (relative to the working directory, say). */
  readonly displayPath?: (file: string) => string;
}

const ansi = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * Text from a source file (code frames, and messages that quote it) made safe for a terminal: a file must not be able
 * to retitle or clear the user's terminal with escape sequences. Each control character becomes one visible
 * character, so carets under a line stay aligned: C0 controls (U+0000–U+001F) become their Unicode control pictures
 * (U+2400–U+241F, ESC is '␛'), DEL becomes '␡' (U+2421), and C1 controls (U+0080–U+009F), which have no pictures,
 * become '�' (U+FFFD). So do the characters that reorder or break what a terminal shows without being seen: the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, which can make a line read other
 * than it is) and the line and paragraph separators (U+2028, U+2029). Tab and newline are kept: frames turn tabs into
 * spaces, and messages may span lines.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? "\u2421" : "\ufffd";
  });
}

/**
 * `file:line:col: error TG2002: message`, then a code frame with a caret under the range, then the hint.
 * Lines are clipped so one 1 MB line cannot flood a terminal.
 */
export function renderDiagnostic(d: Diagnostic, source: SourceText | undefined, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const red = ansi(color, "31;1");
  const yellow = ansi(color, "33;1");
  const dim = ansi(color, "2");
  const cyan = ansi(color, "36");
  // Everything but the colours may carry text from a file (a path, a quoted character), so all of it is made visible.
  const shown = visible(options.displayPath ? options.displayPath(d.range.file) : d.range.file);
  const message = visible(d.message);
  const hint = d.hint === undefined ? undefined : visible(d.hint);
  const sev = d.severity === "error" ? red("error") : yellow("warning");
  // An empty text (a file that could not be read, or holds nothing) has no line to show under a frame.
  if (!source || source.text.length === 0) {
    const at = source ? ":1:1" : "";
    return `${shown}${at}: ${sev} ${d.code}: ${message}${hint ? `\n  ${cyan("hint")}: ${hint}` : ""}`;
  }

  const start = source.position(d.range.start);
  const end = source.position(Math.max(d.range.start, d.range.end - 1));
  const lines: string[] = [`${shown}:${start.line}:${start.column}: ${sev} ${d.code}: ${message}`];
  const gutter = String(start.line + 1).length;
  const clip = 120;
  const window = Math.max(0, start.column - 1 - 60);
  const frameLine = (n: number) => {
    const text = visible(source.lineText(n).replace(/\t/g, " "));
    const shownText = text.slice(window, window + clip);
    return `${dim(String(n).padStart(gutter) + " |")} ${window > 0 ? "…" : ""}${shownText}${text.length > window + clip ? "…" : ""}`;
  };
  if (start.line > 1) lines.push(frameLine(start.line - 1));
  lines.push(frameLine(start.line));
  const caretStart = start.column - 1 - window + (window > 0 ? 1 : 0);
  const width = end.line === start.line ? Math.max(1, Math.min(end.column - start.column + 1, clip)) : 1;
  const mark = d.severity === "error" ? red : yellow;
  lines.push(`${" ".repeat(gutter)} ${dim("|")} ${" ".repeat(caretStart)}${mark("^".repeat(width))}`);
  if (hint) lines.push(`${" ".repeat(gutter)} = ${cyan("hint")}: ${hint}`);
  for (const r of d.related ?? []) {
    const p = r.range.file === d.range.file ? source.position(r.range.start) : undefined;
    const where = p ? `${shown}:${p.line}:${p.column}` : visible(options.displayPath?.(r.range.file) ?? r.range.file);
    lines.push(`${" ".repeat(gutter)} = ${dim("note")}: ${visible(r.message)} (${where})`);
  }
  return lines.join("\n");
}

/** Several diagnostics, each quoting its file's text as `sources` gives it, separated by blank lines. */
export function renderAll(diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined, options: RenderOptions = {}): string {
  const cache = new Map<string, SourceText | undefined>();
  const source = (file: string) => {
    if (!cache.has(file)) {
      const text = sources(file);
      cache.set(file, text === undefined ? undefined : new SourceText(file, text));
    }
    return cache.get(file);
  };
  return diagnostics.map((d) => renderDiagnostic(d, source(d.range.file), options)).join("\n\n");
}

/** The JSON shape editors and CI read: one object per diagnostic, with 1-based positions. */
export interface JsonDiagnostic {
  code: string;
  severity: string;
  title: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint?: string;
}

export function toJson(d: Diagnostic, source: SourceText | undefined): JsonDiagnostic {
  const s = source?.position(d.range.start) ?? { line: 1, column: 1 };
  const e = source?.position(d.range.end) ?? s;
  return {
    code: d.code,
    severity: d.severity,
    title: codes[d.code].title,
    message: d.message,
    file: d.range.file,
    line: s.line,
    column: s.column,
    endLine: e.line,
    endColumn: e.column,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}
