// The run loop: interruption, and the record it leaves.
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram } from "../../src/runtime/run.js";
import { ofType, replying } from "./harness.js";

const tagged = (v: string) => `<IMPROVED_VARIABLE>${v}</IMPROVED_VARIABLE>`;

describe("interrupting a run", () => {
  it("stops at the next step when aborted, and reports what completed", async () => {
    const source = `engine e = sim()
      trainable v: "a value" = "x"
      loss l = rubric e on v "judge"
      optimize v using tgd(engine: e) { steps: 5 minimize: l }`;
    const graph = lowerToGraph(check("main.tg", source, memoryHost({ "main.tg": source })).checked);
    const abort = new AbortController();
    let updates = 0;
    const engine = replying((r) => {
      if (r.context.purpose === "update") {
        updates++;
        if (updates === 2) abort.abort();
        return tagged(`value ${updates}`);
      }
      return r.context.purpose === "loss" ? "Bad.\nScore: 1/10" : "Change it.";
    });
    const events: RunEvent[] = [];
    const result = await runProgram({
      graph,
      engines: new Map([["e", engine]]),
      natives: new Map(),
      data: { resolve: (p) => p, read: () => undefined },
      emit: (e) => events.push(e),
      program: "main.tg",
      signal: abort.signal,
    });
    expect(result.status).toBe("interrupted");
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["value 1", "value 2"]);
    expect(ofType(events, "step_started")).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "interrupted", values: { v: "value 2" } });
  });
});
