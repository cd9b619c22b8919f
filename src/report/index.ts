// Run folder → HTML. `readRun` reads the folder (never throws), `reportHtml` writes the page; `buildModel` is the
// run step by step, which `tgc runs` also summarizes.
import type { GraphJson } from "../ir/export.js";
import { pageHtml } from "./html.js";
import { buildModel } from "./model.js";
import type { RunFiles } from "./read.js";

export { readRun, runFolders, type ReadResult, type RunFiles } from "./read.js";
export { bestValidation, buildModel, lastLoss, stepsDone, type RunModel } from "./model.js";

export interface ReportOptions {
  /** The folder's name for the page (`2026-01-01T10-00-00-quickstart`). */
  readonly name: string;
  /** A graph to draw when the folder has none (rebuilt from its program), and a note saying so. */
  readonly fallbackGraph?: { readonly graph: GraphJson; readonly note: string };
  readonly generator: string;
  readonly now?: Date;
}

/** The report page of a run folder read by `readRun`. */
export function reportHtml(run: RunFiles, options: ReportOptions): string {
  const graph = run.graph ?? options.fallbackGraph?.graph;
  return pageHtml(buildModel(run, options.name), {
    graph,
    ...(run.graph === undefined && options.fallbackGraph ? { graphNote: options.fallbackGraph.note } : {}),
    generator: options.generator,
    generatedAt: options.now ?? new Date(),
  });
}
