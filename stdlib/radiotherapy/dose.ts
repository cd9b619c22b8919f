// Dose from each beamlet to each voxel (the dose-influence matrix), from a pencil-beam model of a 6 MV photon
// beam in water: a build-up and exponential attenuation along the depth inside the body, the inverse square of the
// distance from the source, and a lateral profile that is the beamlet's aperture blurred by a narrow primary and a
// wide scatter Gaussian widening with depth. Tissue is water-equivalent; there are no heterogeneities.
import { contains, voxelX, voxelY, type Phantom } from "./phantom.js";

/** Source-to-axis distance, cm. */
export const SAD = 100;
/** Effective attenuation coefficient beyond the build-up, 1/cm. */
const MU = 0.045;
/** Build-up length: the dose rises as 1 − exp(−d / λ) near the surface (maximum near 1.5 cm). */
const BUILDUP = 0.35;
/** Primary and scatter widths, cm, at the surface and their growth per cm of depth; the scatter's share. */
const SIGMA_PRIMARY = 0.25;
const SIGMA_PRIMARY_GROWTH = 0.01;
const SIGMA_SCATTER = 1.5;
const SIGMA_SCATTER_GROWTH = 0.03;
const SCATTER_SHARE = 0.08;
/** Entries below this fraction of a beamlet's largest are left out of the sparse matrix. */
const CUTOFF = 5e-3;

export interface Beamlet {
  readonly beam: number;
  readonly angle: number;
  /** Lateral position of its centre at the isocentre, cm. */
  readonly offset: number;
  /** Voxels it reaches and its dose to each per unit weight. */
  readonly voxels: Int32Array;
  readonly dose: Float32Array;
}

export interface DoseModel {
  readonly phantom: Phantom;
  readonly beamlets: readonly Beamlet[];
}

/** Error function (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7). */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** The fraction of a Gaussian of width σ centred at x that falls inside [−w/2, w/2]. */
const aperture = (x: number, w: number, sigma: number) => 0.5 * (erf((x + w / 2) / (sigma * Math.SQRT2)) - erf((x - w / 2) / (sigma * Math.SQRT2)));

/** Depth dose along the central axis, without the inverse square: 0 at the surface, largest near 1.5 cm. */
export const depthDose = (depth: number) => Math.exp(-MU * depth) * (1 - Math.exp(-depth / BUILDUP));

/** Dose per unit weight at a point `depth` cm inside the body, `lateral` cm from the beamlet's axis, `distance` cm from the source. */
export function beamletDose(depth: number, lateral: number, distance: number, width: number): number {
  if (depth <= 0) return 0;
  const primary = aperture(lateral, width, SIGMA_PRIMARY + SIGMA_PRIMARY_GROWTH * depth);
  const scatter = aperture(lateral, width, SIGMA_SCATTER + SIGMA_SCATTER_GROWTH * depth);
  const isq = (SAD / distance) ** 2;
  return depthDose(depth) * isq * ((1 - SCATTER_SHARE) * primary + SCATTER_SHARE * scatter);
}

/** Each voxel's depth inside the body along a beam from `angle`: the path from the voxel back to the source. */
function depths(phantom: Phantom, sx: number, sy: number): Float32Array {
  const g = phantom.grid;
  const step = g.spacing / 2;
  const out = new Float32Array(g.nx * g.ny);
  for (let i = 0; i < out.length; i++) {
    if (!phantom.inside[i]) continue;
    const x = voxelX(g, i);
    const y = voxelY(g, i);
    let d = step / 2;
    while (contains(phantom.spec.body, x + sx * d, y + sy * d)) d += step;
    out[i] = d - step / 2;
  }
  return out;
}

export function doseModel(phantom: Phantom): DoseModel {
  const g = phantom.grid;
  const spec = phantom.spec;
  const targets = phantom.structures.filter((s) => s.kind === "target");
  const beamlets: Beamlet[] = [];
  spec.gantryAngles.forEach((angle, beam) => {
    const t = (angle * Math.PI) / 180;
    // Towards the source, and across the beam.
    const sx = Math.sin(t);
    const sy = Math.cos(t);
    const ux = Math.cos(t);
    const uy = -Math.sin(t);
    const depth = depths(phantom, sx, sy);
    // Beamlets cover the targets' projection, with half a beamlet to spare on each side.
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of targets) {
      for (const i of s.voxels) {
        const u = voxelX(g, i) * ux + voxelY(g, i) * uy;
        lo = Math.min(lo, u);
        hi = Math.max(hi, u);
      }
    }
    const w = spec.beamletWidth;
    const first = Math.floor((lo - w / 2) / w);
    const last = Math.ceil((hi + w / 2) / w);
    for (let k = first; k <= last; k++) {
      const offset = k * w;
      const voxels: number[] = [];
      const dose: number[] = [];
      let peak = 0;
      for (let i = 0; i < depth.length; i++) {
        if (!phantom.inside[i]) continue;
        const x = voxelX(g, i);
        const y = voxelY(g, i);
        const distance = SAD - (x * sx + y * sy);
        // The lateral position projected back to the isocentre plane: the beam diverges from its source.
        const lateral = ((x * ux + y * uy) * SAD) / distance - offset;
        const d = beamletDose(depth[i]!, lateral, distance, w);
        if (d <= 0) continue;
        voxels.push(i);
        dose.push(d);
        peak = Math.max(peak, d);
      }
      const keep = dose.map((d, j) => (d >= CUTOFF * peak ? j : -1)).filter((j) => j >= 0);
      beamlets.push({ beam, angle, offset, voxels: Int32Array.from(keep, (j) => voxels[j]!), dose: Float32Array.from(keep, (j) => dose[j]!) });
    }
  });
  return { phantom, beamlets };
}

/** The dose of a plan: each voxel's sum over beamlets of weight × influence, Gy. */
export function doseOf(model: DoseModel, weights: Float64Array): Float64Array {
  const g = model.phantom.grid;
  const out = new Float64Array(g.nx * g.ny);
  model.beamlets.forEach((b, j) => {
    const w = weights[j]!;
    if (w === 0) return;
    for (let k = 0; k < b.voxels.length; k++) out[b.voxels[k]!]! += w * b.dose[k]!;
  });
  return out;
}
