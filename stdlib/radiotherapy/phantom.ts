// The patient: an axial slice on a voxel grid, its structures (which may overlap, as contours do), the beams that
// treat it and the clinical protocol its plans are judged by. Coordinates are in cm, x to the patient's left and
// y anterior, with the isocentre at the origin; gantry angles follow the clinical convention (0° from anterior,
// 90° from the patient's left).

export interface Grid {
  /** Voxels across (x) and down (y). */
  readonly nx: number;
  readonly ny: number;
  /** Voxel edge, cm. */
  readonly spacing: number;
  /** Centre of voxel (0, 0), cm. */
  readonly x0: number;
  readonly y0: number;
}

export type Shape =
  | { readonly kind: "ellipse"; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number }
  | { readonly kind: "union"; readonly of: readonly Shape[] }
  | { readonly kind: "difference"; readonly from: Shape; readonly minus: Shape };

export interface StructureSpec {
  readonly name: string;
  readonly kind: "target" | "organ";
  readonly shape: Shape;
}

/** A goal of the protocol, on a DVH metric: `D95 >= 70.2` (Gy), `V65 <= 17` (% of the volume), `Dmax <= 75.1`. */
export interface Goal {
  readonly structure: string;
  readonly metric: DvhMetric;
  readonly op: ">=" | "<=";
  readonly value: number;
}

/** Dx: the least dose the hottest x % of the volume receives; Vx: the % of the volume that receives x Gy or more. */
export type DvhMetric =
  | { readonly kind: "D"; readonly percent: number }
  | { readonly kind: "V"; readonly dose: number }
  | { readonly kind: "Dmean" }
  | { readonly kind: "Dmax" };

export interface CaseSpec {
  readonly name: string;
  readonly description: string;
  readonly prescription: number;
  readonly grid: Grid;
  /** The outline: voxels outside it are air and receive no dose. */
  readonly body: Shape;
  readonly structures: readonly StructureSpec[];
  readonly gantryAngles: readonly number[];
  /** Beamlet width at the isocentre, cm. */
  readonly beamletWidth: number;
  readonly goals: readonly Goal[];
}

export interface Structure {
  readonly name: string;
  readonly kind: "target" | "organ" | "body";
  /** Indices into the grid's voxels (x fastest). */
  readonly voxels: Int32Array;
}

export interface Phantom {
  readonly spec: CaseSpec;
  readonly grid: Grid;
  /** 1 inside the body outline. */
  readonly inside: Uint8Array;
  /** The body first, then the case's structures in their order. */
  readonly structures: readonly Structure[];
}

export function contains(shape: Shape, x: number, y: number): boolean {
  switch (shape.kind) {
    case "ellipse": {
      const u = (x - shape.cx) / shape.rx;
      const v = (y - shape.cy) / shape.ry;
      return u * u + v * v <= 1;
    }
    case "union":
      return shape.of.some((s) => contains(s, x, y));
    case "difference":
      return contains(shape.from, x, y) && !contains(shape.minus, x, y);
    default: {
      const never: never = shape;
      return never;
    }
  }
}

export const voxelX = (g: Grid, i: number) => g.x0 + (i % g.nx) * g.spacing;
export const voxelY = (g: Grid, i: number) => g.y0 + Math.floor(i / g.nx) * g.spacing;

export function buildPhantom(spec: CaseSpec): Phantom {
  const g = spec.grid;
  const n = g.nx * g.ny;
  const inside = new Uint8Array(n);
  const mask = (shape: Shape) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (inside[i] && contains(shape, voxelX(g, i), voxelY(g, i))) out.push(i);
    return Int32Array.from(out);
  };
  for (let i = 0; i < n; i++) inside[i] = contains(spec.body, voxelX(g, i), voxelY(g, i)) ? 1 : 0;
  const structures: Structure[] = [{ name: "body", kind: "body", voxels: mask(spec.body) }];
  for (const s of spec.structures) structures.push({ name: s.name, kind: s.kind, voxels: mask(s.shape) });
  for (const s of structures) if (s.voxels.length === 0) throw new Error(`case ${spec.name}: structure ${s.name} has no voxel inside the body`);
  return { spec, grid: g, inside, structures };
}

