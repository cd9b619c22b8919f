import { describe, expect, it } from "vitest";
import { molecule } from "../../../stdlib/molecule/module.js";
import { qedOf, qedProperties, STRUCTURAL_ALERT_SMARTS } from "../../../stdlib/molecule/qed.js";
import { rdkit, readSmiles } from "../../../stdlib/molecule/rdkit.js";

const ASPIRIN = "CC(=O)Oc1ccccc1C(=O)O";
const CAFFEINE = "CN1C=NC2=C1C(=O)N(C(=O)N2C)C";
const IBUPROFEN = "CC(C)Cc1ccc(C(C)C(=O)O)cc1";
// Cyclosporin A: big (MW 1202.6), beyond the rule of five.
const CYCLOSPORIN =
  "CC[C@H]1C(=O)N(CC(=O)N([C@H](C(=O)N[C@H](C(=O)N([C@H](C(=O)N[C@H](C(=O)N[C@@H](C(=O)N([C@H](C(=O)N([C@H](C(=O)N([C@H](C(=O)N([C@H](C(=O)N1)[C@@H]([C@H](C)C/C=C/C)O)C)C(C)C)C)CC(C)C)C)CC(C)C)C)C)C)CC(C)C)C)C(C)C)CC(C)C)C)C";

const call = async (name: string, ...args: string[]) => molecule[name]!(args);
const num = async (name: string, ...args: string[]) => {
  const r = await call(name, ...args);
  if (typeof r !== "number") throw new Error(`${name} returned ${JSON.stringify(r)}`);
  return r;
};
const loss = async (...args: string[]) => {
  const r = await call("drug_likeness", ...args);
  if (typeof r !== "object") throw new Error(`drug_likeness returned ${JSON.stringify(r)}`);
  return r;
};

