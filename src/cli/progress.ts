// How `tgc run` shows a run as it happens: one line per step with its loss, each critique and gradient in
// short, each update in full. `--verbose` shows every text in full; `--quiet` only the final values.
import { formatUsageTable } from "../engines/cost.js";
import type { RunEvent } from "../runtime/events.js";

export type Verbosity = "quiet" | "normal" | "verbose";

const indent = (text: string, prefix = "    │ ") =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");

function short(text: string, verbosity: Verbosity, width = 110): string {
  if (verbosity === "verbose") return indent(text);
  const flat = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^Judged against/.test(l))
    .join(" ");
  return `    ${flat.length > width ? `${flat.slice(0, width - 1)}…` : flat}`;
}

export function progressPrinter(write: (line: string) => void, verbosity: Verbosity, colour: boolean): (e: RunEvent) => void {
  const c = (code: string) => (s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const bold = c("1");
  const dim = c("2");
  const yellow = c("33");
  let totalSteps = 0;
  let calls = 0;
  return (e) => {
    if (e.type === "call") calls++;
    // Quiet keeps the results: the final values, and an each: block's mean scores (its values are per example).
    if (verbosity === "quiet" && e.type !== "run_finished" && e.type !== "run_started" && e.type !== "each_finished") return;
    switch (e.type) {
      case "run_started": {
        const simulated = e.engines.filter((x) => x.simulated);
        write(bold(`tgc run ${e.program}`));
        for (const x of e.engines) write(dim(`  engine ${x.name} → ${x.id}${x.simulated ? " (simulated)" : ""}`));
        if (simulated.length) {
          // The scripted engine is offline too, but its replies are the user's, not the simulator's.
          const source = simulated.every((x) => x.id.startsWith("scripted:")) ? "the rules file's scripted replies" : "tgc's deterministic simulator";
          write(yellow(`  SIMULATED: no language model is called. Replies come from ${source},`));
          write(yellow("  which shows the mechanics of textual gradients; its answers mean nothing about quality."));
        }
        return;
      }
      case "variable_initialized":
        write(`\n${bold(`${e.name}`)} ${dim("initialized")}`);
        if (verbosity !== "quiet") write(indent(e.value));
        return;
      case "step_started":
        totalSteps = Math.max(totalSteps, e.step);
        write(
          `\n${bold(`step ${e.step}`)}${e.epoch !== undefined ? dim(` (epoch ${e.epoch}, examples ${e.examples.join(", ")})`) : ""}`,
        );
        return;
      case "retrieval": {
        const where = e.sample !== undefined ? dim(` [example ${e.sample}]`) : "";
        write(`  ${e.label}${where} ${dim(`query "${e.query.length > 70 ? `${e.query.slice(0, 69)}…` : e.query}"`)}`);
        for (const p of e.passages) write(short(`${p.score.toFixed(2)}  ${p.source}: ${p.text}`, verbosity === "verbose" ? "normal" : verbosity, 106));
        if (e.passages.length === 0) write(dim("    (no passage matches)"));
        return;
      }
      case "agent_step": {
        const args = Object.entries(e.arguments).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ");
        const where = e.sample !== undefined ? dim(` [example ${e.sample}]`) : "";
        write(`  ${e.label} ${dim(`step ${e.step}`)}${where} ${e.tool}(${args}) ${e.failed ? yellow("→ error") : dim("→")}
${short(e.result, verbosity === "verbose" ? "normal" : verbosity, 106)}`);
        return;
      }
      case "agent_finished":
        write(`  ${e.label} ${dim("answer")}${e.sample !== undefined ? dim(` [example ${e.sample}]`) : ""} ${dim(`after ${e.steps === 0 ? "no tool call" : e.steps === 1 ? "1 tool call" : `${e.steps} tool calls`}${e.exhausted ? ", out of steps" : ""}`)}
${short(e.answer, verbosity)}`);
        return;
      case "loss":
        if (e.text.trim()) write(`  ${dim("loss")} ${e.label}${e.sample !== undefined ? dim(` [example ${e.sample}]`) : ""}${e.loss !== undefined ? dim(` = ${e.loss.toFixed(2)}`) : ""}\n${short(e.text, verbosity)}`);
        return;
      case "gradient":
        write(`  ${dim("gradient")} ${e.fromLabel} → ${bold(e.toLabel)}${e.sample !== undefined ? dim(` [example ${e.sample}]`) : ""}\n${short(e.text, verbosity)}`);
        return;
      case "gradients_condensed":
        write(`  ${dim("condensed")} ${e.count} gradients for ${e.variable} (${e.before} → ${e.after} characters)`);
        return;
      case "retry":
        write(yellow(`  ${e.engine}: ${e.message}; trying again in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt + 1})`));
        return;
      case "reply_malformed":
        write(yellow(`  ${e.engine}'s ${e.purpose} reply: ${e.problem} (attempt ${e.attempt}); ${e.retrying ? "asking again" : "no attempts left"}`));
        return;
      case "update":
        write(`  ${bold(`update ${e.variable}`)}\n${indent(e.after)}`);
        return;
      case "update_skipped":
        write(`  ${dim(`no update to ${e.variable}: ${e.reason}`)}`);
        return;
      case "validation":
        write(`  ${dim("validation")} ${e.score.toFixed(3)}${e.step > 0 ? dim(` (best ${e.best.toFixed(3)}${e.unchanged ? "; unchanged, not run again" : ""})`) : dim(" (before training)")}${e.reverted ? yellow(" worse: update reverted") : ""}`);
        return;
      case "step_finished":
        if (e.loss !== undefined) write(`  ${dim(`step ${e.step} loss ${e.loss.toFixed(2)}`)}`);
        return;
      case "run_finished": {
        if (e.status === "budget") write(yellow(`\nstopped: ${e.reason ?? "a budget was reached"}`));
        const heading = e.status === "completed" ? "final values" : e.status === "budget" ? "values when the run stopped" : `run ${e.status}; values so far`;
        // A run that failed before any variable had a value (bad data, say) has none to show; its error follows.
        // A run whose values are all per example (each:) has shown them example by example.
        if (Object.keys(e.values).length === 0) {
          write(`\n${bold(`run ${e.status}`)} ${dim(`(${calls} engine calls)`)}`);
          return;
        }
        write(`\n${bold(heading)} ${dim(`(${calls} engine calls)`)}`);
        for (const [name, value] of Object.entries(e.values)) write(`${bold(name)}\n${indent(value)}`);
        return;
      }
      case "solved":
        write(`  ${bold("solved")}: the loss finds nothing left to fix; the optimization ends here`);
        return;
      case "early_stopped":
        write(`  ${bold("early stop")}: validation has not improved for ${e.patience} step(s); the best, ${e.best.toFixed(3)}, was ${e.bestStep === 0 ? "the initial values'" : `step ${e.bestStep}'s`}`);
        return;
      case "vote": {
        const tally = e.answers.map((a) => `${a.step === 0 ? "initial" : `step ${a.step}`}: ${a.answer || "(none)"}`).join(", ");
        write(`\n${bold("vote")} ${dim(tally)}`);
        write(e.winner === undefined ? "  no value gave an answer: the last value is kept" : `  majority answer ${bold(e.winner)}: ${e.variable} is the value of ${e.chosenStep === 0 ? "the start" : `step ${e.chosenStep}`}`);
        return;
      }
      case "example_started":
        // Examples are numbered from 0, as in every other line that names one.
        write(`\n${bold(`example ${e.example}`)} ${dim(`(${e.example + 1} of ${e.examples}): its values start anew`)}`);
        return;
      case "example_finished": {
        const score = (x: number | undefined) => (x === undefined ? "" : x.toFixed(3));
        if (e.before !== undefined || e.after !== undefined) write(`  ${dim("score")} ${score(e.before)} → ${bold(score(e.after))}`);
        return;
      }
      case "each_finished":
        write(`\n${bold(`${e.examples} example${e.examples === 1 ? "" : "s"} optimized`)}${e.before !== undefined && e.after !== undefined ? `: mean score ${e.before.toFixed(3)} before, ${bold(e.after.toFixed(3))} after` : ""}`);
        return;
      case "usage": {
        const t = e.usage.total;
        if (e.step !== undefined) {
          const cost = t.cost === null ? "cost unknown" : `${t.cost.toFixed(4)} USD`;
          write(dim(`  so far: ${t.calls} calls${t.cacheHits ? ` (+${t.cacheHits} from the cache)` : ""}, ${t.inputTokens + t.outputTokens} tokens, ${cost}`));
        } else if (t.calls + t.cacheHits > 0) {
          write(`\n${bold("usage")}\n${formatUsageTable(e.usage)}`);
        }
        return;
      }
      case "call":
        if (verbosity === "verbose") write(dim(`  · ${e.purpose} call to ${e.engine} (${e.label})`));
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  };
}
