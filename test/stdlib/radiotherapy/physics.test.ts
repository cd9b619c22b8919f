import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beamletDose, depthDose, doseModel, doseOf, SAD } from "../../../stdlib/radiotherapy/dose.js";
import { structureDoses } from "../../../stdlib/radiotherapy/dvh.js";
import { optimizeFluence } from "../../../stdlib/radiotherapy/fluence.js";
import type { Objective } from "../../../stdlib/radiotherapy/parameters.js";
import { buildPhantom, prostate, voxelX, voxelY, type CaseSpec } from "../../../stdlib/radiotherapy/phantom.js";
import { judge, modelOf, planFromObjectives } from "../../../stdlib/radiotherapy/plan.js";

const model = modelOf(prostate);
const voxels = model.phantom.grid.nx * model.phantom.grid.ny;

describe("the dose model", () => {
  it("gives no negative dose, and none outside the body", () => {
    for (const b of model.beamlets) for (const d of b.dose) expect(d).toBeGreaterThanOrEqual(0);
    const dose = doseOf(model, new Float64Array(model.beamlets.length).fill(1));
    for (let i = 0; i < voxels; i++) {
      expect(dose[i]).toBeGreaterThanOrEqual(0);
      if (!model.phantom.inside[i]) expect(dose[i]).toBe(0);
    }
  });

  it("builds up near the surface, then falls with depth", () => {
    expect(depthDose(0)).toBe(0);
    expect(depthDose(1.5)).toBeGreaterThan(depthDose(0.5));
    for (let d = 2; d < 30; d += 0.5) expect(depthDose(d + 0.5)).toBeLessThan(depthDose(d));
    // With the inverse square, along a beamlet's axis.
    for (let d = 2; d < 30; d += 0.5) expect(beamletDose(d + 0.5, 0, SAD - 10 + d + 0.5, 0.5)).toBeLessThan(beamletDose(d, 0, SAD - 10 + d, 0.5));
  });

  it("falls with depth along a beamlet's axis in the phantom, past the build-up", () => {
    // The anterior beam (0°) travels towards −y; its central beamlet's axis is x = 0.
    const central = model.beamlets.find((b) => b.beam === 0 && Math.abs(b.offset) < 1e-9)!;
    const g = model.phantom.grid;
    // One column of voxels, the nearest to the axis on its left (the grid has no column at x = 0).
    const column = (x: number) => x > 0 && x < g.spacing;
    const onAxis = [...central.voxels.keys()]
      .filter((k) => column(voxelX(g, central.voxels[k]!)))
      .map((k) => ({ y: voxelY(g, central.voxels[k]!), dose: central.dose[k]! }))
      .sort((a, b) => b.y - a.y);
    const surface = onAxis[0]!.y;
    const deep = onAxis.filter((p) => surface - p.y > 2);
    expect(deep.length).toBeGreaterThan(20);
    for (let i = 1; i < deep.length; i++) expect(deep[i]!.dose).toBeLessThan(deep[i - 1]!.dose);
  });

  it("never lowers the dose anywhere when a beamlet gets more weight", () => {
    const n = model.beamlets.length;
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        fc.nat(n - 1),
        fc.float({ min: Math.fround(0.01), max: 10, noNaN: true }),
        (ws, j, extra) => {
          const w = Float64Array.from(ws);
          const before = doseOf(model, w);
          w[j] = w[j]! + extra;
          const after = doseOf(model, w);
          for (let i = 0; i < voxels; i++) if (after[i]! < before[i]!) return false;
          return true;
        },
      ),
      { numRuns: 25 },
    );
  });

  it("is linear in the weights", () => {
    const w = Float64Array.from(model.beamlets, (_, j) => (j % 7) / 3);
    const once = doseOf(model, w);
    const twice = doseOf(model, w.map((x) => 2 * x));
    for (let i = 0; i < voxels; i++) expect(twice[i]).toBeCloseTo(2 * once[i]!, 9);
  });
});

/** One round target in the middle of the body and an organ well away from it: easy to plan. */
const easy: CaseSpec = {
  ...prostate,
  name: "easy",
  grid: { nx: 60, ny: 60, spacing: 0.4, x0: -11.8, y0: -11.8 },
  body: { kind: "ellipse", cx: 0, cy: 0, rx: 11, ry: 11 },
  structures: [
    { name: "PTV", kind: "target", shape: { kind: "ellipse", cx: 0, cy: 0, rx: 2.5, ry: 2.5 } },
    { name: "organ", kind: "organ", shape: { kind: "ellipse", cx: 0, cy: -7, rx: 1.5, ry: 1.5 } },
  ],
  goals: [
    { structure: "PTV", metric: { kind: "D", percent: 95 }, op: ">=", value: 66.7 },
    { structure: "PTV", metric: { kind: "Dmax" }, op: "<=", value: 75.1 },
    { structure: "organ", metric: { kind: "Dmean" }, op: "<=", value: 20 },
    { structure: "organ", metric: { kind: "V", dose: 40 }, op: "<=", value: 5 },
  ],
};

const objective = (structure: string, kind: Objective["kind"], dose: number, weight: number): Objective => ({ structure, kind, dose, weight, line: 0 });

describe("the fluence optimizer", () => {
  it("meets every goal on an easy case", () => {
    const m = doseModel(buildPhantom(easy));
    const plan = planFromObjectives(m, [objective("PTV", "uniform", 70.2, 100), objective("organ", "max", 10, 100), objective("body", "max", 30, 10)]);
    expect(plan.goals.filter((g) => !g.met)).toEqual([]);
  });

  it("lowers the objective from its uniform start, and the weights stay non-negative", () => {
    const objectives = [objective("PTV", "uniform", 70.2, 100), objective("rectum", "max", 50, 100), objective("body", "max", 30, 100)];
    const start = optimizeFluence(model, objectives, { iterations: 0 });
    const done = optimizeFluence(model, objectives);
    expect(done.objective).toBeLessThan(start.objective * 0.5);
    for (const w of done.weights) expect(w).toBeGreaterThanOrEqual(0);
  });

  it("trades target coverage for sparing as the weights say", () => {
    const base = [objective("PTV", "uniform", 70.2, 100), objective("body", "max", 30, 100)];
    const rectumMean = (weight: number) => {
      const plan = optimizeFluence(model, [...base, objective("rectum", "max", 30, weight)]);
      const doses = structureDoses(model.phantom, plan.dose);
      return judge(doses, [{ structure: "rectum", metric: { kind: "Dmean" }, op: "<=", value: 0 }])[0]!.value;
    };
    expect(rectumMean(1000)).toBeLessThan(rectumMean(10));
  });
});
