// The natives of std/molecule (declared in molecule.tg): molecules as SMILES, read and scored by RDKit.
import type { Mol } from "@rdkit/rdkit";
import type { NativeFunction } from "../../src/runtime/natives.js";
import { descriptors, PEAKS, qedOf, WEIGHT_MEAN, qedProperties, type Desirabilities, type Property, type QedProperties } from "./qed.js";
import { rdkit, readSmiles, using, type RDKit } from "./rdkit.js";

export interface Description {
  readonly smiles: string;
  readonly mw: number;
  readonly logp: number;
  readonly tpsa: number;
  readonly hbd: number;
  readonly hba: number;
  readonly rotatable: number;
  readonly rings: number;
  readonly aromaticRings: number;
  /** Lipinski's rule of five, each broken rule as text ("MW 612.7 > 500"). */
  readonly lipinski: readonly string[];
  readonly qed: number;
  readonly desirability: Desirabilities;
  readonly qedProperties: QedProperties;
  /** The structural alerts (QED's SMARTS) the molecule matches. */
  readonly alerts: readonly string[];
}

const fixed = (x: number, digits: number) => String(Number(x.toFixed(digits)));

/**
 * Lipinski's rule of five as he stated it: molecular weight over 500, (c)logP over 5, more than 5 H-bond donors
 * (the OH and NH groups, RDKit's NHOHCount) or more than 10 acceptors (the N and O atoms, RDKit's NOCount).
 */
function lipinski(desc: Record<string, number>): string[] {
  const out: string[] = [];
  const mw = desc["amw"]!;
  const logp = desc["CrippenClogP"]!;
  const donors = desc["lipinskiHBD"]!;
  const acceptors = desc["lipinskiHBA"]!;
  if (mw > 500) out.push(`MW ${fixed(mw, 2)} > 500`);
  if (logp > 5) out.push(`cLogP ${fixed(logp, 2)} > 5`);
  if (donors > 5) out.push(`${donors} H-bond donors (OH + NH) > 5`);
  if (acceptors > 10) out.push(`${acceptors} H-bond acceptors (N + O) > 10`);
  return out;
}

export function describeMol(rd: RDKit, mol: Mol): Description {
  const desc = descriptors(mol);
  const props = qedProperties(rd.module, mol, desc);
  const { qed, desirability } = qedOf(props);
  return {
    smiles: mol.get_smiles(),
    mw: desc["amw"]!,
    logp: desc["CrippenClogP"]!,
    tpsa: desc["tpsa"]!,
    hbd: desc["NumHBD"]!,
    hba: desc["NumHBA"]!,
    rotatable: desc["NumRotatableBonds"]!,
    rings: desc["NumRings"]!,
    aromaticRings: desc["NumAromaticRings"]!,
    lipinski: lipinski(desc),
    qed,
    desirability,
    qedProperties: props,
    alerts: props.alerts,
  };
}

const lipinskiText = (d: Description) => (d.lipinski.length ? `${d.lipinski.length} (${d.lipinski.join("; ")})` : "none");

/** The one-line summary `describe` returns. */
export function summary(d: Description): string {
  return (
    `${d.smiles}: MW ${fixed(d.mw, 2)}, cLogP ${fixed(d.logp, 2)}, TPSA ${fixed(d.tpsa, 2)}, HBD ${d.hbd}, HBA ${d.hba}, ` +
    `rotatable bonds ${d.rotatable}, rings ${d.rings} (${d.aromaticRings} aromatic), QED ${d.qed.toFixed(3)}, ` +
    `Lipinski violations: ${lipinskiText(d)}`
  );
}

const LABELS: Record<Property, string> = {
  MW: "molecular weight",
  ALOGP: "cLogP",
  HBA: "H-bond acceptors",
  HBD: "H-bond donors",
  PSA: "polar surface area",
  ROTB: "rotatable bonds",
  AROM: "aromatic rings",
  ALERTS: "structural alerts",
};

/** A desirability term below this is named in the critique. */
export const LOW_DESIRABILITY = 0.5;

/** The terms dragging QED down, the costliest first (by weight × −ln desirability), each with what to aim for. */
function lowTerms(d: Description): string[] {
  const cost = (p: Property) => -WEIGHT_MEAN[p] * Math.log(d.desirability[p]);
  const terms = (Object.keys(LABELS) as Property[])
    .filter((p) => d.desirability[p] < LOW_DESIRABILITY)
    .sort((a, b) => cost(b) - cost(a));
  return terms.map((p) => {
    const x = d.qedProperties[p];
    const value = Number.isInteger(x) ? String(x) : fixed(x, 2);
    const desirability = `desirability ${d.desirability[p].toFixed(2)}`;
    if (p === "ALERTS") {
      const shown = d.alerts.slice(0, 3).map((s) => `\`${s}\``).join(", ");
      const more = d.alerts.length > 3 ? ` and ${d.alerts.length - 3} more` : "";
      return `${value} structural alert${x === 1 ? "" : "s"} (${desirability}; unwanted groups matching ${shown}${more}): remove them`;
    }
    const direction = x > PEAKS[p] ? "too high" : "too low";
    return `${LABELS[p]} ${value} is ${direction} (${desirability}; most desirable near ${PEAKS[p]})`;
  });
}

