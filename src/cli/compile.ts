// Reading a program file and taking it through check and lowering: the front half every command shares.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { check, type CheckedProgram } from "../check/index.js";
import type { ModuleHost } from "../check/host.js";
import { diagnostic, hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Graph } from "../ir/graph.js";
import { lowerToGraph } from "../ir/lower.js";
import { nodeHost } from "./host.js";

export interface Compiled {
  readonly path: string;
  readonly text: string;
  readonly host: ModuleHost;
  readonly checked: CheckedProgram | undefined;
  readonly graph: Graph | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and checks a file; with `lower`, lowers it to a graph when it has no errors. Reads, never writes. */
export function compileFile(file: string, options: { lower: boolean }, host: ModuleHost = nodeHost()): Compiled {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    return {
      path,
      text: "",
      host,
      checked: undefined,
      graph: undefined,
      diagnostics: [diagnostic("TG2003", `cannot read ${file}: ${why}`, { file: path, start: 0, end: 0 })],
    };
  }
  const { checked, diagnostics } = check(path, text, host);
  const graph = options.lower && !hasErrors(diagnostics) ? lowerToGraph(checked) : undefined;
  return { path, text, host, checked, graph, diagnostics };
}
