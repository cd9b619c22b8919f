import { statSync } from "node:fs";
import { join, resolve } from "node:path";
// The reader and the model only: listing runs loads no page-drawing code (dagre, jsdiff).
import { bestValidation, buildModel, eachSummaries, lastLoss, stepsDone } from "../../report/model.js";
import { readRun, runFolders } from "../../report/read.js";
import { displayPath } from "../output.js";

const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}/;

/** When a run's folder was made: its program.tg, written once at the start (config.json is rewritten by a resume). */
function madeAt(dir: string, name: string): number {
  try {
    return statSync(join(dir, name, "program.tg")).mtimeMs;
  } catch {
    return 0;
  }
}

/** When a run started: the time stamp of its folder's name (to the second), then when its folder was made. */
function newestFirst(dir: string, names: readonly string[]): string[] {
  const key = new Map(names.map((n) => [n, { stamp: stamp.exec(n)?.[0] ?? "", made: madeAt(dir, n) }]));
  return [...names].sort((a, b) => {
    const x = key.get(a)!;
    const y = key.get(b)!;
    return y.stamp.localeCompare(x.stamp) || y.made - x.made || b.localeCompare(a);
  });
}

const usd = (n: number | null | undefined) => (n === null || n === undefined ? "unknown" : n === 0 ? "$0.00" : n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
const fixed = (n: number) => String(Number(n.toFixed(3)));

function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

/** `tgc runs`: the run folders under a directory, newest first, with how each ended and what it spent. */
export function runsCommand(runsDir: string): number {
  const dir = resolve(runsDir);
  const where = displayPath(dir) || runsDir;
  const found = runFolders(dir);
  if (!found.ok) {
    if (found.missing) {
      process.stdout.write(`no runs: ${where} does not exist yet (tgc run writes a folder there for each run)\n`);
      return 0;
    }
    process.stderr.write(`tgc runs: ${found.error}\n`);
    return 1;
  }
  if (found.names.length === 0) {
    process.stdout.write(`no runs in ${where} (tgc run writes a folder there for each run)\n`);
    return 0;
  }
  const names = newestFirst(dir, found.names);
  const rows: string[][] = [["run", "status", "steps", "best metric", "calls", "cost", "resumes"]];
  const problems: string[] = [];
  for (const name of names) {
    const read = readRun(join(dir, name));
    if (!read.ok) {
      rows.push([name, "unreadable", "", "", "", "", ""]);
      problems.push(`${name}: ${read.error}`);
      continue;
    }
    const m = buildModel(read.run, name);
    const best = bestValidation(m);
    const loss = lastLoss(m);
    // An each run's last loss is its last example's: its mean score before and after says what it did.
    const each = eachSummaries(m).find((e) => e.before !== undefined || e.after !== undefined);
    const metric = best !== undefined ? `validation ${fixed(best)}` : each ? `score ${each.before === undefined ? "–" : fixed(each.before)} → ${each.after === undefined ? "–" : fixed(each.after)}` : loss !== undefined ? `loss ${fixed(loss)}` : "–";
    const total = m.usage?.total;
    rows.push([name, m.status, String(stepsDone(m)), metric, String(total?.calls ?? m.calls), total ? usd(total.cost) : "–", String(m.resumes)]);
  }
  process.stdout.write(`${table(rows, new Set([2, 4, 5, 6]))}\n`);
  if (problems.length) process.stderr.write(problems.map((p) => `tgc runs: ${p}\n`).join(""));
  process.stdout.write(`\n${names.length} run${names.length === 1 ? "" : "s"} in ${where}. Status: completed, failed, interrupted, budget (stopped at --max-*), incomplete (no final.json: still running, or killed; tgc run --resume continues it), or unreadable (a damaged folder; tgc report FOLDER says what is wrong). tgc report RUN_FOLDER draws one.\n`);
  return 0;
}
