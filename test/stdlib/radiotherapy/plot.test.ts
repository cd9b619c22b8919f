import { describe, expect, it } from "vitest";
import { planFromText, type Plan } from "../../../stdlib/radiotherapy/plan.js";
import { dvhPng, dvhSvg, escapeXml, niceStep } from "../../../stdlib/radiotherapy/plot.js";

const PARAMETERS = `PTV: uniform 70.2 Gy, weight 100
rectum: max 50 Gy, weight 100
bladder: max 50 Gy, weight 50
femoral heads: max 40 Gy, weight 20`;

function plan(): Plan {
  const outcome = planFromText("prostate", PARAMETERS);
  if (!outcome.ok) throw new Error(outcome.errors.join("\n"));
  return outcome.plan;
}

/** The numbers of a path's `d`, as [x, y] points (every command is M or L). */
const points = (d: string) => [...d.matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);

describe("the DVH as SVG", () => {
  const p = plan();
  const svg = dvhSvg(p);

  it("is one well-formed-looking svg element with a size, a white background and the shared font", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500" viewBox="0 0 800 500"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    expect(svg).toContain('font-family="DejaVu Sans, Arial, sans-serif"');
    // Every element opened is closed (self-closing or with its end tag).
    for (const tag of ["text", "g", "title"]) expect(svg.split(`<${tag}`).length).toBe(svg.split(`</${tag}>`).length);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("draws one curve per structure, named in the legend, with the title, axis labels and the prescription", () => {
    const paths = [...svg.matchAll(/<path data-structure="([^"]+)" d="([^"]+)"/g)];
    expect(svg.match(/<path\b/g)).toHaveLength(p.doses.length);
    expect(paths.map((m) => m[1]).sort()).toEqual(p.doses.map((s) => s.structure.name).sort());
    for (const s of p.doses) expect(svg).toContain(`>${s.structure.name}</text>`);
    expect(svg).toContain(">DVH: prostate plan</text>");
    expect(svg).toContain(">Dose (Gy)</text>");
    expect(svg).toContain(">Volume (%)</text>");
    expect(svg).toContain(">Rx 70.2 Gy</text>");
    expect(svg).toMatch(/stroke-dasharray="6 4"/);
  });

  it("starts every curve at 100 % volume at 0 Gy and never rises, and the dose axis covers the hottest voxel", () => {
    const ticks = [...svg.matchAll(/<text [^>]*text-anchor="middle">(\d+(?:\.\d+)?)<\/text>/g)].map((m) => Number(m[1]));
    const maxDose = Math.max(...p.doses.map((s) => s.sorted[0]!));
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBeGreaterThan(maxDose);
    expect(ticks.at(-1)).toBeLessThan(maxDose * 1.3);
    const zero = svg.match(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">0<\/text>/)!;
    const hundred = svg.match(/<text x="[\d.]+" y="([\d.]+)" text-anchor="end">100<\/text>/)!;
    for (const [, , d] of svg.matchAll(/<path data-structure="([^"]+)" d="([^"]+)"/g)) {
      const pts = points(d!);
      expect(pts[0]![0]).toBeCloseTo(Number(zero[1]), 1);
      expect(pts[0]![1]).toBeCloseTo(Number(hundred[1]) - 4.5, 1); // the label sits 4.5 px below its line
      for (let k = 1; k < pts.length; k++) {
        expect(pts[k]![0]).toBeGreaterThanOrEqual(pts[k - 1]![0]);
        expect(pts[k]![1]).toBeGreaterThanOrEqual(pts[k - 1]![1]); // y grows downwards: the volume never rises
      }
    }
  });

  it("colours the target red, the body grey and each organ its own colour", () => {
    const stroke = (name: string) => svg.match(new RegExp(`<path data-structure="${name}" d="[^"]+" fill="none" stroke="(#[0-9a-f]{6})"`))![1];
    expect(stroke("PTV")).toBe("#d62728");
    expect(stroke("body")).toBe("#8c8c8c");
    const organs = ["rectum", "bladder", "femoral heads"].map(stroke);
    expect(new Set([...organs, stroke("PTV"), stroke("body")]).size).toBe(5);
  });

  it("escapes text", () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe("a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  });

  it("picks tick steps of 1, 2 or 5 × 10ⁿ", () => {
    expect(niceStep(75.6)).toBe(10);
    expect(niceStep(7)).toBe(1);
    expect(niceStep(150)).toBe(20);
    expect(niceStep(30)).toBe(5);
  });
});

describe("the DVH as PNG", () => {
  it("renders the SVG at 1600 pixels wide", async () => {
    const png = await dvhPng(plan());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(view.getUint32(16)).toBe(1600); // IHDR width
    expect(view.getUint32(20)).toBe(1000); // IHDR height
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeLessThan(2_000_000);
  });
});
