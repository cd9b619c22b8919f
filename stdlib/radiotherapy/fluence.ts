// Inverse planning: the non-negative beamlet weights that minimize the weighted sum of the objectives,
//   F(w) = Σ_o weight_o / |S_o| · Σ_{v ∈ S_o} φ_o(D_v),   D = A w,
// with φ the squared deviation (uniform), underdose (min) or overdose (max). F is convex and piecewise quadratic;
// it is minimized by accelerated projected gradient descent (FISTA with a function-value restart), the step being
// 1 / L with L a bound on the curvature found by power iteration. Deterministic: no random start.
import { doseOf, type DoseModel } from "./dose.js";
import type { Objective } from "./parameters.js";

export interface FluenceResult {
  readonly weights: Float64Array;
  readonly dose: Float64Array;
  readonly objective: number;
  readonly iterations: number;
}

interface Term {
  readonly voxels: Int32Array;
  readonly kind: Objective["kind"];
  readonly dose: number;
  /** weight / |S|. */
  readonly scale: number;
}

function termsOf(model: DoseModel, objectives: readonly Objective[]): Term[] {
  return objectives
    .filter((o) => o.weight > 0)
    .map((o) => {
      const s = model.phantom.structures.find((x) => x.name === o.structure)!;
      return { voxels: s.voxels, kind: o.kind, dose: o.dose, scale: o.weight / s.voxels.length };
    });
}

/** F at a dose, and (when `grad` is given) ∂F/∂D per voxel added into it. */
function evaluate(terms: readonly Term[], dose: Float64Array, grad?: Float64Array): number {
  let f = 0;
  for (const t of terms) {
    for (const v of t.voxels) {
      let r = dose[v]! - t.dose;
      if ((t.kind === "min" && r > 0) || (t.kind === "max" && r < 0)) r = 0;
      f += t.scale * r * r;
      if (grad) grad[v] = grad[v]! + 2 * t.scale * r;
    }
  }
  return f;
}

/** Aᵀ g: each beamlet's gradient from the voxels' gradients. */
function transpose(model: DoseModel, g: Float64Array, out: Float64Array): void {
  model.beamlets.forEach((b, j) => {
    let s = 0;
    for (let k = 0; k < b.voxels.length; k++) s += b.dose[k]! * g[b.voxels[k]!]!;
    out[j] = s;
  });
}

/** An upper bound on the curvature of F: the largest eigenvalue of Aᵀ H A, H the voxels' summed 2·scale. */
function curvature(model: DoseModel, terms: readonly Term[]): number {
  const n = model.beamlets.length;
  const h = new Float64Array(model.phantom.grid.nx * model.phantom.grid.ny);
  for (const t of terms) for (const v of t.voxels) h[v] = h[v]! + 2 * t.scale;
  let x = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  const y = new Float64Array(n);
  for (let it = 0; it < 30; it++) {
    const d = doseOf(model, x);
    for (let v = 0; v < d.length; v++) d[v] = d[v]! * h[v]!;
    transpose(model, d, y);
    const norm = Math.hypot(...y);
    if (norm === 0) return 1;
    lambda = norm;
    x = y.map((e) => e / norm);
  }
  // Power iteration approaches the top eigenvalue from below; a margin keeps the step safe.
  return lambda * 1.05;
}

export function optimizeFluence(model: DoseModel, objectives: readonly Objective[], options: { iterations?: number } = {}): FluenceResult {
  const maxIterations = options.iterations ?? 300;
  const terms = termsOf(model, objectives);
  const n = model.beamlets.length;
  const voxels = model.phantom.grid.nx * model.phantom.grid.ny;
  // Start from uniform weights that give the targets their prescription on average.
  const ones = new Float64Array(n).fill(1);
  const unit = doseOf(model, ones);
  const targets = model.phantom.structures.filter((s) => s.kind === "target");
  let mean = 0;
  let count = 0;
  for (const s of targets) for (const v of s.voxels) (mean += unit[v]!), count++;
  let w = new Float64Array(n).fill(model.phantom.spec.prescription / (mean / count));
  if (terms.length === 0) return { weights: w, dose: doseOf(model, w), objective: 0, iterations: 0 };

  const step = 1 / curvature(model, terms);
  // The dose is linear in the weights, so the extrapolated point's dose is extrapolated too: one product with A
  // (for the new iterate) and one with Aᵀ (for the gradient) per iteration.
  let y = Float64Array.from(w);
  let dw = doseOf(model, w);
  const dy = Float64Array.from(dw);
  let t = 1;
  let f = evaluate(terms, dw);
  const grad = new Float64Array(voxels);
  const gw = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    grad.fill(0);
    evaluate(terms, dy, grad);
    transpose(model, grad, gw);
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) next[j] = Math.max(0, y[j]! - step * gw[j]!);
    const dNext = doseOf(model, next);
    const fNext = evaluate(terms, dNext);
    if (fNext > f) {
      // Momentum overshot: restart from the last iterate without it.
      y = Float64Array.from(w);
      dy.set(dw);
      t = 1;
      continue;
    }
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    for (let j = 0; j < n; j++) y[j] = next[j]! + beta * (next[j]! - w[j]!);
    for (let v = 0; v < voxels; v++) dy[v] = dNext[v]! + beta * (dNext[v]! - dw[v]!);
    const converged = f - fNext <= 1e-7 * f;
    w = next;
    dw = dNext;
    f = fNext;
    t = tNext;
    if (converged) break;
  }
  return { weights: w, dose: dw, objective: f, iterations };
}
