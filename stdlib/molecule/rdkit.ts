// RDKit (its MinimalLib compiled to WebAssembly, the npm package @rdkit/rdkit), loaded once, lazily, on first use:
// importing std/molecule costs nothing until a molecule is scored. The package is loaded with Node's own require
// (not an import the bundler would follow): its Emscripten loader finds the .wasm file beside itself through
// __dirname, which exists only when Node loads it from node_modules, not inside the CLI's ESM bundle.
import { createRequire } from "node:module";
import type { Log, MainModule, Mol } from "@rdkit/rdkit";

export interface RDKit {
  readonly module: MainModule;
  /** RDKit's log, captured (not printed): a parse's error messages are read from it. */
  readonly log: Log | null;
}

type Factory = (options?: { locateFile?: (file: string) => string }) => Promise<MainModule>;

/** The package is CommonJS (`module.exports = initRDKitModule`): its default export, however the import wraps it. */
function factoryOf(imported: unknown): Factory {
  let candidate: unknown = imported;
  for (let depth = 0; depth < 3; depth++) {
    if (typeof candidate === "function") return candidate as Factory;
    candidate = typeof candidate === "object" && candidate !== null && "default" in candidate ? candidate.default : undefined;
  }
  throw new Error("@rdkit/rdkit: no initRDKitModule function in the package");
}

let loading: Promise<RDKit> | undefined;

export function rdkit(): Promise<RDKit> {
  loading ??= (async () => {
    const load = createRequire(import.meta.url);
    const init = factoryOf(load("@rdkit/rdkit"));
    const wasm = load.resolve("@rdkit/rdkit/RDKit_minimal.wasm");
    const module = await init({ locateFile: (file: string) => (file.endsWith(".wasm") ? wasm : file) });
    return { module, log: module.set_log_capture("rdApp.*") };
  })().catch((error: unknown) => {
    loading = undefined; // a later call tries again
    throw error;
  });
  return loading;
}

/** RDKit's messages since `clear`, without timestamps or repeated lines. */
function messages(log: Log | null): string {
  if (!log) return "";
  const lines = log
    .get_buffer()
    .split("\n")
    .map((l) => l.replace(/^\[\d\d:\d\d:\d\d\]\s?/, "").trimEnd())
    .filter((l) => l.trim() !== "");
  return [...new Set(lines)].join("\n");
}

export type Parsed = { readonly ok: true; readonly mol: Mol; readonly smiles: string } | { readonly ok: false; readonly error: string };

/** One SMILES string parsed (and sanitized) by RDKit, or RDKit's own error message. The caller deletes `mol`. */
export function parseSmiles(rd: RDKit, smiles: string): Parsed {
  if (smiles === "") return { ok: false, error: "empty SMILES: no atoms" };
  rd.log?.clear_buffer();
  const mol = rd.module.get_mol(smiles);
  const error = messages(rd.log);
  rd.log?.clear_buffer();
  if (!mol || !mol.is_valid() || mol.get_num_atoms() === 0) {
    mol?.delete();
    return { ok: false, error: error || `RDKit could not read '${smiles}' as SMILES` };
  }
  if (mol.get_num_atoms() !== mol.get_num_atoms(true)) mol.remove_hs_in_place(); // explicit [H] atoms, as QED.py's RemoveHs
  return { ok: true, mol, smiles };
}

/** A reply's line cleaned into a SMILES candidate: a `SMILES:` label, wrapping backticks or quotes, a final `.` dropped. */
function cleanLine(line: string): string {
  const s = line.trim().replace(/^[A-Za-z ]*SMILES\s*[:=]\s*/i, "");
  return s
    .replace(/[.,;]$/, "")
    .replace(/^[`"'*]+|[`"'*]+$/g, "")
    .trim()
    .replace(/[.,;]$/, "");
}

/**
 * The molecule in a reply. A SMILES has no spaces, so the candidates are the reply's lines that have none once
 * cleaned (see cleanLine; code-fence lines are skipped); the last candidate RDKit parses wins. When none parses, the
 * error is RDKit's message for the last candidate (or a note that no line could be a SMILES).
 */
export function readSmiles(rd: RDKit, reply: string): Parsed {
  const candidates = reply
    .split(/\r?\n/)
    .filter((l) => !l.trim().startsWith("```"))
    .map(cleanLine)
    .filter((l) => l !== "" && !/\s/.test(l));
  if (candidates.length === 0) {
    return { ok: false, error: reply.trim() === "" ? "empty SMILES: no atoms" : "no SMILES found: write the SMILES alone on a line (a SMILES has no spaces)" };
  }
  let firstError: string | undefined;
  for (const candidate of [...candidates].reverse()) {
    const parsed = parseSmiles(rd, candidate);
    if (parsed.ok) return parsed;
    firstError ??= parsed.error;
  }
  return { ok: false, error: firstError! };
}

/** Runs `f` on the molecule and deletes it afterwards (RDKit's objects live in the wasm heap, not the JS one). */
export function using<T>(mol: Mol, f: (mol: Mol) => T): T {
  try {
    return f(mol);
  } finally {
    mol.delete();
  }
}
