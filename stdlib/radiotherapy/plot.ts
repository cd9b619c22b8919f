// A plan's cumulative dose-volume histogram drawn as a figure: an SVG written by hand (no dependency), and a PNG
// rendered from it by resvg. resvg (@resvg/resvg-js, Rust compiled to a native Node addon) is loaded lazily with
// Node's own require, not an import the bundler would follow: its loader picks the platform's .node binary from
// node_modules at run time, which cannot live inside the CLI's ESM bundle (scripts/build.mjs keeps it external).
import { createRequire } from "node:module";
import { cumulativeDvh } from "./dvh.js";
import type { Plan } from "./plan.js";

const WIDTH = 800;
const HEIGHT = 500;
/** The plot area; the legend sits to its right, outside the curves. */
const AREA = { left: 72, right: 610, top: 52, bottom: 430 } as const;
const FONT = "DejaVu Sans, Arial, sans-serif";
/** Samples per curve. */
const SAMPLES = 600;

const TARGET_COLOURS = ["#d62728", "#e6550d", "#a50f15"];
const BODY_COLOUR = "#8c8c8c";
const ORGAN_COLOURS = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** A tick step of 1, 2 or 5 × 10ⁿ giving about `count` intervals over [0, max]. */
export function niceStep(max: number, count = 8): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

/** The dose axis: from 0 to a bit above the hottest voxel (and the prescription), ending on a tick. */
function doseAxis(maxDose: number, prescription: number): { max: number; step: number } {
  const top = Math.max(maxDose, prescription, 1) * 1.05;
  const step = niceStep(top);
  return { max: Math.ceil(top / step - 1e-9) * step, step };
}

/** Each structure's colour: targets red, the body grey, organs a colour each, in the plan's order. */
function colours(kinds: readonly ("target" | "organ" | "body")[]): string[] {
  let target = 0;
  let organ = 0;
  return kinds.map((k) =>
    k === "body" ? BODY_COLOUR : k === "target" ? TARGET_COLOURS[target++ % TARGET_COLOURS.length]! : ORGAN_COLOURS[organ++ % ORGAN_COLOURS.length]!,
  );
}

const num = (x: number) => String(Math.round(x * 100) / 100);
/** A tick's label: no trailing zeros, no floating-point noise (0.30000000000000004). */
const tickLabel = (x: number) => String(Number(x.toPrecision(10)));

