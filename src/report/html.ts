// The report page: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched) that shows what a
// run did: its summary, the loss and validation chart, each step's gradients and updates, the graph, the spend.
import type { Totals } from "../engines/cost.js";
import type { GraphJson } from "../ir/export.js";
import { chartSvg } from "./chart.js";
import { diffHtml } from "./diff.js";
import { count, esc, num, usd } from "./escape.js";
import { graphSvg, nodeAnchor } from "./graph-svg.js";
import { bestValidation, eachSummaries, lastLoss, lastValidation, stepsDone, type EachSummary, type ExampleRecord, type RunModel, type StepRecord } from "./model.js";
import { css } from "./style.js";

export interface PageOptions {
  readonly graph: GraphJson | undefined;
  /** Where the graph came from when the run folder has no graph.json (rebuilt from program.tg), for a note. */
  readonly graphNote?: string;
  /** `tgc 0.1.0`, for the footer. */
  readonly generator: string;
  readonly generatedAt: Date;
}

const statusText: Record<string, string> = {
  completed: "completed",
  budget: "stopped at a budget",
  failed: "failed",
  interrupted: "interrupted",
  incomplete: "incomplete: no final.json (still running, or killed)",
};

function header(m: RunModel): string {
  const simulated = m.engines.filter((e) => e.simulated);
  const t = m.usage?.total;
  const best = bestValidation(m);
  const last = lastValidation(m);
  const each = eachSummaries(m);
  const cut = m.steps.at(-1);
  const rows: [string, string][] = [
    ["engines", m.engines.length ? m.engines.map((e) => `${esc(e.name)} → <code>${esc(e.id)}</code>${e.simulated ? ` <span class="tag sim">simulated</span>` : ""}`).join("<br>") : "not recorded"],
    ["steps", `${stepsDone(m)} done${each.length ? ` over ${count(m.examples.length)} example${m.examples.length === 1 ? "" : "s"}` : ""}${cut && !cut.finished ? ` (${cut.example === undefined ? `step ${cut.x}` : `example ${cut.example + 1}'s step ${cut.step}`} cut short)` : ""}`],
    // The last loss of an each run is its last example's: it says nothing of the run, whose scores follow.
    ...(each.length && m.steps.every((s) => s.example !== undefined) ? [] : [["final loss", num(lastLoss(m))] as [string, string]]),
    ...each.flatMap((e) => eachRows(e, each.length > 1)),
    // An each run without validation has its scores above: "validation none" would only be noise.
    ...(each.length && best === undefined ? [] : [["validation", best === undefined ? "none" : `best ${num(best)}${last !== undefined && last !== best ? ` (last ${num(last)})` : ""}`] as [string, string]]),
    ["calls", t ? `${count(t.calls)}${t.cacheHits ? ` + ${count(t.cacheHits)} from the cache` : ""}` : count(m.calls)],
    ["tokens", t ? `${count(t.inputTokens)} in, ${count(t.outputTokens)} out` : "not recorded"],
    ["cost", t ? usd(t.cost) : "not recorded"],
  ];
  if (m.resumes) rows.push(["resumed", `${m.resumes} time${m.resumes === 1 ? "" : "s"}`]);
  const source = simulated.every((x) => x.id.startsWith("scripted:")) ? "the rules file's scripted replies" : "tgc's deterministic simulator";
  return [
    `<header><h1>${esc(m.program)}</h1><p class="folder">run folder <code>${esc(m.name)}</code></p>`,
    `<p><span class="status status-${esc(m.status)}">${esc(statusText[m.status] ?? m.status)}</span>${m.reason ? ` <span class="reason">${esc(m.reason)}</span>` : ""}</p>`,
    simulated.length
      ? `<div class="banner" role="note"><strong>SIMULATED:</strong> ${simulated.length === m.engines.length ? "no language model was called" : `${esc(simulated.map((e) => e.name).join(", "))} did not call a language model`}. Replies came from ${source}, which shows the mechanics of textual gradients; its answers mean nothing about quality.</div>`
      : "",
    m.cutShort ? `<div class="banner warn" role="note">The last line of events.jsonl was cut short (the run was killed while writing it); it is left out.</div>` : "",
    `<dl class="summary">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl></header>`,
  ].join("");
}

