// The loss and validation chart: an SVG drawn when the report is written, so it shows without a script.
import { esc, num } from "./escape.js";
import type { RunModel } from "./model.js";

const W = 1000;
const H = 320;
const M = { top: 48, right: 28, bottom: 46, left: 60 };
const LOSS = "#2f6fb3";
const VAL = "#2e8b57";
const REVERTED = "#c0392b";

/** Round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, target = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= target + 0.5) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** The chart, or a sentence when the run has nothing to plot yet. */
export function chartSvg(model: RunModel): string {
  // An example's own steps (each:) count from 1 again: one line through every example's steps would join
  // different examples' losses, so they are left out and said so; the examples table has their scores.
  const plotted = model.steps.filter((s) => s.example === undefined);
  const left = model.steps.length - plotted.length;
  const note = left
    ? `<p class="muted chart-note">The ${left} step${left === 1 ? "" : "s"} of test-time optimization over a data set (<code>each:</code>) ${left === 1 ? "is" : "are"} not plotted: every example's steps count from 1 again, so one line across them would join different examples' losses. Each example's scores are in the examples table, its losses at its steps.</p>`
    : "";
  /** A step's position on the axis among the plotted steps (its own x when none is left out). */
  const at = (x: number) => (left ? plotted.filter((s) => s.x <= x).length : x);
  const loss = plotted.filter((s) => s.loss !== undefined).map((s) => ({ x: at(s.x), y: s.loss!, s }));
  const val = [
    ...model.baselines.map((b) => ({ x: at(b.x), y: b.score, reverted: false, label: b.x === 0 ? "before training" : "before this optimize block" })),
    ...plotted.flatMap((s) => (s.validation ? [{ x: at(s.x), y: s.validation.score, reverted: s.validation.reverted, label: s.validation.reverted ? "worse: update reverted" : s.validation.unchanged ? "unchanged" : `best ${num(s.validation.best)}` }] : [])),
  ].sort((a, b) => a.x - b.x);
  if (loss.length === 0 && val.length === 0) return note || `<p class="empty">No step finished: nothing to plot yet.</p>`;

  const ys = [...loss.map((p) => p.y), ...val.map((p) => p.y)];
  const lo = Math.min(0, ...ys);
  const hi = Math.max(1, ...ys);
  const xMax = Math.max(1, plotted.length);
  const px = (x: number) => M.left + (x / xMax) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<svg id="chart" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="loss and validation score per step" xmlns="http://www.w3.org/2000/svg">`);

  // Axes, grid and ticks.
  for (const t of ticks(lo, hi)) {
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${py(t)}" y2="${py(t)}"/>`);
    out.push(`<text class="tick" x="${M.left - 8}" y="${py(t) + 4}" text-anchor="end">${num(t, 2)}</text>`);
  }
  const xTicks = xMax <= 20 ? Array.from({ length: xMax + 1 }, (_, i) => i) : ticks(0, xMax).filter((t) => Number.isInteger(t));
  for (const t of xTicks) {
    out.push(`<line class="axis" x1="${px(t)}" x2="${px(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}"/>`);
    out.push(`<text class="tick" x="${px(t)}" y="${H - M.bottom + 18}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  out.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/>`);
  out.push(`<text class="axis-label" x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">step</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">loss · validation score</text>`);

  // Where a new optimize block begins.
  let previous: number | undefined;
  for (const s of plotted) {
    if (previous !== undefined && s.optimization !== previous) {
      const x = px(at(s.x) - 0.5);
      out.push(`<line class="block" x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}"/><text class="tick" x="${x + 4}" y="${M.top + 12}">optimize block ${s.optimization + 1}</text>`);
    }
    previous = s.optimization;
  }

  const line = (points: { x: number; y: number }[], colour: string, dash: string) =>
    points.length > 1 ? `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""} points="${points.map((p) => `${px(p.x)},${py(p.y)}`).join(" ")}"/>` : "";
  out.push(line(loss, LOSS, ""));
  out.push(line(val, VAL, "6 4"));
  for (const p of loss) {
    out.push(`<a href="#step-${p.s.x}"><circle class="point loss" cx="${px(p.x)}" cy="${py(p.y)}" r="5" fill="${LOSS}"><title>step ${p.x}: loss ${esc(num(p.y))}</title></circle></a>`);
  }
  for (const p of val) {
    const x = px(p.x);
    const y = py(p.y);
    const title = `<title>${p.x === 0 ? "before training" : `step ${p.x}`}: validation ${esc(num(p.y))} (${esc(p.label)})</title>`;
    if (p.reverted) {
      out.push(`<g class="point validation reverted">${title}<circle cx="${x}" cy="${y}" r="7" fill="#fff" stroke="${REVERTED}" stroke-width="2"/>` +
        `<path d="M${x - 4},${y - 4}L${x + 4},${y + 4}M${x - 4},${y + 4}L${x + 4},${y - 4}" stroke="${REVERTED}" stroke-width="2"/>` +
        `<text class="note" x="${x}" y="${y - 12}" text-anchor="middle" fill="${REVERTED}">reverted</text></g>`);
    } else {
      out.push(`<rect class="point validation" x="${x - 5}" y="${y - 5}" width="10" height="10" fill="${VAL}">${title}</rect>`);
    }
  }

  // Legend.
  const lx = M.left + 8;
  out.push(`<g class="legend" transform="translate(${lx} 18)">`);
  out.push(`<line x1="0" x2="22" y1="0" y2="0" stroke="${LOSS}" stroke-width="2"/><circle cx="11" cy="0" r="4" fill="${LOSS}"/><text x="28" y="4">loss (mean over the step's examples)</text>`);
  out.push(`<g transform="translate(270 0)"><line x1="0" x2="22" y1="0" y2="0" stroke="${VAL}" stroke-width="2" stroke-dasharray="6 4"/><rect x="7" y="-4" width="8" height="8" fill="${VAL}"/><text x="28" y="4">validation score</text></g>`);
  out.push(`<g transform="translate(410 0)"><circle cx="11" cy="0" r="6" fill="#fff" stroke="${REVERTED}" stroke-width="2"/><path d="M7,-4L15,4M7,4L15,-4" stroke="${REVERTED}" stroke-width="2"/><text x="24" y="4">validation worse: update reverted</text></g>`);
  out.push(`</g></svg>`);
  return out.join("") + note;
}