/** The plan's cumulative DVH as a self-contained SVG: one curve per structure, a legend, the prescription dashed. */
export function dvhSvg(plan: Plan): string {
  const spec = plan.model.phantom.spec;
  const maxDose = Math.max(0, ...plan.doses.map((s) => s.sorted[0] ?? 0));
  const axis = doseAxis(maxDose, spec.prescription);
  const x = (gy: number) => AREA.left + (gy / axis.max) * (AREA.right - AREA.left);
  const y = (percent: number) => AREA.bottom - (percent / 100) * (AREA.bottom - AREA.top);
  const text = (px: number, py: number, s: string, attrs = "") => `<text x="${num(px)}" y="${num(py)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(s)}</text>`;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="13">`,
    `<title>${escapeXml(`DVH: ${spec.name} plan`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  );

  // Grid and ticks.
  const grid: string[] = [];
  const ticks: string[] = [];
  for (let i = 0; i * axis.step <= axis.max + 1e-9; i++) {
    const gy = i * axis.step;
    grid.push(`<line x1="${num(x(gy))}" y1="${AREA.top}" x2="${num(x(gy))}" y2="${AREA.bottom}"/>`);
    ticks.push(`<line x1="${num(x(gy))}" y1="${AREA.bottom}" x2="${num(x(gy))}" y2="${AREA.bottom + 5}" stroke="#333333"/>`);
    ticks.push(text(x(gy), AREA.bottom + 20, tickLabel(gy), `text-anchor="middle"`));
  }
  for (let v = 0; v <= 100; v += 10) {
    grid.push(`<line x1="${AREA.left}" y1="${num(y(v))}" x2="${AREA.right}" y2="${num(y(v))}"/>`);
    ticks.push(`<line x1="${AREA.left - 5}" y1="${num(y(v))}" x2="${AREA.left}" y2="${num(y(v))}" stroke="#333333"/>`);
    ticks.push(text(AREA.left - 9, y(v) + 4.5, String(v), `text-anchor="end"`));
  }
  out.push(`<g stroke="#e4e4e4" stroke-width="1">${grid.join("")}</g>`, `<g fill="#333333">${ticks.join("")}</g>`);

  // The prescription.
  const rx = x(spec.prescription);
  out.push(
    `<line x1="${num(rx)}" y1="${AREA.top}" x2="${num(rx)}" y2="${AREA.bottom}" stroke="#555555" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    text(rx, AREA.top - 7, `Rx ${tickLabel(spec.prescription)} Gy`, `fill="#555555" font-size="12" text-anchor="middle"`),
  );

  // The curves, the body first so that the structures inside it are drawn over it.
  const palette = colours(plan.doses.map((s) => s.structure.kind));
  const order = plan.doses.map((_, i) => i).sort((a, b) => Number(plan.doses[b]!.structure.kind === "body") - Number(plan.doses[a]!.structure.kind === "body"));
  for (const i of order) {
    const s = plan.doses[i]!;
    const samples = cumulativeDvh(s, axis.max / SAMPLES, axis.max);
    // A flat run needs only its ends.
    const points = samples.filter((p, k) => k === 0 || k === samples.length - 1 || p.volume !== samples[k - 1]!.volume || p.volume !== samples[k + 1]!.volume);
    const d = points.map((p, k) => `${k === 0 ? "M" : "L"}${num(x(p.dose))} ${num(y(p.volume))}`).join("");
    const width = s.structure.kind === "target" ? 2.5 : 2;
    out.push(`<path data-structure="${escapeXml(s.structure.name)}" d="${d}" fill="none" stroke="${palette[i]}" stroke-width="${width}" stroke-linejoin="round"/>`);
  }

  // The frame over the curves' ends, the axis labels and the title.
  out.push(
    `<rect x="${AREA.left}" y="${AREA.top}" width="${AREA.right - AREA.left}" height="${AREA.bottom - AREA.top}" fill="none" stroke="#333333" stroke-width="1"/>`,
    text((AREA.left + AREA.right) / 2, HEIGHT - 22, "Dose (Gy)", `text-anchor="middle" font-size="14" fill="#222222"`),
    text(22, (AREA.top + AREA.bottom) / 2, "Volume (%)", `text-anchor="middle" font-size="14" fill="#222222" transform="rotate(-90 22 ${num((AREA.top + AREA.bottom) / 2)})"`),
    text(WIDTH / 2, 30, `DVH: ${spec.name} plan`, `text-anchor="middle" font-size="18" font-weight="bold" fill="#222222"`),
  );

  // The legend, in the plan's order.
  const lx = AREA.right + 24;
  const legend = plan.doses.map((s, i) => {
    const ly = AREA.top + 12 + i * 24;
    return (
      `<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${palette[i]}" stroke-width="3"/>` +
      text(lx + 34, ly + 4.5, s.structure.name, `fill="#222222"`)
    );
  });
  out.push(`<g>${legend.join("")}</g>`, `</svg>`);
  return out.join("\n") + "\n";
}

type Resvg = typeof import("@resvg/resvg-js");
let resvg: Resvg | undefined;

function loadResvg(): Resvg {
  resvg ??= createRequire(import.meta.url)("@resvg/resvg-js") as Resvg;
  return resvg;
}

/** The DVH figure as a PNG, 1600 pixels wide (twice the SVG's size, for sharp text). */
export async function dvhPng(plan: Plan): Promise<Uint8Array> {
  const { renderAsync } = loadResvg();
  const image = await renderAsync(dvhSvg(plan), {
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "width", value: 2 * WIDTH },
    background: "#ffffff",
  });
  return new Uint8Array(image.asPng());
}