const blockName = (optimization: number) => `optimize block ${optimization + 1}`;

/** An each block's summary lines for the header: examples optimized, the mean score, how many changed. */
function eachRows(e: EachSummary, named: boolean): [string, string][] {
  const of = named ? ` <span class="muted">(${blockName(e.optimization)})</span>` : "";
  const rows: [string, string][] = [[`examples${of}`, `${count(e.finished)} of ${count(e.examples)} optimized${e.complete ? "" : " (the run stopped before the rest)"}`]];
  if (e.before !== undefined || e.after !== undefined) {
    rows.push([`mean score${of}`, `${num(e.before)} → ${num(e.after)}`]);
    rows.push([`per example${of}`, `${count(e.improved)} improved · ${count(e.worse)} worse · ${count(e.unchanged)} unchanged`]);
  }
  return rows;
}

const nodeLink = (id: number, label: string, graph: GraphJson | undefined) =>
  graph?.nodes.some((n) => n.id === id) ? `<a class="node-link" href="#${nodeAnchor(id)}">${esc(label)}</a>` : `<span class="node-link">${esc(label)}</span>`;

function stepHtml(s: StepRecord, graph: GraphJson | undefined): string {
  // Inside an example's section every sample is that example: naming it at each loss and gradient would only repeat it.
  const example = (sample: number | undefined) => (sample === undefined || s.example !== undefined ? "" : ` <span class="muted">example ${sample}</span>`);
  const facts = [
    s.epoch !== undefined ? `epoch ${s.epoch}` : "",
    s.examples.length && s.example === undefined ? `examples ${s.examples.join(", ")}` : "",
    s.loss !== undefined ? `loss ${num(s.loss)}` : "",
    s.validation ? `validation ${num(s.validation.score)}${s.validation.unchanged ? " (unchanged)" : ""}` : "",
    `${s.calls} call${s.calls === 1 ? "" : "s"}`,
  ].filter(Boolean);
  const out: string[] = [];
  out.push(`<article class="step" id="step-${s.x}"><h3>Step ${s.step}${s.optimization > 0 && s.example === undefined ? ` <span class="muted">of optimize block ${s.optimization + 1}</span>` : ""}</h3>`);
  out.push(`<p class="facts">${facts.map(esc).join(" · ")}${s.validation?.reverted ? ` <span class="tag reverted">validation worse: update reverted</span>` : ""}${s.solved ? ` <span class="tag ok">solved</span>` : ""}${s.earlyStopped ? ` <span class="tag warn">early stop: validation had not improved for ${s.earlyStopped.patience} step(s); the best was ${s.earlyStopped.bestStep === 0 ? "before training" : `step ${s.earlyStopped.bestStep}`}</span>` : ""}${s.finished ? "" : ` <span class="tag warn">cut short</span>`}</p>`);

  for (const v of s.variables) {
    out.push(`<div class="variable"><h4><code>${esc(v.name)}</code> `);
    // An unchanged value is the one shown above it: folded, so that a long run's updates stand out.
    const same = (why: string) => `<span class="muted">${why}</span></h4><details class="unchanged"><summary>value</summary><pre class="value">${esc(v.after)}</pre></details>`;
    if (v.proposed === undefined) out.push(same(`unchanged${v.skipped ? `: ${esc(v.skipped)}` : ""}`));
    else if (v.proposed === v.before) out.push(same("the update proposed the same value"));
    else {
      out.push(v.reverted ? `<span class="tag reverted">proposed, then reverted: the value stays as it was</span></h4>` : `<span class="tag ok">updated</span></h4>`);
      out.push(`<pre class="value diff">${diffHtml(v.before, v.proposed)}</pre>`);
    }
    out.push(`</div>`);
  }

  if (s.gradients.length) {
    out.push(`<details class="gradients" open><summary>${s.gradients.length} gradient${s.gradients.length === 1 ? "" : "s"} (each from the node that sent it to the node it reached)</summary><ol>`);
    for (const g of s.gradients) {
      out.push(`<li class="gradient"><div class="edge-line">${nodeLink(g.from, g.fromLabel, graph)} <span class="arrow">→</span> ${nodeLink(g.to, g.toLabel, graph)}${example(g.sample)}</div><pre>${esc(g.text)}</pre></li>`);
    }
    out.push(`</ol></details>`);
  }
  for (const p of s.proposals) {
    out.push(`<details class="gradients" open><summary>The optimizer's proposal: one call for every variable (opto), from the step's execution and its losses</summary><pre>${esc(p.reply)}</pre></details>`);
  }
  for (const c of s.condensed) out.push(`<p class="muted">${c.count} gradients for <code>${esc(c.variable)}</code> condensed (${c.before} → ${c.after} characters)</p>`);
  if (s.retrievals.length) {
    out.push(`<details class="losses"><summary>${s.retrievals.length} search${s.retrievals.length === 1 ? "" : "es"} (the query, then the passages retrieved, best first, with their scores)</summary><ol>`);
    for (const r of s.retrievals) {
      const passages = r.passages.map((p) => `${num(p.score, 2)}  ${p.source}\n${p.text}`).join("\n\n") || "(no passage matches)";
      out.push(`<li>${nodeLink(r.node, r.label, graph)}${example(r.sample)} <span class="muted">query</span> <code>${esc(r.query)}</code><pre>${esc(passages)}</pre></li>`);
    }
    out.push(`</ol></details>`);
  }
  if (s.agentSteps.length) {
    const ends = s.agentSteps.filter((a) => a.type === "agent_finished");
    out.push(`<details class="losses"><summary>${ends.length} agent trajector${ends.length === 1 ? "y" : "ies"} (each tool call, its arguments and result, then the answer)</summary><ol>`);
    let lines: string[] = [];
    for (const a of s.agentSteps) {
      if (a.type === "agent_step") {
        const args = Object.entries(a.arguments).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ");
        lines.push(`Step ${a.step}: ${a.tool}(${args}) → ${a.failed ? "error: " : ""}${a.result}`);
      } else {
        lines.push(a.steps === 0 ? "(no tool call)" : "", `Answer${a.exhausted ? " (out of steps)" : ""}: ${a.answer}`);
        out.push(`<li>${nodeLink(a.node, a.label, graph)}${example(a.sample)}<pre>${esc(lines.filter(Boolean).join("\n"))}</pre></li>`);
        lines = [];
      }
    }
    out.push(`</ol></details>`);
  }
  if (s.losses.length) {
    out.push(`<details class="losses"><summary>${s.losses.length} loss${s.losses.length === 1 ? "" : "es"} (${s.proposals.length ? "the critiques the optimizer read" : "the critiques the gradients start from"})</summary><ol>`);
    for (const l of s.losses) out.push(`<li>${nodeLink(l.node, l.label, graph)}${example(l.sample)}${l.loss !== undefined && l.loss !== null ? ` <span class="muted">= ${num(l.loss)}</span>` : ""}<pre>${esc(l.text)}</pre></li>`);
    out.push(`</ol></details>`);
  }
  out.push(`</article>`);
  return out.join("");
}

