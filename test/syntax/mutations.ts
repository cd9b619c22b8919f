// Mutated programs for property tests: real programs (the examples, the stdlib, the formatter's golden inputs) with
// random edits, and "soup" built only from the language's pieces. Shared by the robustness and lexer tests.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The programs mutations start from: the examples, the stdlib, and the formatter's golden inputs if present. */
export function seedPrograms(): string[] {
  const paths = ["examples/quickstart.tg", "examples/prompt-optimization.tg", "stdlib/metrics.tg"];
  try {
    for (const f of readdirSync(join(root, "test/format/golden")).sort()) {
      if (f.endsWith(".tg") && !f.endsWith(".out.tg")) paths.push(`test/format/golden/${f}`);
    }
  } catch {
    // the golden folder is optional
  }
  return paths.map(read);
}

/** Pieces of the language to splice in: keywords, punctuation, strings of every kind, comment openers. */
export const pieces = [
  "import", "from", "engine", "trainable", "frozen", "data", "fn", "extern", "let", "loss", "optimize", "using",
  "validate", "by", "keep", "call", "rubric", "on", "given", "unless", "true", "false", "best", "text", "metric",
  "openai", "jsonl", "tgd", "ex", "x", "answer", "std/metrics", "solve", "student", "teacher",
  "{", "}", "(", ")", "[", "]", ",", ";", ":", "=", ".", "+", "*", "-", "->", "\n", " ", "\t", "\r\n",
  '"', '""', '"""', '"""\n  body {x}\n"""', '"a {x} b"', '"{"', '"}"', '"\\', '"\\q"', '"{ex.answer}"', '"{}"',
  "/*", "*/", "//", "/* c */", "// c\n", "0", "1.5", "2e10", "99999999999999999999", "\u0000", "\u00e9", "\ud83d",
  "@", "#", "$", "\\", "`",
];

type Edit =
  | { kind: "delete"; a: number; b: number }
  | { kind: "duplicate"; a: number; b: number; at: number }
  | { kind: "insert"; at: number; piece: string }
  | { kind: "swap"; a: number; b: number; c: number; d: number }
  | { kind: "truncate"; at: number };

const pos = fc.double({ min: 0, max: 1, noNaN: true });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), a: pos, b: pos }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), a: pos, b: pos, at: pos }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: pos, piece: fc.constantFrom(...pieces) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("swap" as const), a: pos, b: pos, c: pos, d: pos }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: pos }) },
);

/** A span [lo, hi) from two fractions of the text's length; short spans are more likely than long ones. */
function span(text: string, a: number, b: number): [number, number] {
  const lo = Math.floor(a * text.length);
  const hi = Math.min(text.length, lo + Math.floor(b * b * b * (text.length - lo + 1)));
  return [lo, hi];
}

function applyEdit(text: string, e: Edit): string {
  const at = (f: number) => Math.floor(f * (text.length + 1));
  switch (e.kind) {
    case "delete": {
      const [lo, hi] = span(text, e.a, e.b);
      return text.slice(0, lo) + text.slice(hi);
    }
    case "duplicate": {
      const [lo, hi] = span(text, e.a, e.b);
      const p = at(e.at);
      return text.slice(0, p) + text.slice(lo, hi) + text.slice(p);
    }
    case "insert": {
      const p = at(e.at);
      return text.slice(0, p) + e.piece + text.slice(p);
    }
    case "swap": {
      let [lo1, hi1] = span(text, e.a, e.b);
      let [lo2, hi2] = span(text, e.c, e.d);
      if (lo2 < lo1) [lo1, hi1, lo2, hi2] = [lo2, hi2, lo1, hi1];
      if (hi1 > lo2) return text; // overlapping spans: nothing to swap
      return text.slice(0, lo1) + text.slice(lo2, hi2) + text.slice(hi1, lo2) + text.slice(lo1, hi1) + text.slice(hi2);
    }
    case "truncate":
      return text.slice(0, at(e.at));
  }
}

/** One of `seeds` with one to eight random edits. */
export const mutatedFrom = (seeds: readonly string[]): fc.Arbitrary<string> =>
  fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), edits: fc.array(edit, { minLength: 1, maxLength: 8 }) })
    .map(({ seed, edits }) => edits.reduce(applyEdit, seeds[seed]!));

/** Up to 120 of the language's pieces, joined by spaces: lexically noisy text. */
export const soup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...pieces), { maxLength: 120 }).map((ps) => ps.join(" "));
