import { codes, type Code } from "./codes.js";

/** A half-open span of source offsets in one file. */
export interface Range {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export type Severity = "error" | "warning";

export interface Related {
  readonly message: string;
  readonly range: Range;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly hint?: string;
  readonly related?: readonly Related[];
}

/** Builds a diagnostic whose severity comes from the code table, so a code always means one thing. */
export function diagnostic(
  code: Code,
  message: string,
  range: Range,
  extra: { hint?: string; related?: readonly Related[] } = {},
): Diagnostic {
  return { code, severity: codes[code].severity, message, range, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorted by file, then position, then code: the order users and golden files see. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.file.localeCompare(b.range.file) ||
      a.range.start - b.range.start ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** A stage's result: its value and everything it had to say about the input. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}
