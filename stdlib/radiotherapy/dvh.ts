// Dose-volume histograms and the metrics a clinician reads from them. Every voxel has the same volume, so a
// structure's volume fraction is its fraction of voxels.
import type { DvhMetric, Phantom, Structure } from "./phantom.js";

export interface StructureDose {
  readonly structure: Structure;
  /** The structure's voxel doses, hottest first. */
  readonly sorted: Float64Array;
}

export function structureDoses(phantom: Phantom, dose: Float64Array): StructureDose[] {
  return phantom.structures.map((structure) => {
    const sorted = Float64Array.from(structure.voxels, (v) => dose[v]!).sort().reverse();
    return { structure, sorted };
  });
}

/** Dx: the dose that at least x % of the volume receives (the hottest x %'s coldest voxel). */
export function doseAtVolume(s: StructureDose, percent: number): number {
  const n = s.sorted.length;
  const k = Math.min(n - 1, Math.max(0, Math.ceil((percent / 100) * n) - 1));
  return s.sorted[k]!;
}

/** Vx: the % of the volume receiving at least x Gy. */
export function volumeAtDose(s: StructureDose, gy: number): number {
  let count = 0;
  for (const d of s.sorted) {
    if (d < gy) break;
    count++;
  }
  return (100 * count) / s.sorted.length;
}

export const meanDose = (s: StructureDose) => s.sorted.reduce((a, d) => a + d, 0) / s.sorted.length;
export const maxDose = (s: StructureDose) => s.sorted[0]!;

export function metricValue(s: StructureDose, m: DvhMetric): number {
  switch (m.kind) {
    case "D":
      return doseAtVolume(s, m.percent);
    case "V":
      return volumeAtDose(s, m.dose);
    case "Dmean":
      return meanDose(s);
    case "Dmax":
      return maxDose(s);
    default: {
      const never: never = m;
      return never;
    }
  }
}

export const metricName = (m: DvhMetric) => (m.kind === "D" ? `D${m.percent}` : m.kind === "V" ? `V${m.dose}` : m.kind);
/** Vx is a volume in %; the others are doses in Gy. */
export const metricUnit = (m: DvhMetric) => (m.kind === "V" ? "%" : "Gy");

/** The cumulative DVH: for doses 0, step, 2·step, … up to the maximum, the % of the volume receiving at least that. */
export function cumulativeDvh(s: StructureDose, step: number, upTo: number): { dose: number; volume: number }[] {
  const out: { dose: number; volume: number }[] = [];
  for (let d = 0; d <= upTo + 1e-9; d += step) out.push({ dose: d, volume: volumeAtDose(s, d) });
  return out;
}
