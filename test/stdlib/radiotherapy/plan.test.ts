import { describe, expect, it } from "vitest";
import { doseAtVolume, meanDose, volumeAtDose, type StructureDose } from "../../../stdlib/radiotherapy/dvh.js";
import { radiotherapy } from "../../../stdlib/radiotherapy/module.js";
import { parseParameters } from "../../../stdlib/radiotherapy/parameters.js";
import { prostate } from "../../../stdlib/radiotherapy/phantom.js";
import { modelOf } from "../../../stdlib/radiotherapy/plan.js";

const phantom = modelOf(prostate).phantom;

const START = `PTV: uniform 70.2 Gy, weight 100
rectum: max 50 Gy, weight 100
bladder: max 50 Gy, weight 100
femoral heads: max 40 Gy, weight 100
body: max 30 Gy, weight 100`;

describe("planning parameters as text", () => {
  it("reads one objective per line, forgiving bullets, comments, fences, case and punctuation", () => {
    const parsed = parseParameters(["```", "# the target", "- PTV: uniform 72 Gy, weight 1000", "* Rectum: MAX 45 gy; weight: 60.", "", "body : min 0 Gy weight=5", "```"].join("\n"), phantom);
    expect(parsed).toEqual({
      ok: true,
      objectives: [
        { structure: "PTV", kind: "uniform", dose: 72, weight: 1000, line: 3 },
        { structure: "rectum", kind: "max", dose: 45, weight: 60, line: 4 },
        { structure: "body", kind: "min", dose: 0, weight: 5, line: 6 },
      ],
    });
  });

  it("names every malformed line, with its number and what is expected", () => {
    const parsed = parseParameters(["PTV: uniform 70.2 Gy, weight 100", "Increase the rectum weight.", "prostate: max 50 Gy, weight 10", "bladder: under 50 Gy, weight 10", "rectum: max 50 Gy, weight -3"].join("\n"), phantom);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'line 2: "Increase the rectum weight." is not an objective; write one per line as "rectum: max 30 Gy, weight 100" (kinds: uniform, min, max)',
      'line 3: there is no structure "prostate" (the structures: body, PTV, rectum, bladder, femoral heads)',
      'line 4: "under" is not an objective kind (uniform, min or max)',
      "line 5: the weight -3 is negative",
    ]);
  });

  it("asks for dose on the target", () => {
    const parsed = parseParameters("rectum: max 50 Gy, weight 100\nPTV: max 75 Gy, weight 100", phantom);
    expect(parsed).toEqual({ ok: false, errors: ["no uniform or min objective with a positive weight on the target PTV: nothing would ask for dose there"] });
  });
});

describe("DVH metrics", () => {
  const s = { structure: phantom.structures[0]!, sorted: Float64Array.from([70, 60, 50, 40, 30, 20, 10, 0, 0, 0]) } satisfies StructureDose;
  it("Dx is the least dose the hottest x % receives; Vx the % receiving at least x Gy", () => {
    expect(doseAtVolume(s, 10)).toBe(70);
    expect(doseAtVolume(s, 50)).toBe(30);
    expect(doseAtVolume(s, 95)).toBe(0);
    expect(doseAtVolume(s, 25)).toBe(50); // 2.5 voxels: the third voxel is the coldest of the hottest 25 %
    expect(volumeAtDose(s, 50)).toBe(30);
    expect(volumeAtDose(s, 45)).toBe(30);
    expect(volumeAtDose(s, 0)).toBe(100);
    expect(meanDose(s)).toBe(28);
  });
});

describe("std/radiotherapy's functions", () => {
  const call = (name: string, ...args: string[]) => radiotherapy[name]!(args);

  it("reviews the starting plan: a decision, the DVH table, each goal and what to change", async () => {
    const r = await call("plan_review", START, "prostate");
    if (typeof r !== "object") throw new Error("plan_review returned no critique");
    const failing = r.critique.split("\n").filter((l) => l.startsWith("✗"));
    expect(r.loss).toBeCloseTo(failing.length / prostate.goals.length, 9);
    expect(failing.length).toBeGreaterThan(0);
    expect(r.critique).toMatch(/^Decision: the plan needs improvement: \d+ of 10 goals fail \(PTV D95 \d+\.\d Gy < 70\.2/);
    expect(r.critique).toMatch(/^structure \(Gy\)\s+Dmean\s+Dmax\s+D98\s+D95\s+D50\s+D2$/m);
    expect(r.critique).toMatch(/^✗ PTV D95 ≥ 70\.2 Gy: \d+\.\d Gy \(\d+\.\d Gy short\)$/m);
    expect(r.critique).toMatch(/^✓ femoral heads Dmax ≤ 50 Gy: \d+\.\d Gy$/m);
    expect(r.critique).toContain("- Raise the PTV weight (now 100) or its dose (now uniform 70.2 Gy) to cover it.");
    expect(await call("goals_met", START, "prostate")).toBeCloseTo(1 - r.loss, 9);
  });

  it("finds nothing to fix in a plan that meets the protocol", async () => {
    const good = "PTV: uniform 73 Gy, weight 1000\nrectum: max 50 Gy, weight 30\nbladder: max 50 Gy, weight 30\nfemoral heads: max 40 Gy, weight 30\nbody: max 30 Gy, weight 30";
    expect(await call("plan_review", good, "prostate")).toEqual({ critique: "Decision: the plan is acceptable: it meets all 10 goals of the protocol.", loss: 0 });
    expect(await call("goals_met", good, "prostate")).toBe(1);
  });

  it("hands malformed parameters back as the critique, at full loss", async () => {
    const r = await call("plan_review", "PTV: uniform 70.2 Gy, weight 100\nbladder: max fifty Gy", "prostate");
    expect(r).toEqual({
      critique: 'The planning parameters could not be read, so no plan was made:\n- line 2: "bladder: max fifty Gy" is not an objective; write one per line as "rectum: max 30 Gy, weight 100" (kinds: uniform, min, max)',
      loss: 1,
    });
    expect(await call("goals_met", "nonsense", "prostate")).toBe(0);
    expect(await call("plan_report", "nonsense", "prostate")).toMatch(/^The planning parameters could not be read/);
  });

  it("reports the plan without a verdict, and states the protocol", async () => {
    const report = await call("plan_report", START, "prostate");
    expect(report).toMatch(/^Plan for the prostate case/);
    expect(report).toContain("Objectives: PTV uniform 70.2 Gy × 100; rectum max 50 Gy × 100;");
    expect(report).not.toContain("Decision");
    expect(await call("protocol", "prostate")).toContain("- rectum V65 ≤ 17 %");
  });

  it("names the cases when one is unknown", () => {
    expect(() => call("protocol", "lung")).toThrow('there is no radiotherapy case "lung" (the cases: prostate, prostate-2)');
  });
});
