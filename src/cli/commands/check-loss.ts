import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { visible } from "../../diagnostics/render.js";
import { checkLoss, judgedBy } from "../../runtime/evaluate.js";
import { compileFile, sourcesOf } from "../compile.js";
import { setUpEngines, setupFailure, UsageError, type EngineFlags } from "../engine-setup.js";
import { diskRuntime } from "../host.js";
import { displayPath, hasErrors, renderAll, useColor } from "../output.js";

export interface CheckLossOptions extends EngineFlags {
  readonly loss: string;
  /** A JSONL, CSV or JSON file of reference outputs: `output`, `label` (good or bad), and the fields the loss reads. */
  readonly data: string;
  readonly threshold: number;
}

/** The names the reference data set and the loss's objective take in the extended program: not a user's. */
const REFERENCE = "tgc_check_loss_reference";

/** A path as a tg string literal: its text exactly, with nothing read as an escape or an interpolation. */
const tgString = (text: string) => `"${text.replace(/[\\"{}]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;

const formatOf = (file: string) => ({ ".jsonl": "jsonl", ".csv": "csv", ".json": "json" })[extname(file).toLowerCase()];

/**
 * `tgc check-loss FILE --loss NAME --data REFERENCE`: how often a loss's verdict agrees with reference outputs
 * labelled good or bad. The program is extended with the reference data set and an optimize block minimizing the
 * loss over it, so the loss is checked and lowered as the program would use it.
 */
export async function checkLossCommand(file: string, options: CheckLossOptions): Promise<number> {
  const first = compileFile(file, { lower: false });
  const colour = useColor(process.stderr);
  if (hasErrors(first.diagnostics)) {
    process.stderr.write(renderAll(first.diagnostics, sourcesOf(first), colour) + "\n");
    return 1;
  }
  try {
    const decls = first.checked!.root.program.declarations;
    const loss = decls.find((d) => d.kind === "LossDecl" && d.name.name === options.loss);
    if (!loss) {
      const losses = decls.flatMap((d) => (d.kind === "LossDecl" ? [d.name.name] : []));
      throw new UsageError(`${displayPath(first.path)} declares no loss '${options.loss}' (${losses.length ? `its losses: ${losses.join(", ")}` : "it declares none"})`);
    }
    const format = formatOf(options.data);
    if (!format) throw new UsageError(`--data must name a .jsonl, .csv or .json file, not ${options.data}`);
    if (!existsSync(options.data) || statSync(options.data).isDirectory()) {
      throw new UsageError(`--data: there is no file ${displayPath(resolve(options.data))}`);
    }
    const target = decls.find((d) => d.kind === "VariableDecl" && d.trainable);
    const engine = decls.find((d) => d.kind === "EngineDecl");
    if (!target || target.kind !== "VariableDecl" || !engine || engine.kind !== "EngineDecl") {
      throw new UsageError(`${displayPath(first.path)} needs an engine and a trainable variable for its loss to be checked as a run would use it`);
    }
    const args = decls.find((d) => d.kind === "LossDecl" && d.name.name === options.loss)!;
    const call = args.kind === "LossDecl" && args.params.length ? `${options.loss}(ex)` : options.loss;
    const extended = `${first.text}\n\ndata ${REFERENCE} = ${format}(${tgString(resolve(options.data))})\noptimize ${target.name.name} using tgd(engine: ${engine.name.name}) { data: ${REFERENCE}, minimize: ${call} }\n`;
    const c = compileFile(file, { lower: true, text: extended });
    // The reference data set is declared in lines tgc added to the program, not in the file: their problems are
    // told as the --data file's, without a code frame of lines the user never wrote.
    const added = (d: Diagnostic) => d.range.file === c.id && d.range.start >= first.text.length;
    const where = displayPath(resolve(options.data));
    const report = (ds: readonly Diagnostic[]) => {
      for (const d of ds.filter(added)) process.stderr.write(`tgc check-loss: ${visible(d.message.includes(resolve(options.data)) ? d.message : `${where}: ${d.message}`)}\n`);
      const own = ds.filter((d) => !added(d));
      if (own.length) process.stderr.write(renderAll(own, sourcesOf(c), colour) + "\n");
    };
    const errors = c.diagnostics.filter((d) => d.severity === "error");
    if (errors.length || !c.graph) {
      report(errors);
      return 1;
    }
    const graph = c.graph;
    const objective = graph.optimizations.at(-1)!.objective;
    if (!judgedBy(graph, objective)) {
      throw new UsageError(`'${options.loss}' is not one loss but a combination (a sum): check each of its terms on its own`);
    }
    const { engines } = await setUpEngines(graph, c.path, options, "check-loss", () => {});
    const result = await checkLoss({ graph, engines, ...diskRuntime(options.cacheDir), emit: () => {}, loss: objective, dataset: REFERENCE, threshold: options.threshold });
    if (result.status !== "completed") {
      report(result.diagnostics);
      if (result.reason) process.stderr.write(`tgc check-loss: ${result.reason}\n`);
      return result.status === "budget" ? 3 : result.status === "interrupted" ? 130 : 1;
    }
    const v = result.verdicts;
    const agree = v.filter((x) => x.label === x.verdict).length;
    const count = (label: string, verdict: string) => v.filter((x) => x.label === label && x.verdict === verdict).length;
    const simulated = [...new Set([...engines.values()].filter((e) => e.simulated).map((e) => e.id))];
    const out = [
      `loss '${options.loss}' on ${displayPath(resolve(options.data))}: agrees with ${agree} of ${v.length} labels (${v.length ? Math.round((100 * agree) / v.length) : 0}%)`,
      ...(simulated.length ? [`SIMULATED (${simulated.join(", ")}): these verdicts mean nothing about the loss's quality`] : []),
      "",
      "             judged good  judged bad",
      `labelled good  ${String(count("good", "good")).padStart(10)}  ${String(count("good", "bad")).padStart(10)}`,
      `labelled bad   ${String(count("bad", "good")).padStart(10)}  ${String(count("bad", "bad")).padStart(10)}`,
      `(a verdict is good when the loss is at most ${options.threshold})`,
    ];
    const disagreements = v.filter((x) => x.label !== x.verdict);
    if (disagreements.length) {
      out.push("", "Disagreements:");
      for (const d of disagreements) {
        const first = d.critique.split("\n").find((l) => l.trim() && !/^Judged against/.test(l)) ?? "(no critique)";
        out.push(`  example ${d.example + 1}: labelled ${d.label}, judged ${d.verdict}${d.loss !== undefined ? ` (loss ${d.loss.toFixed(2)})` : ""}: ${first.trim().slice(0, 160)}`);
      }
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  } catch (e) {
    return setupFailure("check-loss", e);
  }
}
