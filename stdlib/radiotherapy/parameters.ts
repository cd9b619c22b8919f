// The planning hyperparameters as the text an LLM edits: one dose objective per line,
//   PTV: uniform 70.2 Gy, weight 100
//   rectum: max 30 Gy, weight 100
// `uniform` penalizes any deviation from the dose, `min` only dose below it, `max` only dose above it, each
// squared and averaged over the structure's voxels; the weight is the objective's importance. Blank lines, `#`
// comments, list bullets and code fences are ignored; anything else that is not an objective is an error.
import type { Phantom } from "./phantom.js";

export type ObjectiveKind = "uniform" | "min" | "max";

export interface Objective {
  readonly structure: string;
  readonly kind: ObjectiveKind;
  /** Gy. */
  readonly dose: number;
  readonly weight: number;
  /** 1-based line in the text. */
  readonly line: number;
}

export type Parsed = { readonly ok: true; readonly objectives: readonly Objective[] } | { readonly ok: false; readonly errors: readonly string[] };

export const EXAMPLE_LINE = "rectum: max 30 Gy, weight 100";
const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`;
const OBJECTIVE = new RegExp(String.raw`^(.+?)\s*:\s*([A-Za-z]+)\s+${NUMBER}\s*(?:Gy)?\s*[,;]?\s*weight\s*[:=]?\s*${NUMBER}\s*\.?$`, "i");
const KINDS: readonly ObjectiveKind[] = ["uniform", "min", "max"];

export function parseParameters(text: string, phantom: Phantom): Parsed {
  const names = new Map(phantom.structures.map((s) => [s.name.toLowerCase(), s.name]));
  const known = phantom.structures.map((s) => s.name).join(", ");
  const objectives: Objective[] = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim().replace(/^[-*•]\s+/, "");
    if (s === "" || s.startsWith("#") || s.startsWith("```")) return;
    const m = OBJECTIVE.exec(s);
    if (!m) {
      errors.push(`line ${line}: "${clip(s)}" is not an objective; write one per line as "${EXAMPLE_LINE}" (kinds: uniform, min, max)`);
      return;
    }
    const [, rawName, rawKind, rawDose, rawWeight] = m;
    const structure = names.get(rawName!.trim().toLowerCase());
    const kind = rawKind!.toLowerCase() as ObjectiveKind;
    const dose = Number(rawDose);
    const weight = Number(rawWeight);
    const problems: string[] = [];
    if (structure === undefined) problems.push(`there is no structure "${rawName!.trim()}" (the structures: ${known})`);
    if (!KINDS.includes(kind)) problems.push(`"${rawKind}" is not an objective kind (uniform, min or max)`);
    if (dose < 0) problems.push(`the dose ${rawDose} Gy is negative`);
    if (weight < 0) problems.push(`the weight ${rawWeight} is negative`);
    if (problems.length) errors.push(`line ${line}: ${problems.join("; ")}`);
    else objectives.push({ structure: structure!, kind, dose, weight, line });
  });
  if (errors.length) return { ok: false, errors };
  const targets = phantom.structures.filter((s) => s.kind === "target").map((s) => s.name);
  const missing = targets.filter((t) => !objectives.some((o) => o.structure === t && o.kind !== "max" && o.weight > 0));
  if (missing.length) errors.push(`no uniform or min objective with a positive weight on the target ${missing.join(", ")}: nothing would ask for dose there`);
  return errors.length ? { ok: false, errors } : { ok: true, objectives };
}

/** The objectives written back in the canonical form, one per line. */
export const formatObjectives = (objectives: readonly Objective[]) =>
  objectives.map((o) => `${o.structure}: ${o.kind} ${o.dose} Gy, weight ${o.weight}`).join("\n");

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