const ellipse = (cx: number, cy: number, rx: number, ry = rx): Shape => ({ kind: "ellipse", cx, cy, rx, ry });
const D = (percent: number): DvhMetric => ({ kind: "D", percent });
const V = (dose: number): DvhMetric => ({ kind: "V", dose });

/**
 * The paper's case, as a phantom: a prostate PTV prescribed 70.2 Gy (39 × 1.8 Gy) with the rectum behind it and the
 * bladder in front, both overlapping its margin, the femoral heads to either side, treated with seven equally spaced
 * coplanar photon beams. The goals follow common prostate IMRT protocols (RTOG 0415's style, QUANTEC's rectum and
 * bladder limits scaled to the prescription).
 */
export const prostate: CaseSpec = {
  name: "prostate",
  description: "prostate PTV 70.2 Gy; rectum, bladder, femoral heads, body; 7 coplanar beams",
  prescription: 70.2,
  grid: { nx: 90, ny: 60, spacing: 0.4, x0: -17.8, y0: -11.8 },
  body: ellipse(0, 0.5, 17, 11.5),
  structures: [
    { name: "PTV", kind: "target", shape: ellipse(0, 0, 3.2, 2.7) },
    { name: "rectum", kind: "organ", shape: ellipse(0, -3.6, 1.5, 1.4) },
    { name: "bladder", kind: "organ", shape: ellipse(0, 4.6, 3.8, 2.4) },
    { name: "femoral heads", kind: "organ", shape: { kind: "union", of: [ellipse(-9, -0.5, 2.2), ellipse(9, -0.5, 2.2)] } },
  ],
  gantryAngles: [0, 51.4, 102.9, 154.3, 205.7, 257.1, 308.6],
  beamletWidth: 0.5,
  goals: [
    { structure: "PTV", metric: D(95), op: ">=", value: 70.2 },
    { structure: "PTV", metric: D(98), op: ">=", value: 66.7 },
    { structure: "PTV", metric: { kind: "Dmax" }, op: "<=", value: 75.1 },
    { structure: "rectum", metric: V(65), op: "<=", value: 17 },
    { structure: "rectum", metric: V(60), op: "<=", value: 35 },
    { structure: "rectum", metric: V(50), op: "<=", value: 50 },
    { structure: "bladder", metric: V(65), op: "<=", value: 25 },
    { structure: "bladder", metric: V(40), op: "<=", value: 50 },
    { structure: "femoral heads", metric: { kind: "Dmax" }, op: "<=", value: 50 },
    { structure: "body", metric: { kind: "Dmax" }, op: "<=", value: 77 },
  ],
};

/** A second patient: a larger PTV, the rectum pressed closer to it, the bladder fuller and off-centre. */
export const prostate2: CaseSpec = {
  ...prostate,
  name: "prostate-2",
  description: "a second prostate patient: larger PTV, rectum closer, fuller bladder; same beams and protocol",
  body: ellipse(0, 0.5, 18, 12),
  structures: [
    { name: "PTV", kind: "target", shape: ellipse(0, 0, 3.6, 3.0) },
    { name: "rectum", kind: "organ", shape: ellipse(0, -3.9, 1.7, 1.4) },
    { name: "bladder", kind: "organ", shape: ellipse(0.6, 5.0, 4.2, 2.6) },
    { name: "femoral heads", kind: "organ", shape: { kind: "union", of: [ellipse(-9.5, -0.5, 2.3), ellipse(9.5, -0.5, 2.3)] } },
  ],
};

export const cases: ReadonlyMap<string, CaseSpec> = new Map([prostate, prostate2].map((c) => [c.name, c]));
