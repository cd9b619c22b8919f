// Reading a program file and taking it through check and lowering: the front half the CLI's commands and the
// embedding API share. Reads, never writes, never prints; problems are diagnostics.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { check, type CheckedProgram } from "../check/index.js";
import type { ModuleHost } from "../check/host.js";
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Graph } from "../ir/graph.js";
import { lowerToGraph } from "../ir/lower.js";
import { nodeHost, packageRoot } from "./host.js";

export interface Compiled {
  readonly path: string;
  /** The module id diagnostics name: the path, or `std/<name>` for a file of the standard library. */
  readonly id: string;
  readonly text: string;
  readonly host: ModuleHost;
  readonly checked: CheckedProgram | undefined;
  readonly graph: Graph | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads and checks a file; with `lower`, lowers it to a graph when it has no errors. Reads, never writes. `text`
 * stands for the file's text (a program a command extends, or one an application holds in memory), its imports and
 * data still found beside the file.
 */
export function compileFile(file: string, options: { lower: boolean; text?: string }, host: ModuleHost = nodeHost()): Compiled {
  const path = resolve(file);
  let text: string;
  try {
    text = options.text ?? readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder, not a .tg file" : code === "EACCES" ? "permission denied" : (e as Error).message;
    return {
      path,
      id: path,
      text: "",
      host,
      checked: undefined,
      graph: undefined,
      diagnostics: [diagnostic("TG2003", `cannot read ${file}: ${why}`, { file: path, start: 0, end: 0 })],
    };
  }
  // A file of the standard library is checked as the module programs import (`std/<name>`), not as a program.
  const stdlib = join(packageRoot(), "stdlib");
  const id = dirname(path) === stdlib && path.endsWith(".tg") ? `std/${basename(path, ".tg")}` : path;
  const { checked, diagnostics } = check(id, text, host);
  const graph = options.lower && !hasErrors(diagnostics) ? lowerToGraph(checked) : undefined;
  return { path, id, text, host, checked, graph, diagnostics };
}

/** The sources diagnostics quote: the compiled file, or a module its host reads. */
export const sourcesOf = (c: Compiled) => (f: string) => (f === c.id ? c.text : c.host.read(f));
