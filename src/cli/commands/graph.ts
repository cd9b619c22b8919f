import { toDot, toMermaid } from "../../ir/export.js";
import { compileFile } from "../compile.js";
import { renderAll, useColor } from "../output.js";

/** `tgc graph FILE`: the computation graph as Mermaid or Graphviz DOT. */
export function graphCommand(file: string, format: "mermaid" | "dot"): number {
  const c = compileFile(file, { lower: true });
  if (!c.graph) {
    process.stderr.write(renderAll(c.diagnostics.filter((d) => d.severity === "error"), (f) => (f === c.id ? c.text : c.host.read(f)), useColor(process.stderr)) + "\n");
    return 1;
  }
  process.stdout.write(format === "dot" ? toDot(c.graph) : toMermaid(c.graph));
  return 0;
}
