// The paper's loss: a model, as a radiation oncologist, reads the plan report against the protocol.
import { describe, expect, it } from "vitest";
import { ofType, replying, runSource } from "../../runtime/harness.js";

const source = `import { oncologist } from "std/radiotherapy"
engine judge = sim()
trainable objectives: "the planning objectives" = """
  PTV: uniform 70.2 Gy, weight 100
  rectum: max 50 Gy, weight 100
  body: max 30 Gy, weight 100
"""
optimize objectives using tgd(engine: judge) {
  steps: 5
  minimize: oncologist(judge, objectives, "prostate")
  stop_when_solved: true
}`;

const GOOD = "PTV: uniform 73 Gy, weight 1000\nrectum: max 50 Gy, weight 30\nbladder: max 50 Gy, weight 30\nfemoral heads: max 40 Gy, weight 30\nbody: max 30 Gy, weight 30";

describe("oncologist", () => {
  it("shows the judge the DVH report and the protocol; its critique reaches the objectives through the plan; an acceptable decision ends the run", async () => {
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "loss") {
        const report = c.targets[0]!.text;
        return report.includes("✗") ? "PTV D95 is short of 70.2 Gy.\nDecision: the plan needs improvement\nScore: 6/10" : "Decision: the plan is acceptable\nScore: 10/10";
      }
      if (c.purpose === "backward") return c.relation === "argument" ? "Raise the PTV dose target and weight." : "Cover the PTV.";
      if (c.purpose === "update") return `<IMPROVED_VARIABLE>${GOOD}</IMPROVED_VARIABLE>`;
      return "";
    });
    const { events, engine: recorded } = await runSource(source, { engine });
    const loss = recorded.requests.find((r) => r.context.purpose === "loss")!.context;
    if (loss.purpose !== "loss") throw new Error("no loss request");
    expect(loss.targets[0]!.text).toMatch(/^Plan for the prostate case/);
    expect(loss.targets[0]!.text).toContain("✗ PTV D95 ≥ 70.2 Gy");
    expect(loss.context[0]!.text).toContain("- rectum V65 ≤ 17 %");
    expect(loss.criteria).toContain("radiation oncologist");
    // The judge's critique goes to the report, then through plan_report to the objectives.
    const backward = recorded.requests.map((r) => r.context).filter((c) => c.purpose === "backward");
    expect(backward.map((c) => c.purpose === "backward" && c.relation)).toEqual(["evaluated", "argument"]);
    expect(ofType(events, "update").map((u) => u.after)).toEqual([GOOD]);
    expect(ofType(events, "solved")).toEqual([{ type: "solved", step: 2 }]);
  });
});
