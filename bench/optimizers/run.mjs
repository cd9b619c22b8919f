// The optimizer benchmark (`npm run bench:optimizers`): TGD against opto, optimizer calls and tokens per step.
// Prints a table and appends it to bench/results.md.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
const script = await bundle(join(root, "bench", "optimizers", "measure.ts"), join(out, "optimizers-measure.mjs"));
const r = spawnSync(process.execPath, [script, root], { cwd: root, encoding: "utf8" });
if (r.status !== 0) throw new Error(`optimizer benchmark failed:\n${r.stdout}${r.stderr}`);
const rows = JSON.parse(r.stdout.trim().split("\n").pop());
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
const per = (x, steps) => (steps ? (x / steps).toFixed(1) : "—");
const count = (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const table = [
  `## optimizers · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · node ${process.version} · commit ${commit}`,
  "",
  "Optimizer calls (backward, update, condense for TGD; propose for opto) and their tokens, per step, with the simulator.",
  "Input tokens are the real prompts'; output tokens are the simulator's. Steps may differ where a run is solved early.",
  "",
  "| program | steps (tgd / opto) | calls per step, tgd | calls per step, opto | tokens per step, tgd | tokens per step, opto |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map((x) => `| ${x.program} | ${x.tgd.steps} / ${x.opto.steps} | ${per(x.tgd.calls, x.tgd.steps)} | ${per(x.opto.calls, x.opto.steps)} | ${count(x.tgd.tokens / x.tgd.steps)} | ${count(x.opto.tokens / x.opto.steps)} |`),
  "",
].join("\n");
process.stdout.write(table + "\n");
appendFileSync(join(root, "bench", "results.md"), "\n" + table);
