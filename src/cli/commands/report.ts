import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { toJson, type GraphJson } from "../../ir/export.js";
import { readRun, reportHtml, type RunFiles } from "../../report/index.js";
import { programHash } from "../../runtime/run-folder.js";
import { writeOutput } from "../files.js";
import { compileFile } from "../compile.js";
import { packageRoot } from "../host.js";
import { displayPath } from "../output.js";

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * A run folder written before tgc kept graph.json: the graph again, lowered from the program it ran (the original
 * file when it is unchanged, so that its imports and data resolve, else the folder's copy). Undefined if it fails.
 */
function rebuiltGraph(run: RunFiles): { graph: GraphJson; note: string } | undefined {
  const original = typeof run.config["program"] === "string" ? run.config["program"] : undefined;
  const candidates: string[] = [];
  try {
    if (original !== undefined && programHash(readFileSync(original, "utf8")) === run.config["sha256"]) candidates.push(original);
  } catch {
    // moved or deleted: the folder's copy remains
  }
  if (run.program !== undefined) candidates.push(join(run.path, "program.tg"));
  for (const file of candidates) {
    const c = compileFile(file, { lower: true });
    if (c.graph) return { graph: toJson(c.graph), note: `This run folder has no graph.json (tgc wrote none before this version); the graph is lowered again from ${displayPath(resolve(file))}.` };
  }
  return undefined;
}

/** `tgc report RUN_FOLDER`: writes the run's report as one self-contained HTML file. */
export function reportCommand(folder: string, options: { readonly out: string | undefined }): number {
  const read = readRun(folder);
  if (!read.ok) {
    process.stderr.write(`tgc report: ${read.error}\n`);
    return 1;
  }
  const run = read.run;
  const fallback = run.graph ? undefined : rebuiltGraph(run);
  const html = reportHtml(run, { name: basename(resolve(folder)), generator: `tgc ${version()}`, ...(fallback ? { fallbackGraph: fallback } : {}) });
  const out = options.out ?? join(folder, "report.html");
  writeOutput(out, html);
  process.stdout.write(`wrote ${displayPath(resolve(out))}\n`);
  return 0;
}
