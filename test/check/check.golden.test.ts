// Checker golden tests: each test/check/golden/<case>.tg beside <case>.diagnostics.txt, one diagnostic per line:
// `CODE severity @line:col-line:col message`. Codes, severities and ranges must match; the message is there for
// the reader (wording may improve without churning every golden file).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { SourceText } from "../../src/diagnostics/source.js";
import { expectGolden, goldenCases, readCase, showRange } from "../golden.js";

const dir = join(import.meta.dirname, "golden");
const stdlib = join(import.meta.dirname, "../../stdlib");

function filesUnder(root: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, filesUnder(root, rel));
    else if (entry.name.endsWith(".tg")) out[rel] = readFileSync(join(root, rel), "utf8");
  }
  return out;
}

const files: Record<string, string> = { ...filesUnder(dir) };
for (const f of readdirSync(stdlib)) if (f.endsWith(".tg")) files[`std/${f.replace(/\.tg$/, "")}`] = readFileSync(join(stdlib, f), "utf8");
const host = memoryHost(files);

const codeAndRange = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ").slice(0, 3).join(" "))
    .join("\n");

describe("checker golden files", () => {
  for (const name of goldenCases(dir)) {
    it(name, () => {
      const { diagnostics } = check(name, readCase(dir, name), host);
      const lines = diagnostics.map((d) => {
        const where = d.range.file === name ? "" : `${relative(".", d.range.file)}:`;
        const src = new SourceText(d.range.file, files[d.range.file] ?? "");
        return `${d.code} ${d.severity} @${where}${showRange(src, d.range)} ${d.message}${d.hint ? ` [hint: ${d.hint}]` : ""}`;
      });
      expectGolden(join(dir, name.replace(/\.tg$/, ".diagnostics.txt")), lines.join("\n") + (lines.length ? "\n" : ""), codeAndRange);
    });
  }
});
