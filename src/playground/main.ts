/// <reference lib="dom" />
// The playground page: an editor with highlighting and the checker's live diagnostics, the computation graph, and
// buttons that take the program's first optimize block forward, backward or one optimizer step with the simulator
// or scripted replies, drawing each gradient on the edge it travels as its event arrives.
import quickstart from "../../examples/quickstart.tg";
import type { GraphJson } from "../ir/export.js";
import { graphSvg } from "../report/graph-svg.js";
import type { RunEvent } from "../runtime/events.js";
import { SCRIPTED_RULES, WITH_AN_ERROR } from "./examples.js";
import { highlight } from "./highlight.js";
import { compile, enginesFor, Session, type Compiled, type EngineChoice, type Outcome } from "./session.js";

const EXAMPLES: Record<string, { text: string; engine: EngineChoice["kind"] }> = {
  quickstart: { text: quickstart, engine: "sim" },
  "quickstart-scripted": { text: quickstart, engine: "scripted" },
  error: { text: WITH_AN_ERROR, engine: "sim" },
};

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: no #${id} in the page`);
  return el as T;
};

const source = $<HTMLTextAreaElement>("source");
const highlighted = $<HTMLElement>("highlighted");
const diagnosticsList = $<HTMLElement>("diagnostics");
const graphBox = $<HTMLElement>("graph-box");
const log = $<HTMLElement>("log");
const status = $<HTMLElement>("status");
const valuesBox = $<HTMLElement>("values");
const rules = $<HTMLTextAreaElement>("rules");
const rulesBox = $<HTMLElement>("rules-box");
const example = $<HTMLSelectElement>("example");
const buttons = {
  forward: $<HTMLButtonElement>("forward"),
  backward: $<HTMLButtonElement>("backward"),
  step: $<HTMLButtonElement>("step"),
  reset: $<HTMLButtonElement>("reset"),
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const firstLine = (s: string, n = 90) => {
  const line = s.trim().split("\n")[0] ?? "";
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};

let compiled: Compiled = { diagnostics: [], graph: undefined, json: undefined };
let session: Session | undefined;
let busy = false;
/** Gradients drawn by the action in progress. */
let drawn = 0;

function engineChoice(): EngineChoice {
  const kind = (document.querySelector<HTMLInputElement>('input[name="engine"]:checked')?.value ?? "sim") as EngineChoice["kind"];
  return kind === "scripted" ? { kind, rules: rules.value } : { kind };
}

// ---- the editor ------------------------------------------------------------------------------------------------

function renderEditor(): void {
  const marks = compiled.diagnostics.flatMap((d) => (d.start === undefined ? [] : [{ start: d.start, end: d.end ?? d.start, severity: d.severity }]));
  highlighted.innerHTML = highlight(source.value, marks);
  syncScroll();
}

function syncScroll(): void {
  highlighted.scrollTop = source.scrollTop;
  highlighted.scrollLeft = source.scrollLeft;
}

function renderDiagnostics(): void {
  const ds = compiled.diagnostics;
  if (ds.length === 0) {
    diagnosticsList.innerHTML = `<li class="ok">No problems.</li>`;
    return;
  }
  diagnosticsList.innerHTML = ds
    .map(
      (d, i) =>
        `<li class="diagnostic ${d.severity}" data-index="${i}"><span class="code">${esc(d.code)}</span> <span class="where">${d.file ? `${esc(d.file)}:` : ""}${d.line}:${d.column}</span> <span class="severity">${d.severity}</span> <span class="message">${esc(d.message)}</span>${d.hint ? `<div class="hint">hint: ${esc(d.hint)}</div>` : ""}</li>`,
    )
    .join("");
}

diagnosticsList.addEventListener("click", (ev) => {
  const li = (ev.target as HTMLElement).closest<HTMLElement>("li.diagnostic");
  const d = li ? compiled.diagnostics[Number(li.dataset.index)] : undefined;
  if (d?.start === undefined) return;
  source.focus();
  source.setSelectionRange(d.start, Math.max(d.end ?? d.start, d.start));
});

// ---- the graph and the run -------------------------------------------------------------------------------------

function renderGraph(): void {
  if (!compiled.json) {
    graphBox.innerHTML = `<p class="placeholder">The graph appears when the program has no errors.</p>`;
    return;
  }
  graphBox.innerHTML = graphSvg(compiled.json);
}

/** The edges a gradient from `from` to `to` travels against: direct, or through the templates between them. */
function chain(json: GraphJson, to: number, from: number): GraphJson["edges"][number][] | undefined {
  const direct = json.edges.find((e) => e.from === to && e.to === from);
  if (direct) return [direct];
  for (const e of json.edges) {
    if (e.from !== to) continue;
    const next = json.nodes.find((n) => n.id === e.to);
    if (next?.kind !== "template") continue;
    const rest = chain(json, e.to, from);
    if (rest) return [e, ...rest];
  }
  return undefined;
}

const SVG = "http://www.w3.org/2000/svg";

function drawGradient(e: Extract<RunEvent, { type: "gradient" }>): void {
  const json = compiled.json;
  const svg = graphBox.querySelector<SVGSVGElement>("svg#graph");
  if (!json || !svg) return;
  const edges = chain(json, e.to, e.from) ?? [];
  const paths = edges.flatMap((edge) => {
    const p = svg.querySelector<SVGPathElement>(`path[data-from="${edge.from}"][data-to="${edge.to}"]`);
    return p ? [p] : [];
  });
  for (const p of paths) p.classList.add("has-gradient");
  const first = paths[paths.length - 1]; // the edge into the node that sent the gradient
  if (!first) return;
  const at = first.getPointAtLength(first.getTotalLength() / 2);
  const already = svg.querySelectorAll(`g.gradient[data-from="${e.from}"][data-to="${e.to}"]`).length;
  const g = document.createElementNS(SVG, "g");
  g.setAttribute("class", "gradient");
  g.setAttribute("data-from", String(e.from));
  g.setAttribute("data-to", String(e.to));
  const label = `∇ ${firstLine(e.text, 34)}`;
  const y = at.y - 12 - already * 16;
  const rect = document.createElementNS(SVG, "rect");
  const text = document.createElementNS(SVG, "text");
  text.setAttribute("x", String(at.x));
  text.setAttribute("y", String(y));
  text.setAttribute("text-anchor", "middle");
  text.textContent = label;
  const title = document.createElementNS(SVG, "title");
  title.textContent = `gradient ${e.fromLabel} → ${e.toLabel}\n${e.text}`;
  g.append(title, rect, text);
  svg.appendChild(g);
  const box = text.getBBox();
  rect.setAttribute("x", String(box.x - 4));
  rect.setAttribute("y", String(box.y - 2));
  rect.setAttribute("width", String(box.width + 8));
  rect.setAttribute("height", String(box.height + 4));
  rect.setAttribute("rx", "4");
}

function clearGradients(): void {
  graphBox.querySelectorAll("g.gradient").forEach((g) => g.remove());
  graphBox.querySelectorAll(".has-gradient").forEach((p) => p.classList.remove("has-gradient"));
}

function logLine(kind: string, html: string): void {
  const li = document.createElement("li");
  li.className = `event ${kind}`;
  li.innerHTML = html;
  log.appendChild(li);
  li.scrollIntoView({ block: "nearest" });
}

function onEvent(e: RunEvent): void {
  switch (e.type) {
    case "variable_initialized":
      logLine("init", `<b>init</b> ${esc(e.name)} = ${esc(firstLine(e.value))}`);
      break;
    case "step_started":
      logLine("step", `<b>step ${e.step}</b>`);
      break;
    case "call":
      logLine("call", `<b>${esc(e.purpose)}</b> ${esc(e.engine)} · ${esc(e.label)} → ${esc(firstLine(e.reply))}`);
      break;
    case "loss":
      logLine("loss", `<b>loss</b> ${esc(e.label)}${e.loss === undefined ? "" : ` = ${Number(e.loss.toFixed(3))}`}: ${esc(firstLine(e.text))}`);
      break;
    case "gradient":
      logLine("gradient", `<b>∇</b> ${esc(e.fromLabel)} → ${esc(e.toLabel)}: ${esc(firstLine(e.text))}`);
      drawGradient(e);
      drawn++;
      break;
    case "update":
      logLine("update", `<b>update</b> ${esc(e.variable)} = ${esc(firstLine(e.after))}`);
      break;
    case "update_skipped":
      logLine("skipped", `<b>no update</b> ${esc(e.variable)}: ${esc(e.reason)}`);
      break;
    case "validation":
      logLine("validation", `<b>validation</b> ${e.score.toFixed(3)} (best ${e.best.toFixed(3)})${e.reverted ? ", reverted" : ""}`);
      break;
    case "solved":
      logLine("solved", `<b>solved</b> at step ${e.step}: nothing left to fix`);
      break;
    case "reply_malformed":
      logLine("skipped", `<b>malformed reply</b> (${esc(e.purpose)}): ${esc(e.problem)}`);
      break;
    default:
      break;
  }
}

function renderValues(): void {
  const vars = session?.variables;
  if (!vars) {
    valuesBox.innerHTML = `<p class="placeholder">Variables get their values on the first run.</p>`;
    return;
  }
  valuesBox.innerHTML = [...vars]
    .map(([name, value]) => {
      const info = compiled.graph?.variables.get(name);
      return `<div class="value"><div class="name">${info?.trainable ? "trainable" : "frozen"} ${esc(name)}</div><pre>${esc(value)}</pre></div>`;
    })
    .join("");
}

function setStatus(text: string, kind: "ok" | "error" | "busy" = "ok"): void {
  status.textContent = text;
  status.className = kind;
}

function updateButtons(): void {
  const runnable = compiled.graph !== undefined && compiled.graph.optimizations.length > 0;
  for (const b of [buttons.forward, buttons.backward, buttons.step]) b.disabled = busy || !runnable;
  buttons.reset.disabled = busy;
}

/** A new session for the program and engine choice (the variables start again from their initializers). */
function reset(): void {
  session = undefined;
  log.innerHTML = "";
  clearGradients();
  renderValues();
  setStatus(compiled.graph ? "Ready." : "Fix the errors to run the program.", compiled.graph ? "ok" : "error");
  updateButtons();
}

function ensureSession(): Session | undefined {
  if (session) return session;
  if (!compiled.graph) return undefined;
  const made = enginesFor(compiled.graph, engineChoice());
  if ("problems" in made) {
    setStatus(`Scripted replies: ${made.problems.join("; ")}`, "error");
    return undefined;
  }
  session = new Session(compiled.graph, made.engines, onEvent);
  return session;
}

async function act(name: "forward" | "backward" | "step"): Promise<void> {
  const s = ensureSession();
  if (!s || busy) return;
  busy = true;
  updateButtons();
  setStatus(`Running ${name}…`, "busy");
  if (name !== "forward") clearGradients();
  drawn = 0;
  let outcome: Outcome;
  try {
    outcome = await s[name]();
  } catch (e) {
    outcome = { ok: false, problems: [`internal error: ${(e as Error).message}`] };
  }
  busy = false;
  updateButtons();
  renderValues();
  if (!outcome.ok) setStatus(outcome.problems.join("\n"), "error");
  else {
    const done = name === "step" ? `Step ${s.stepsDone} done.` : `${name === "forward" ? "Forward" : "Backward"} pass done.`;
    const none = name !== "forward" && drawn === 0 ? " No gradient: the loss found nothing to fix." : "";
    setStatus(outcome.note ?? done + none, "ok");
  }
}

// ---- wiring ----------------------------------------------------------------------------------------------------

let timer: ReturnType<typeof setTimeout> | undefined;

function recompile(): void {
  const before = compiled.json ? JSON.stringify(compiled.json) : undefined;
  compiled = compile(source.value);
  renderEditor();
  renderDiagnostics();
  // The graph is redrawn (and the session restarted) only when the program's graph changed.
  if (JSON.stringify(compiled.json) !== before || !compiled.graph) {
    renderGraph();
    reset();
  } else {
    session = undefined;
    updateButtons();
  }
}

source.addEventListener("input", () => {
  renderEditor();
  clearTimeout(timer);
  timer = setTimeout(recompile, 120);
});
source.addEventListener("scroll", syncScroll);
source.addEventListener("keydown", (ev) => {
  if (ev.key !== "Tab") return;
  ev.preventDefault();
  source.setRangeText("  ", source.selectionStart, source.selectionEnd, "end");
  source.dispatchEvent(new Event("input"));
});

function load(name: string): void {
  const ex = EXAMPLES[name];
  if (!ex) return;
  source.value = ex.text;
  const radio = document.querySelector<HTMLInputElement>(`input[name="engine"][value="${ex.engine}"]`);
  if (radio) radio.checked = true;
  rulesBox.hidden = ex.engine !== "scripted";
  compiled = { diagnostics: [], graph: undefined, json: undefined };
  recompile();
}

example.addEventListener("change", () => load(example.value));
document.querySelectorAll<HTMLInputElement>('input[name="engine"]').forEach((r) =>
  r.addEventListener("change", () => {
    rulesBox.hidden = engineChoice().kind !== "scripted";
    reset();
  }),
);
rules.addEventListener("input", () => reset());
buttons.forward.addEventListener("click", () => void act("forward"));
buttons.backward.addEventListener("click", () => void act("backward"));
buttons.step.addEventListener("click", () => void act("step"));
buttons.reset.addEventListener("click", () => reset());

rules.value = SCRIPTED_RULES;
load(example.value || "quickstart");
document.body.dataset.ready = "true";
