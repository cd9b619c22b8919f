import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { narrate, narrationHtml, narrationText, type Narration } from "../../explain/narrate.js";
import { readRun } from "../../report/read.js";
import { programHash } from "../../runtime/run-folder.js";
import type { RunEvent } from "../../runtime/events.js";
import { runProgram } from "../../runtime/run.js";
import { outputProblem, writeOutput } from "../files.js";
import { compileFile, compileToRun } from "../compile.js";
import { setUpEngines, setupFailure, type EngineFlags } from "../engine-setup.js";
import { diskRuntime } from "../host.js";
import { displayPath } from "../output.js";

export interface ExplainOptions extends EngineFlags {
  /** Steps to narrate, from the first optimize block's first. */
  readonly steps: number;
  readonly html: string | undefined;
  /** The flags given that choose what to run (`--steps`, `--engine`, …): a run folder ignores them. */
  readonly runFlags?: readonly string[];
}

function write(narration: Narration, html: string | undefined): void {
  if (html !== undefined) {
    writeOutput(html, narrationHtml(narration));
    process.stdout.write(`wrote ${displayPath(html)}\n`);
  } else {
    process.stdout.write(narrationText(narration) + "\n");
  }
}

/**
 * `tgc explain RUN_FOLDER`: narrates a run `tgc run` recorded, every step of it (nothing is run again). The graph is
 * lowered from the program it ran: the original file when it is unchanged (its imports and data resolve), else the
 * folder's copy.
 */
function explainRunFolder(folder: string, html: string | undefined): number {
  const read = readRun(folder);
  if (!read.ok) {
    process.stderr.write(`tgc explain: ${read.error}\n`);
    return 1;
  }
  const run = read.run;
  const original = typeof run.config["program"] === "string" ? run.config["program"] : undefined;
  const candidates: string[] = [];
  try {
    if (original !== undefined && programHash(readFileSync(original, "utf8")) === run.config["sha256"]) candidates.push(original);
  } catch {
    // moved or deleted: the folder's copy remains
  }
  if (run.program !== undefined) candidates.push(join(folder, "program.tg"));
  const graph = candidates.map((f) => compileFile(f, { lower: true }).graph).find((g) => g !== undefined);
  if (!graph) {
    process.stderr.write(`tgc explain: cannot lower the program of ${displayPath(folder)} to name its graph's nodes (its program.tg does not compile)\n`);
    return 1;
  }
  const started = run.events.find((e) => e.type === "run_started");
  write(narrate(graph, run.events, started?.type === "run_started" ? started.program : displayPath(folder)), html);
  return 0;
}

/**
 * `tgc explain FILE`: runs the program's first steps (no run folder) and narrates what happened. With the simulator
 * or a scripted reply file, the narration is the same every time.
 */
export async function explainCommand(file: string, options: ExplainOptions): Promise<number> {
  // Checked before any step runs (with a real engine, steps cost money), not when the page is about to be written.
  const htmlProblem = options.html === undefined ? undefined : outputProblem(options.html);
  if (htmlProblem) {
    process.stderr.write(`tgc explain: --html: ${htmlProblem}\n`);
    return 2;
  }
  if (isFolder(file)) {
    const ignored = options.runFlags ?? [];
    if (ignored.length) process.stderr.write(`tgc explain: a run folder is told as it was recorded, every step of it; ${ignored.join(", ")} ignored\n`);
    return explainRunFolder(file, options.html);
  }
  const compiled = compileToRun(file);
  if (!compiled) return 1;
  const { compiled: c, graph } = compiled;
  if (graph.optimizations.length === 0) {
    process.stderr.write(`tgc explain: ${displayPath(c.path)} has no optimize block: there is no step to explain\n`);
    return 1;
  }
  let engines;
  try {
    ({ engines } = await setUpEngines(graph, c.path, options, "explain", () => {}));
  } catch (e) {
    return setupFailure("explain", e);
  }
  const events: RunEvent[] = [];
  const stop = new AbortController();
  let finished = 0;
  let inExample = false;
  const result = await runProgram({
    graph,
    engines,
    ...diskRuntime(options.cacheDir),
    emit: (e) => {
      events.push(e);
      // The narration covers the first steps: the run stops at the next step's start. An example of an each: block
      // is told whole (its vote and score come after its steps), so the run stops at the end of that example.
      if (e.type === "example_started") inExample = true;
      if (e.type === "example_finished") inExample = false;
      if (e.type === "step_finished") finished++;
      if ((e.type === "step_finished" || e.type === "example_finished") && finished >= options.steps && !inExample) stop.abort();
    },
    program: displayPath(c.path),
    signal: stop.signal,
  });
  if (result.status === "failed" || result.status === "budget") {
    const finishedEvent = events.at(-1);
    process.stderr.write(`tgc explain: the run ${result.status === "budget" ? "stopped at a budget" : "failed"}${finishedEvent?.type === "run_finished" && finishedEvent.reason ? `: ${finishedEvent.reason}` : ""}\n`);
    return result.status === "budget" ? 3 : 1;
  }
  write(narrate(graph, events, displayPath(c.path)), options.html);
  return 0;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
