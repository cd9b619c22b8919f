// Shared checks for the formatter tests: meaning preserved (AST without ranges and raw text), comments preserved.
import { expect } from "vitest";
import { formatTg } from "../../src/format/index.js";
import { parse } from "../../src/syntax/parse.js";

/** A deep copy without source positions and raw token text: what the program means, not how it was laid out. */
export function stripLayout(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripLayout);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "range" || key === "raw" || key === "comments") continue;
    out[key] = stripLayout(child);
  }
  return out;
}

/** Comment texts in order; a line comment's trailing spaces are the one thing the formatter may drop. */
export function commentTexts(text: string, file: string): string[] {
  return parse(text, file).program.comments.map((c) => (c.block ? c.text : c.text.trimEnd()));
}

/** Formats `text`, which must be free of syntax errors, and returns the result. */
export async function formatOk(text: string, file: string): Promise<string> {
  const result = await formatTg(text, file);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(result.formatted).toBeTypeOf("string");
  return result.formatted!;
}

/** `after` is `before` reformatted: same AST modulo layout, same comments, and formatting it again changes nothing. */
export async function expectFaithful(before: string, after: string, file: string): Promise<void> {
  const a = parse(before, file);
  const b = parse(after, file);
  expect(b.diagnostics).toEqual([]);
  expect(stripLayout(b.program)).toEqual(stripLayout(a.program));
  expect(commentTexts(after, file)).toEqual(commentTexts(before, file));
  expect(await formatOk(after, file)).toBe(after);
}
