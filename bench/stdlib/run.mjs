// The stdlib benchmark (`npm run bench:stdlib`): prints a table and appends it to bench/results.md.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
const script = await bundle(join(root, "bench", "stdlib", "measure.ts"), join(out, "stdlib-measure.mjs"));
const r = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8" });
if (r.status !== 0) throw new Error(`stdlib benchmark failed:\n${r.stdout}${r.stderr}`);
const m = JSON.parse(r.stdout.trim().split("\n").pop());
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
const table = [
  `## stdlib · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · node ${process.version} · commit ${commit}`,
  "",
  "| metric | value | target | pass/fail |",
  "| --- | --- | --- | --- |",
  `| QED of 1,000 molecules (std/molecule, RDKit loaded) | ${m.qed1000Ms.toFixed(0)} ms (${(m.qed1000Ms / 1000).toFixed(2)} ms each) | — | — |`,
  `| one HumanEval solution's tests in the sandbox (std/code), median of 20 | ${m.humanEvalMedianMs === undefined ? "no data (../shared/data/humaneval/ absent)" : `${m.humanEvalMedianMs.toFixed(0)} ms`} | — | — |`,
  `| one treatment plan optimized and evaluated (std/radiotherapy, prostate), median of 11 | ${m.planMedianMs.toFixed(0)} ms | — | — |`,
  `| … the case's dose model, built once per process | ${m.doseModelMs.toFixed(0)} ms | — | — |`,
  "",
].join("\n");
process.stdout.write(table + "\n");
appendFileSync(join(root, "bench", "results.md"), "\n" + table);