function initialHtml(m: RunModel): string {
  // Per-example variables have no value before training: each example's first values open its own section.
  const names = (m.trainable.length ? m.trainable : [...m.initial.keys()]).filter((n) => !m.perExample.has(n));
  if (!names.length) return "";
  return `<article class="step" id="step-0"><h3>Before training</h3>${names
    .map((n) => `<div class="variable"><h4><code>${esc(n)}</code> <span class="muted">initial value</span></h4><pre class="value">${esc(m.initial.get(n) ?? "(not recorded)")}</pre></div>`)
    .join("")}</article>`;
}

function usageTable(title: string, rows: readonly [string, Totals][], total: Totals | undefined): string {
  const cells = (t: Totals) =>
    [count(t.calls), count(t.cacheHits), count(t.inputTokens), count(t.cachedInputTokens), count(t.outputTokens), usd(t.cost), t.cacheHits ? usd(t.savedCost) : "–"].map((c) => `<td>${c}</td>`).join("");
  return `<table class="usage"><thead><tr><th>${esc(title)}</th><th>calls</th><th>cache hits</th><th>input tokens</th><th>of which provider-cached</th><th>output tokens</th><th>cost</th><th>saved by the cache</th></tr></thead><tbody>${rows
    .map(([name, t]) => `<tr><th>${esc(name)}</th>${cells(t)}</tr>`)
    .join("")}${total ? `<tr class="total"><th>total</th>${cells(total)}</tr>` : ""}</tbody></table>`;
}