/** The critique of `drug_likeness`. */
export function critique(d: Description, similarity: { reference: string; tanimoto: number } | { reference: string; error: string } | undefined): string {
  const low = lowTerms(d);
  const parts = [
    `QED ${d.qed.toFixed(3)} for ${d.smiles} (1 is the most drug-like).`,
    low.length ? `Low desirability: ${low.join("; ")}.` : `No desirability term is below ${LOW_DESIRABILITY}.`,
    d.lipinski.length ? `Lipinski violations: ${lipinskiText(d)}.` : "No Lipinski violations.",
  ];
  if (similarity && "error" in similarity) parts.push(`The reference molecule is not a valid SMILES (${firstLine(similarity.error)}).`);
  else if (similarity) parts.push(`Tanimoto similarity to the reference ${similarity.reference}: ${similarity.tanimoto.toFixed(2)}.`);
  return parts.join(" ");
}

const firstLine = (s: string) => s.split("\n")[0]!;

/** The Morgan fingerprint (radius 2, 2048 bits) as bytes. */
function morgan(mol: Mol): Uint8Array {
  const fp: unknown = mol.get_morgan_fp_as_uint8array(JSON.stringify({ radius: 2, nBits: 2048 }));
  if (!(fp instanceof Uint8Array)) throw new Error("RDKit returned no Morgan fingerprint");
  return fp;
}

const popcount = (b: number) => {
  let n = 0;
  for (let x = b; x; x &= x - 1) n++;
  return n;
};

export function tanimoto(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += popcount(a[i]! & b[i]!);
    either += popcount(a[i]! | b[i]!);
  }
  return either === 0 ? 0 : both / either;
}

/** Runs `f` on the molecule in the reply, or returns `invalid(error)` when it holds none RDKit can read. */
async function withMol<T>(reply: string, f: (rd: RDKit, mol: Mol) => T, invalid: (error: string) => T): Promise<T> {
  const rd = await rdkit();
  const parsed = readSmiles(rd, reply);
  return parsed.ok ? using(parsed.mol, (mol) => f(rd, mol)) : invalid(parsed.error);
}

/** Tanimoto similarity on Morgan fingerprints of two molecules in replies, or RDKit's error for whichever is invalid. */
async function similarityOf(reply: string, reference: string): Promise<{ reference: string; tanimoto: number } | { reference: string; error: string }> {
  const rd = await rdkit();
  const ref = readSmiles(rd, reference);
  if (!ref.ok) return { reference, error: ref.error };
  return using(ref.mol, (refMol) => {
    const refSmiles = refMol.get_smiles();
    const refFp = morgan(refMol);
    const parsed = readSmiles(rd, reply);
    if (!parsed.ok) return { reference: refSmiles, error: parsed.error };
    return using(parsed.mol, (mol) => ({ reference: refSmiles, tanimoto: tanimoto(morgan(mol), refFp) }));
  });
}

export const molecule: Record<string, NativeFunction> = {
  valid: ([smiles]) => withMol(smiles ?? "", () => 1, () => 0),
  canonical: ([smiles]) => withMol(smiles ?? "", (_, mol) => mol.get_smiles(), () => ""),
  describe: ([smiles]) => withMol(smiles ?? "", (rd, mol) => summary(describeMol(rd, mol)), (error) => `Invalid SMILES: ${firstLine(error)}`),
  qed: ([smiles]) => withMol(smiles ?? "", (rd, mol) => qedOf(qedProperties(rd.module, mol)).qed, () => 0),
  lipinski: ([smiles]) => withMol(smiles ?? "", (_, mol) => 1 - lipinski(descriptors(mol)).length / 4, () => 0),
  similarity: async ([smiles, reference]) => {
    const s = await similarityOf(smiles ?? "", reference ?? "");
    return "tanimoto" in s ? s.tanimoto : 0;
  },
  drug_likeness: async ([smiles, reference]) => {
    const described = await withMol<Description | { error: string }>(smiles ?? "", describeMol, (error) => ({ error }));
    if ("error" in described) return { critique: `Not a valid molecule: RDKit says:\n${described.error}`, loss: 1 };
    const similarity = reference?.trim() ? await similarityOf(smiles ?? "", reference) : undefined;
    return { critique: critique(described, similarity), loss: 1 - described.qed };
  },
};
