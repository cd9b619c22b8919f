import { writeFileSync } from "node:fs";
import { narrate, narrationHtml, narrationText } from "../../explain/narrate.js";
import type { RunEvent } from "../../runtime/events.js";
import { runProgram } from "../../runtime/run.js";
import { compileToRun } from "../compile.js";
import { setUpEngines, setupFailure, type EngineFlags } from "../engine-setup.js";
import { diskRuntime } from "../host.js";
import { displayPath } from "../output.js";

export interface ExplainOptions extends EngineFlags {
  /** Steps to narrate, from the first optimize block's first. */
  readonly steps: number;
  readonly html: string | undefined;
}

/**
 * `tgc explain FILE`: runs the program's first steps (no run folder) and narrates what happened. With the simulator
 * or a scripted reply file, the narration is the same every time.
 */
export async function explainCommand(file: string, options: ExplainOptions): Promise<number> {
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
  const result = await runProgram({
    graph,
    engines,
    ...diskRuntime(options.cacheDir),
    emit: (e) => {
      events.push(e);
      // The narration covers the first steps: the run stops at the next step's start.
      if (e.type === "step_finished" && ++finished >= options.steps) stop.abort();
    },
    program: displayPath(c.path),
    signal: stop.signal,
  });
  if (result.status === "failed" || result.status === "budget") {
    const finishedEvent = events.at(-1);
    process.stderr.write(`tgc explain: the run ${result.status === "budget" ? "stopped at a budget" : "failed"}${finishedEvent?.type === "run_finished" && finishedEvent.reason ? `: ${finishedEvent.reason}` : ""}\n`);
    return result.status === "budget" ? 3 : 1;
  }
  const narration = narrate(graph, events, displayPath(c.path));
  if (options.html !== undefined) {
    writeFileSync(options.html, narrationHtml(narration));
    process.stdout.write(`wrote ${displayPath(options.html)}\n`);
  } else {
    process.stdout.write(narrationText(narration) + "\n");
  }
  return 0;
}