function usageHtml(m: RunModel): string {
  const u = m.usage;
  if (!u) return `<p class="empty">No usage was recorded (the run stopped before its first step finished).</p>`;
  const prices = Object.entries(u.prices ?? {});
  return [
    usageTable("engine", Object.entries(u.byEngine), u.total),
    usageTable("phase", Object.entries(u.byPhase).filter((e): e is [string, Totals] => e[1] !== undefined), u.total),
    prices.length
      ? `<p class="muted">Prices (USD per million tokens, input / provider-cached input / output): ${prices
          .map(([id, p]) => `<code>${esc(id)}</code> ${p ? `${num(p.input, 4)} / ${num(p.cachedInput, 4)} / ${num(p.output, 4)}` : "unknown"}`)
          .join("; ")}.</p>`
      : "",
  ].join("");
}

function graphHtml(m: RunModel, options: PageOptions): string {
  if (!options.graph) return `<p class="empty">This run folder has no graph.json, and its program could not be compiled to draw one. <code>tgc graph program.tg</code> prints it.</p>`;
  const sent = new Map<number, number>();
  for (const s of m.steps) for (const g of s.gradients) sent.set(g.from, (sent.get(g.from) ?? 0) + 1);
  const legend = `<p class="muted legend-line"><span class="key trainable"></span> trainable variable <span class="key loss"></span> loss · ellipses call a model, parallelograms are inputs, diamonds are metrics. Arrows point the way values flow; gradients flow against them. Links on gradients above lead here.</p>`;
  return `${options.graphNote ? `<p class="muted">${esc(options.graphNote)}</p>` : ""}${legend}<div class="graph-box">${graphSvg(options.graph, sent)}</div>`;
}

function valuesHtml(m: RunModel): string {
  const entries = [...m.values].filter(([n]) => !m.trainable.length || m.trainable.includes(n));
  const perExample = m.perExample.size ? `<p class="muted">Variables with one value per example (${[...m.perExample].map((n) => `<code>${esc(n)}</code>`).join(", ")}) end in each example's section.</p>` : "";
  if (!entries.length) return perExample || `<p class="empty">No values recorded.</p>`;
  return perExample + entries.map(([n, v]) => `<div class="variable"><h4><code>${esc(n)}</code></h4><pre class="value">${esc(v)}</pre></div>`).join("");
}

/** Test-time optimization's majority vote: the answer each step's value gave, and the value kept. */
function voteHtml(v: RunModel["votes"][number]): string {
  const answers = v.answers.map((a) => `<li>${a.step === 0 ? "initial value" : `step ${a.step}`}: <code>${esc(a.answer || "(none)")}</code></li>`).join("");
  const kept = v.winner === undefined ? "no value gave an answer: the last one is kept" : `the most common answer, <code>${esc(v.winner)}</code>: <code>${esc(v.variable)}</code> is the value of ${v.chosenStep === 0 ? "the start" : `step ${v.chosenStep}`}`;
  return `<article class="step"><h3>Majority vote</h3><ul>${answers}</ul><p>${kept}</p></article>`;
}

