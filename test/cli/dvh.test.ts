// `tgc dvh` end to end, through the built CLI.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackTrace, tgc } from "./run-cli.js";

const PARAMETERS = `PTV: uniform 70.2 Gy, weight 100
rectum: max 50 Gy, weight 100
bladder: max 50 Gy, weight 50
femoral heads: max 40 Gy, weight 20
`;

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tgc-dvh-"));
  writeFileSync(join(dir, "parameters.txt"), PARAMETERS);
  return dir;
}

/** A run folder as `tgc run` leaves it, as far as `tgc dvh` reads it. */
function runFolder(values: Record<string, string>): string {
  const dir = join(folder(), "runs", "2026-01-01T10-00-00-radiotherapy");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "final.json"), JSON.stringify({ status: "completed", values }, null, 2));
  return dir;
}

describe("tgc dvh", () => {
  it("plans from a parameters file, prints the DVH table and the goals, and writes an SVG", () => {
    const dir = folder();
    const r = tgc(["dvh", "parameters.txt", "-o", "dvh.svg"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^structure \(Gy\)\s+Dmean\s+Dmax\s+D98\s+D95\s+D50\s+D2$/);
    for (const s of ["body", "PTV", "rectum", "bladder", "femoral heads"]) expect(r.stdout).toMatch(new RegExp(`^${s} +\\d+\\.\\d`, "m"));
    expect(r.stdout).toMatch(/^[✓✗] PTV D95 ≥ 70\.2 Gy: \d+\.\d Gy/m);
    expect(r.stdout).toMatch(/^[✓✗] rectum V65 ≤ 17 %: \d+\.\d %/m);
    expect(lines.at(-1)).toBe("wrote dvh.svg");
    const svg = readFileSync(join(dir, "dvh.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/<path\b/g)).toHaveLength(5);
    expect(svg).toContain(">DVH: prostate plan</text>");
  });

  it("reads the parameters from a run folder: the only value that reads as parameters, or the one --variable names", () => {
    const run = runFolder({ question: "Plan the prostate case.", parameters: PARAMETERS });
    const r = tgc(["dvh", run]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PTV +\d/m);
    expect(r.stdout).not.toContain("wrote");

    const two = runFolder({ initial: "PTV: uniform 70.2 Gy, weight 1", parameters: PARAMETERS });
    const several = tgc(["dvh", two]);
    expect(several.code).toBe(1);
    expect(several.stderr).toMatch(/^tgc dvh: several values in .*final\.json are planning parameters for the prostate case \(initial, parameters\); choose one with --variable\n$/);
    const named = tgc(["dvh", two, "--variable", "parameters", "-o", join(two, "dvh.png")]);
    expect(named.stderr).toBe("");
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/wrote .*dvh\.png\n$/);
    const png = readFileSync(join(two, "dvh.png"));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(20_000);

    const none = tgc(["dvh", runFolder({ answer: "42" })]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no value in .*final\.json is a set of planning parameters for the prostate case \(its values: answer\); name one with --variable/);
  });

  it("prints each malformed line of the parameters and exits 1, drawing nothing", () => {
    const dir = folder();
    writeFileSync(join(dir, "bad.txt"), "PTV: uniform 70.2 Gy, weight 100\nrectum max 50\n");
    const r = tgc(["dvh", "bad.txt", "-o", "dvh.svg"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'tgc dvh: the planning parameters in bad.txt could not be read:\n  line 2: "rectum max 50" is not an objective; write one per line as "rectum: max 30 Gy, weight 100" (kinds: uniform, min, max)\n',
    );
    expect(r.stderr).not.toMatch(stackTrace);
  });

  it("rejects an output that is neither .svg nor .png, an unknown case and a missing file in one line each", () => {
    const dir = folder();
    const pdf = tgc(["dvh", "parameters.txt", "-o", "dvh.pdf"], dir);
    expect(pdf.code).toBe(2);
    expect(pdf.stdout).toBe("");
    expect(pdf.stderr).toContain('error: --out must name an .svg or .png file, not "dvh.pdf"');

    const lung = tgc(["dvh", "parameters.txt", "--case", "lung"], dir);
    expect(lung.code).toBe(2);
    expect(lung.stderr).toMatch(/^tgc dvh: there is no radiotherapy case "lung" \(the cases: prostate[^)]*\)\n$/);

    const missing = tgc(["dvh", "nope.txt"], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("tgc dvh: cannot read nope.txt: no such file or folder\n");

    const empty = tgc(["dvh", "."], dir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/is a folder without final\.json/);
    for (const r of [pdf, lung, missing, empty]) expect(r.stderr).not.toMatch(stackTrace);
  });

  it("teaches by example", () => {
    const r = tgc(["dvh", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("tgc dvh parameters.txt -o dvh.svg");
  });
});