describe("reading SMILES", () => {
  it("validity, with RDKit's own message for an invalid SMILES", async () => {
    expect(await num("valid", ASPIRIN)).toBe(1);
    expect(await num("valid", "C1CC(")).toBe(0);
    expect(await num("valid", "")).toBe(0);
    const rd = await rdkit();
    const syntax = readSmiles(rd, "C1CC(");
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) {
      expect(syntax.error).toContain("SMILES Parse Error: syntax error while parsing: C1CC(");
      expect(syntax.error).toContain("check for mistakes around position 5");
      expect(syntax.error).not.toMatch(/^\[\d\d:/m); // timestamps dropped
    }
    const valence = readSmiles(rd, "CC(C)(C)(C)(C)C");
    expect(!valence.ok && valence.error).toMatch(/Explicit valence for atom # 1 C, 6, is greater than permitted/);
    const kekule = readSmiles(rd, "c1cccc1");
    expect(!kekule.ok && kekule.error).toMatch(/^Can't kekulize mol\.\s+Unkekulized atoms: 0 1 2 3 4$/);
  });

  it("takes the last line that parses from a reply with prose around it", async () => {
    expect(await call("canonical", `Here is a better molecule:\n\n${IBUPROFEN}\n\nIt removes the ester.`)).toBe(IBUPROFEN);
    expect(await call("canonical", `SMILES: \`${ASPIRIN}\`.`)).toBe(ASPIRIN);
    expect(await call("canonical", `\`\`\`smiles\nOCC\n\`\`\``)).toBe("CCO");
    expect(await call("canonical", `CCO\nC1CC(`)).toBe("CCO"); // the last line does not parse; the one before does
    expect(await call("canonical", "  CCO  ")).toBe("CCO");
    const none = await loss("Sorry, I cannot draw molecules.", "");
    expect(none.loss).toBe(1);
    expect(none.critique).toContain("no SMILES found");
  });

  it("canonical SMILES", async () => {
    expect(await call("canonical", "OCC")).toBe("CCO");
    expect(await call("canonical", "C1=CC=CC=C1")).toBe("c1ccccc1");
    expect(await call("canonical", "OC(=O)c1ccccc1OC(C)=O")).toBe(ASPIRIN);
    expect(await call("canonical", CAFFEINE)).toBe("Cn1c(=O)c2c(ncn2C)n(C)c1=O");
    expect(await call("canonical", "[H]OC([H])([H])[H]")).toBe("CO");
    expect(await call("canonical", "C1CC(")).toBe("");
  });
});

describe("descriptors", () => {
  it("aspirin, caffeine and ibuprofen as RDKit computes them", async () => {
    expect(await call("describe", ASPIRIN)).toBe(
      "CC(=O)Oc1ccccc1C(=O)O: MW 180.16, cLogP 1.31, TPSA 63.6, HBD 1, HBA 3, rotatable bonds 2, rings 1 (1 aromatic), QED 0.550, Lipinski violations: none",
    );
    expect(await call("describe", CAFFEINE)).toBe(
      "Cn1c(=O)c2c(ncn2C)n(C)c1=O: MW 194.19, cLogP -1.03, TPSA 61.82, HBD 0, HBA 3, rotatable bonds 0, rings 2 (2 aromatic), QED 0.538, Lipinski violations: none",
    );
    expect(await call("describe", IBUPROFEN)).toBe(
      "CC(C)Cc1ccc(C(C)C(=O)O)cc1: MW 206.28, cLogP 3.07, TPSA 37.3, HBD 1, HBA 1, rotatable bonds 4, rings 1 (1 aromatic), QED 0.822, Lipinski violations: none",
    );
    expect(await call("describe", "C1CC(")).toBe("Invalid SMILES: SMILES Parse Error: syntax error while parsing: C1CC(");
  });

  it("Lipinski violations of a big molecule", async () => {
    expect(await num("lipinski", ASPIRIN)).toBe(1);
    expect(await call("describe", CYCLOSPORIN)).toMatch(/Lipinski violations: 2 \(MW 1202\.6\d > 500; 23 H-bond acceptors \(N \+ O\) > 10\)$/);
    expect(await num("lipinski", CYCLOSPORIN)).toBe(0.5);
    // Four violations: MW, cLogP, donors, acceptors (a long polyol-amine with a greasy tail).
    const all = `${"C".repeat(40)}${"C(O)C(N)".repeat(4)}${"OCC".repeat(4)}`;
    expect(await call("describe", all)).toContain(
      "Lipinski violations: 4 (MW 975.58 > 500; cLogP 11.02 > 5; 12 H-bond donors (OH + NH) > 5; 12 H-bond acceptors (N + O) > 10)",
    );
    expect(await num("lipinski", all)).toBe(0);
    expect(await num("lipinski", "C1CC(")).toBe(0);
  });
});

describe("QED", () => {
  it("matches RDKit Python's QED.qed", async () => {
    // The doctests of rdkit/Chem/QED.py (descriptor version 1.1.0), then RDKit's values for three drugs.
    const known: [string, number][] = [
      ["N=C(CCSCc1csc(N=C(N)N)n1)NS(N)(=O)=O", 0.253],
      ["CNC(=NCCSCc1nc[nH]c1C)NC#N", 0.234],
      ["CCCCCNC(=N)NN=Cc1c[nH]c2ccc(CO)cc12", 0.234],
      [ASPIRIN, 0.55],
      [CAFFEINE, 0.538],
      [IBUPROFEN, 0.822],
    ];
    for (const [smiles, value] of known) expect(Math.abs((await num("qed", smiles)) - value), smiles).toBeLessThan(0.01);
    expect(await num("qed", "C1CC(")).toBe(0);
  });

  it("computes QED.py's properties (HBA by its SMARTS, AROM after deleting aliphatic ring atoms, alerts)", async () => {
    const rd = await rdkit();
    const props = (smiles: string) => {
      const p = readSmiles(rd, smiles);
      if (!p.ok) throw new Error(p.error);
      try {
        return qedProperties(rd.module, p.mol);
      } finally {
        p.mol.delete();
      }
    };
    expect(props(ASPIRIN)).toMatchObject({ HBA: 4, HBD: 1, ROTB: 2, AROM: 1, ALERTS: 2 });
    expect(props(ASPIRIN).alerts).toEqual(["c1ccccc1OC(=O)[#6]", "[#6,#8,#16][#6](=O)O[#6]"]);
    expect(props(CAFFEINE)).toMatchObject({ HBA: 3, HBD: 0, AROM: 2, ALERTS: 0 });
    // QED.py's own comment: its AROM counts 2 rings here, not RDKit's NumAromaticRings.
    expect(props("CC(C)C1=CC2=C(C)C=CC2=C(C)C=C1").AROM).toBe(2);
    expect(props("C1CCCCC1c1ccccc1").AROM).toBe(1);
    expect(STRUCTURAL_ALERT_SMARTS).toHaveLength(116);
    expect(qedOf(props(IBUPROFEN)).qed).toBeCloseTo(0.8216, 4);
  });

  it("scores 1,000 molecules", async () => {
    const bases = [ASPIRIN, CAFFEINE, IBUPROFEN, "c1ccc2ccccc2c1", "CN1CCC[C@H]1c1cccnc1", "OC(=O)c1ccccc1O", "CC(=O)Nc1ccc(O)cc1",
      "CN1CCN(CC1)c1ccccc1", "c1ccc(cc1)C(=O)Nc1ccccn1", "OC1CCN(CC1)C(=O)c1ccco1", "Cc1ccc(cc1)S(=O)(=O)N",
      "COc1ccc2[nH]ccc2c1", "CC(C)NCC(O)COc1ccccc1", "NC(=O)c1ccc(Cl)cc1", "CCOC(=O)c1ccccc1", "Nc1ncnc2[nH]cnc12",
      "CC1=CC(=O)c2ccccc2C1=O", "OCc1ccc(o1)C=O", "CN(C)CCOC(c1ccccc1)c1ccccc1", "c1ccc2c(c1)oc1ccccc12"]; // prettier-ignore
    const tails = ["", "C", "CC", "CCC", "F", "Cl", "O", "N", "OC", "NC(=O)C", "FC(F)(F)", "c1ccccc1", "N#C", "S(=O)(=O)N", "OCC", "CCN",
      "C(=O)O", "Br", "C1CC1", "COC", "N(C)C", "O=C", "ClCC", "c1ccncc1", "OCCO", "CS", "CCCC", "C(C)C", "C(C)(C)C", "NC(=O)N",
      "C1CCNCC1", "C1CCOC1", "OC(=O)C", "c1ccsc1", "FC(F)C", "NC(=O)", "N1CCOCC1", "CCO", "OC(C)C", "FCO", "NS(=O)(=O)C",
      "c1cnoc1", "N#CCC", "CCOC", "NCCN", "C1CC1C", "OCCN", "ClC(Cl)", "CC=C", "[nH]1ccnc1"]; // prettier-ignore
    const smiles = bases.flatMap((b) => tails.map((t) => `${t}${b}`)); // the tail bonds to the base's first atom
    expect(new Set(smiles).size).toBe(1000);
    await num("qed", ASPIRIN); // load RDKit first
    const start = performance.now();
    let scored = 0;
    for (const s of smiles) if ((await num("qed", s)) > 0) scored++;
    const ms = performance.now() - start;
    console.log(`QED of 1,000 molecules: ${ms.toFixed(0)} ms (${(ms / 1000).toFixed(2)} ms each; ${scored} valid)`);
    expect(scored).toBe(1000);
  });
});

describe("similarity", () => {
  it("Tanimoto on Morgan fingerprints: 1 to itself, lower to another", async () => {
    expect(await num("similarity", ASPIRIN, "OC(=O)c1ccccc1OC(C)=O")).toBe(1);
    const other = await num("similarity", ASPIRIN, IBUPROFEN);
    expect(other).toBeGreaterThan(0);
    expect(other).toBeLessThan(0.3);
    const close = await num("similarity", ASPIRIN, "O=C(O)c1ccccc1O"); // salicylic acid
    expect(close).toBeGreaterThan(other);
    expect(await num("similarity", "C1CC(", ASPIRIN)).toBe(0);
    expect(await num("similarity", ASPIRIN, "C1CC(")).toBe(0);
  });
});

describe("drug_likeness", () => {
  it("an invalid molecule: RDKit's message, loss 1", async () => {
    const r = await loss("C1CC(", IBUPROFEN);
    expect(r.loss).toBe(1);
    expect(r.critique).toMatch(/^Not a valid molecule: RDKit says:\nSMILES Parse Error: syntax error while parsing: C1CC\(/);
  });

  it("says which terms are low, the Lipinski violations and the similarity", async () => {
    const aspirin = await loss(ASPIRIN, IBUPROFEN);
    expect(aspirin.loss).toBeCloseTo(1 - 0.5501, 3);
    expect(aspirin.critique).toBe(
      "QED 0.550 for CC(=O)Oc1ccccc1C(=O)O (1 is the most drug-like). Low desirability: 2 structural alerts (desirability 0.24; " +
        "unwanted groups matching `c1ccccc1OC(=O)[#6]`, `[#6,#8,#16][#6](=O)O[#6]`): remove them; molecular weight 180.16 is " +
        "too low (desirability 0.34; most desirable near 306). No Lipinski violations. " +
        "Tanimoto similarity to the reference CC(C)Cc1ccc(C(C)C(=O)O)cc1: 0.20.",
    );
    const big = await loss(CYCLOSPORIN, "");
    expect(big.critique).toMatch(/Low desirability: molecular weight 1202\.63 is too high \(desirability 0\.03; most desirable near 306\); rotatable bonds 15 is too high/);
    expect(big.critique).toContain("H-bond donors 5 is too high");
    expect(big.critique).toContain("Lipinski violations: 2 (MW 1202.");
    expect(big.critique).not.toContain("Tanimoto");
    const good = await loss(IBUPROFEN, "C1CC(");
    expect(good.critique).toContain(
      "Low desirability: molecular weight 206.28 is too low (desirability 0.49; most desirable near 306). No Lipinski violations.",
    );
    expect((await loss("CN1CCN(CC1)c1ccc(NC(=O)c2ccccc2)cc1", "")).critique).toContain("No desirability term is below 0.5. No Lipinski violations.");
    expect(good.critique).toContain("The reference molecule is not a valid SMILES (SMILES Parse Error");
  });
});