const exampleAnchor = (x: ExampleRecord) => `example-${x.optimization + 1}-${x.example + 1}`;
/** A score that may be missing, or null from an older writer. */
const scoreOf = (n: number | undefined | null) => (typeof n === "number" ? n : undefined);

/** How an example's score moved, for the table and its section. */
function change(x: ExampleRecord): { readonly word: string; readonly tag: string } | undefined {
  const before = scoreOf(x.finished?.before);
  const after = scoreOf(x.finished?.after);
  if (before === undefined && after === undefined) return undefined;
  const d = (after ?? 0) - (before ?? 0);
  return d > 0 ? { word: "improved", tag: "ok" } : d < 0 ? { word: "worse", tag: "reverted" } : { word: "unchanged", tag: "same" };
}

/** Examples whose steps start folded: a data set of hundreds (HumanEval's 164) would otherwise be a page of thousands of steps. */
const FOLD_ABOVE = 10;

/** One example's own optimization: its first values, its steps, its vote, its score before and after, its final values. */
function exampleHtml(x: ExampleRecord, m: RunModel, graph: GraphJson | undefined, open: boolean): string {
  const done = x.steps.filter((s) => s.finished).length;
  const moved = change(x);
  const facts = [
    `${done} step${done === 1 ? "" : "s"}`,
    ...(x.finished && moved ? [`score ${num(scoreOf(x.finished.before))} → ${num(scoreOf(x.finished.after))}`] : []),
    ...x.votes.map((v) => (v.winner === undefined ? "no vote" : `vote chose ${v.winner}`)),
  ];
  const out = [
    `<div class="example" id="${exampleAnchor(x)}"><h3>Example ${count(x.example + 1)} of ${count(x.of)} <span class="muted">data set index ${x.example}${m.examples.some((y) => y.optimization !== x.optimization) ? ` · ${blockName(x.optimization)}` : ""}</span></h3>`,
    `<p class="facts">${facts.map(esc).join(" · ")}${moved ? ` <span class="tag ${moved.tag}">${moved.word}</span>` : ""}${x.finished ? "" : ` <span class="tag warn">not finished: the run stopped inside this example</span>`}</p>`,
    [...x.initial].map(([n, v]) => `<div class="variable"><h4><code>${esc(n)}</code> <span class="muted">first value</span></h4><pre class="value">${esc(v)}</pre></div>`).join(""),
    x.steps.length ? `<details class="example-steps"${open ? " open" : ""}><summary>${x.steps.length} step${x.steps.length === 1 ? "" : "s"}</summary>${x.steps.map((s) => stepHtml(s, graph)).join("")}</details>` : "",
    x.votes.map(voteHtml).join(""),
  ];
  // The final values of the variables it optimized (a frozen per-example value stays its first one, shown above).
  const finals = Object.entries(x.finished?.values ?? {}).filter(([n, v]) => v !== x.initial.get(n) || m.trainable.includes(n));
  out.push(finals.map(([n, v]) => `<div class="variable"><h4><code>${esc(n)}</code> <span class="muted">final value</span></h4><pre class="value">${esc(v)}</pre></div>`).join(""));
  out.push(`</div>`);
  return out.join("");
}

