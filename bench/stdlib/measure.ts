// How fast the stdlib's native parts are, inside an optimization loop: scoring 1,000 molecules (QED), running one
// HumanEval solution's tests in the sandbox, and optimizing and evaluating one treatment plan. Prints one JSON line; bench/stdlib/run.mjs turns it into a table.
import { molecule } from "../../stdlib/molecule/module.js";
import { loadHumanEval, runHumanEval } from "../../stdlib/code/humaneval.js";
import { caseSpec, modelOf, planFromText, review } from "../../stdlib/radiotherapy/plan.js";

const bases = ["c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "CN1C=NC2=C1C(=O)N(C(=O)N2C)C", "CC(C)Cc1ccc(C(C)C(=O)O)cc1", "c1ccncc1", "C1CCNCC1", "O=C(O)c1ccccc1", "c1ccc2ccccc2c1"];
const substituents = ["", "C", "O", "N", "F", "Cl", "CC", "OC", "C(=O)O", "N(C)C"];
const molecules: string[] = [];
for (let i = 0; molecules.length < 1000; i++) {
  const base = bases[i % bases.length]!;
  const sub = substituents[Math.floor(i / bases.length) % substituents.length]!;
  molecules.push(`${base}${sub ? `.${sub}` : ""}${"C".repeat(Math.floor(i / (bases.length * substituents.length)))}`);
}

await molecule.qed!([bases[0]!]); // load RDKit first: its start is not the scoring
let t0 = performance.now();
for (const m of molecules) await molecule.qed!([m]);
const qedMs = performance.now() - t0;

const tasks = loadHumanEval();
let humanEvalMs: number | undefined;
if (tasks) {
  await runHumanEval(tasks[0]!); // warm the sandbox's checks
  const times: number[] = [];
  for (const task of tasks.slice(0, 20)) {
    t0 = performance.now();
    await runHumanEval(task);
    times.push(performance.now() - t0);
  }
  humanEvalMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
// The prostate case: its dose model is built once per process; each plan (different weights, so none is
// remembered) is parsed, optimized (the fluence) and judged against the protocol.
t0 = performance.now();
modelOf(caseSpec("prostate"));
const doseModelMs = performance.now() - t0;
const planTimes: number[] = [];
for (let i = 0; i < 11; i++) {
  const text = `PTV: uniform 72 Gy, weight ${300 + 100 * i}\nrectum: max 50 Gy, weight 100\nbladder: max 50 Gy, weight 100\nfemoral heads: max 40 Gy, weight 100\nbody: max 30 Gy, weight 100`;
  t0 = performance.now();
  const outcome = planFromText("prostate", text);
  if (!outcome.ok) throw new Error(outcome.errors.join("\n"));
  review(outcome.plan);
  planTimes.push(performance.now() - t0);
}
const planMedianMs = planTimes.sort((a, b) => a - b)[Math.floor(planTimes.length / 2)]!;
process.stdout.write(`${JSON.stringify({ qed1000Ms: qedMs, humanEvalMedianMs: humanEvalMs, doseModelMs, planMedianMs })}\n`);
