// Golden files: an input beside its expected output. UPDATE_GOLDEN=1 rewrites the expected files after a
// deliberate change; review the diff like any other change.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { SourceText } from "../src/diagnostics/source.js";
import type { Range } from "../src/diagnostics/diagnostic.js";

export const updating = process.env.UPDATE_GOLDEN === "1";

/** The `.tg` inputs of a golden folder (not the expected outputs beside them). */
export function goldenCases(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tg") && !f.endsWith(".out.tg"))
    .sort();
}

/** Compares `actual` with the expected file (or writes it when updating); `key` picks what must match. */
export function expectGolden(path: string, actual: string, key: (text: string) => string = (t) => t): void {
  if (updating || !existsSync(path)) {
    writeFileSync(path, actual);
    if (!updating) throw new Error(`wrote missing golden file ${path}; check it and run again`);
    return;
  }
  expect(key(actual)).toBe(key(readFileSync(path, "utf8")));
}

export function readCase(dir: string, name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** `line:col-line:col`, 1-based, end exclusive. */
export function showRange(source: SourceText, range: Range): string {
  const s = source.position(range.start);
  const e = source.position(range.end);
  return `${s.line}:${s.column}-${e.line}:${e.column}`;
}