/** The each blocks at a glance: a summary line per block and a table of the examples, each linked to its section. */
function examplesHtml(m: RunModel): string {
  const summaries = eachSummaries(m);
  const named = summaries.length > 1;
  const lines = summaries.map((e) => {
    const scored = e.before !== undefined || e.after !== undefined;
    return `<p class="each-summary">${named ? `${blockName(e.optimization)}: ` : ""}<strong>${count(e.finished)} of ${count(e.examples)} examples optimized</strong>${scored ? ` · mean score ${num(e.before)} → ${num(e.after)} · ${count(e.improved)} improved, ${count(e.worse)} worse, ${count(e.unchanged)} unchanged` : " · no <code>score:</code>, so no score before or after"}${e.complete ? "" : " · the run stopped before the rest"}</p>`;
  });
  const votes = m.examples.some((x) => x.votes.length);
  const rows = m.examples.map((x) => {
    const moved = change(x);
    const cells = [
      `<a href="#${exampleAnchor(x)}">${count(x.example + 1)}</a>`,
      ...(named ? [String(x.optimization + 1)] : []),
      num(scoreOf(x.finished?.before)),
      num(scoreOf(x.finished?.after)),
      moved ? moved.word : x.finished ? "–" : "not finished",
      String(x.steps.filter((s) => s.finished).length),
      ...(votes ? [x.votes.map((v) => (v.winner === undefined ? "–" : `<code>${esc(v.winner)}</code>`)).join(", ") || "–"] : []),
    ];
    return `<tr${moved ? ` class="${moved.word}"` : ""}>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  });
  const head = ["example", ...(named ? ["block"] : []), "score before", "after", "change", "steps", ...(votes ? ["vote"] : [])];
  return `${lines.join("")}<div class="examples-box"><table class="usage examples"><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** The steps in the order their blocks ran: an ordinary block's one after another, an each block's per example. */
function stepsHtml(m: RunModel, graph: GraphJson | undefined): string {
  const blocks = [...new Set([...m.steps.map((s) => s.optimization), ...m.examples.map((x) => x.optimization)])].sort((a, b) => a - b);
  const open = m.examples.length <= FOLD_ABOVE;
  return blocks
    .map((b) =>
      [
        ...m.steps.filter((s) => s.optimization === b && s.example === undefined).map((s) => stepHtml(s, graph)),
        ...m.examples.filter((x) => x.optimization === b).map((x) => exampleHtml(x, m, graph, open)),
      ].join(""),
    )
    .join("");
}

/** The whole page. Every text from the run is escaped; nothing is loaded from elsewhere. */

export function pageHtml(m: RunModel, options: PageOptions): string {
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(`tgc report: ${m.program} (${m.name})`)}</title><style>${css}</style></head><body><main>`,
    header(m),
    `<nav>${m.examples.length ? `<a href="#examples-section">Examples</a>` : ""}<a href="#chart-section">Chart</a><a href="#steps">Steps</a><a href="#graph-section">Graph</a><a href="#cost">Cost</a><a href="#final">Final values</a></nav>`,
    m.examples.length ? `<section id="examples-section"><h2>Examples</h2><p class="muted">Test-time optimization over a data set: every example's values start anew and are optimized on their own. Each row links to the example's section below.</p>${examplesHtml(m)}</section>` : "",
    `<section id="chart-section"><h2>Loss and validation per step</h2>${chartSvg(m)}</section>`,
    `<section id="steps"><h2>Steps</h2><p class="muted">Each step: the trainable variables (added words highlighted, removed ones struck through), the gradients that produced the update, and the losses they started from.${m.examples.length ? ` An example's steps count from 1 again${m.examples.length > FOLD_ABOVE ? "; they are folded (open an example's steps to read them)" : ""}.` : ""}</p>${initialHtml(m)}${stepsHtml(m, options.graph)}${m.steps.length ? "" : `<p class="empty">No step started.</p>`}${m.votes.map(voteHtml).join("")}</section>`,
    `<section id="graph-section"><h2>Computation graph</h2>${graphHtml(m, options)}</section>`,
    `<section id="cost"><h2>Calls, tokens and cost</h2>${usageHtml(m)}</section>`,
    `<section id="final"><h2>${m.status === "completed" ? "Final values" : "Values when the run stopped"}</h2>${valuesHtml(m)}</section>`,
    `<footer>Written by ${esc(options.generator)} on ${esc(options.generatedAt.toISOString().replace("T", " ").slice(0, 19))} UTC from ${esc(m.name)}.</footer>`,
    `</main></body></html>\n`,
  ].join("");
}
