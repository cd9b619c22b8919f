// The front half every command shares (read, check, lower) lives in src/api/compile.ts; here, the form `run` and
// `eval` use, which prints the program's diagnostics.
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { Graph } from "../ir/graph.js";
import { compileFile, sourcesOf, type Compiled } from "../api/compile.js";
import { renderAll, useColor } from "./output.js";

export { compileFile, sourcesOf, type Compiled };

/**
 * Compiles a program to run it (`run`, `eval`): its diagnostics, warnings too, go to stderr; the graph, or
 * undefined when the program has errors.
 */
export function compileToRun(file: string): { compiled: Compiled; graph: Graph } | undefined {
  const c = compileFile(file, { lower: true });
  if (c.diagnostics.length) process.stderr.write(renderAll(c.diagnostics, sourcesOf(c), useColor(process.stderr)) + "\n\n");
  return c.graph && !hasErrors(c.diagnostics) ? { compiled: c, graph: c.graph } : undefined;
}
