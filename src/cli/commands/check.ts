import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { diagnostic, hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { plainText } from "../../syntax/strings.js";
import { compileFile, type Compiled } from "../compile.js";
import { fileDataHost } from "../../api/host.js";
import { jsonAll, renderAll, summary, useColor } from "../output.js";

export interface CheckOptions {
  readonly format: "text" | "json";
  readonly warnings: boolean;
}

/**
 * Data files the program names that are not on disk: a warning, since data may be fetched before a run (and the
 * checker itself reads no data); `tgc run` stops on them before any call.
 */
function missingData(c: Compiled): Diagnostic[] {
  if (!c.checked || c.id.startsWith("std/")) return [];
  return c.checked.root.program.declarations.flatMap((d) => {
    if ((d.kind !== "DataDecl" && d.kind !== "CorpusDecl") || d.args[0]?.kind !== "StringLit") return [];
    const path = plainText(d.args[0].parts);
    if (path === undefined) return [];
    const where = resolve(dirname(c.path), path);
    if (d.kind === "CorpusDecl" && d.format.name === "files") {
      if (fileDataHost.list!(path, c.path)!.length > 0) return [];
      return [diagnostic("TG2016", `no file matches "${path}" (looked in ${dirname(c.path)})`, d.args[0].range, { hint: "globs are relative to the .tg file; tgc run stops on an empty corpus" })];
    }
    if (existsSync(where)) return [];
    return [diagnostic("TG2016", `${d.kind === "DataDecl" ? "data" : "corpus"} file "${path}" is not there (looked for ${where})`, d.args[0].range, { hint: "paths are relative to the .tg file; tgc run stops on a missing file before any call" })];
  });
}

/** `tgc check FILE...`: every diagnostic of every file; exit 1 on any error. */
export function checkCommand(files: readonly string[], options: CheckOptions): number {
  const all: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    const c = compileFile(file, { lower: false });
    const lookup = (f: string) => (f === c.id ? c.text : c.host.read(f));
    const ds = [...c.diagnostics, ...missingData(c)].filter((d) => options.warnings || d.severity === "error");
    for (const d of ds) if (!sources.has(d.range.file)) sources.set(d.range.file, lookup(d.range.file) ?? "");
    all.push(...ds);
  }
  if (options.format === "json") {
    process.stdout.write(JSON.stringify({ diagnostics: jsonAll(all, (f) => sources.get(f)), summary: summary(all, files.length) }, null, 2) + "\n");
  } else {
    if (all.length) process.stderr.write(renderAll(all, (f) => sources.get(f), useColor(process.stderr)) + "\n\n");
    (hasErrors(all) ? process.stderr : process.stdout).write(summary(all, files.length) + "\n");
  }
  return hasErrors(all) ? 1 : 0;
}
