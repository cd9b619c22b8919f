// Parser golden tests: each test/syntax/golden/<case>.tg beside <case>.ast.txt, the AST it parses to
// (ranges as line:col, syntax diagnostics first).
import { join } from "node:path";
import { describe, it } from "vitest";
import { SourceText } from "../../src/diagnostics/source.js";
import { parse } from "../../src/syntax/parse.js";
import { expectGolden, goldenCases, readCase, showRange } from "../golden.js";

const dir = join(import.meta.dirname, "golden");

/** The AST as indented text: kinds, names and values, with each node's range. */
export function showAst(value: unknown, source: SourceText, indent = ""): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : value.map((v) => `\n${indent}- ${showAst(v, source, indent + "  ")}`).join("");
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const o = value as Record<string, unknown>;
  const head = `${String(o.kind ?? "")}${o.range ? ` @${showRange(source, o.range as never)}` : ""}`;
  const fields = Object.entries(o).filter(([k]) => !["kind", "range", "raw", "file"].includes(k));
  if (o.kind === "Identifier") return `${head} ${JSON.stringify(o.name)}`;
  return head + fields.map(([k, v]) => `\n${indent}${k}: ${showAst(v, source, indent + "  ")}`).join("");
}

describe("parser golden files", () => {
  for (const name of goldenCases(dir)) {
    it(name, () => {
      const text = readCase(dir, name);
      const source = new SourceText(name, text);
      const { program, diagnostics } = parse(text, name);
      const shown = [
        ...diagnostics.map((d) => `${d.code} @${showRange(source, d.range)} ${d.message}`),
        ...(diagnostics.length ? [""] : []),
        showAst(program, source),
      ].join("\n");
      expectGolden(join(dir, name.replace(/\.tg$/, ".ast.txt")), shown + "\n");
    });
  }
});
