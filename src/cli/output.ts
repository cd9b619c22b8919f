// Printing diagnostics for people (file:line:col, code frame, hint) and for machines (--format json).
import { relative, sep } from "node:path";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { renderAll as renderDiagnostics, toJson, type JsonDiagnostic } from "../diagnostics/render.js";
import { SourceText } from "../diagnostics/source.js";

export const useColor = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

/** A path as the user would write it: relative to the current folder when inside it, else as it is (absolute). */
export function displayPath(file: string): string {
  if (file.startsWith("std/")) return file;
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.split(sep)[0] === ".." ? file : rel;
}

export type SourceLookup = (file: string) => string | undefined;

export const renderAll = (diagnostics: readonly Diagnostic[], sources: SourceLookup, color: boolean): string =>
  renderDiagnostics(diagnostics, sources, { color, displayPath });

export function jsonAll(diagnostics: readonly Diagnostic[], sources: SourceLookup): JsonDiagnostic[] {
  return diagnostics.map((d) => {
    const text = sources(d.range.file);
    return { ...toJson(d, text === undefined ? undefined : new SourceText(d.range.file, text)), file: displayPath(d.range.file) };
  });
}

export function summary(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const where = files === 1 ? "" : ` in ${plural(files, "file")}`;
  if (!errors && !warnings) return `no problems${where}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}${where}`;
}

export { hasErrors };
