import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { compileFile } from "../compile.js";
import { jsonAll, renderAll, summary, useColor } from "../output.js";

export interface CheckOptions {
  readonly format: "text" | "json";
  readonly warnings: boolean;
}

/** `tgc check FILE...`: every diagnostic of every file; exit 1 on any error. */
export function checkCommand(files: readonly string[], options: CheckOptions): number {
  const all: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    const c = compileFile(file, { lower: false });
    const lookup = (f: string) => (f === c.id ? c.text : c.host.read(f));
    const ds = c.diagnostics.filter((d) => options.warnings || d.severity === "error");
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
