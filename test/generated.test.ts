// Files generated from the code must be current: the grammar's EBNF, diagrams and CST types, the prompts doc and
// the API reference.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCstTypes, renderDiagrams, renderEbnf } from "../scripts/grammar-artifacts.js";
import { renderApiReference } from "../scripts/api-doc.js";
import { renderPromptsDoc } from "../scripts/prompts-doc.js";
import { TgParser } from "../src/syntax/parser.js";

const root = join(import.meta.dirname, "..");
const read = (p: string) => readFileSync(join(root, p), "utf8");

describe("generated files are current", () => {
  const parser = new TgParser({ validate: true });
  it.each([
    ["grammar/tg.ebnf", () => renderEbnf(parser), "npm run grammar"],
    ["grammar/diagrams.html", () => renderDiagrams(parser), "npm run grammar"],
    ["src/syntax/cst.d.ts", () => renderCstTypes(parser), "npm run grammar"],
    ["docs/prompts.md", () => renderPromptsDoc(), "npm run docs:prompts"],
    ["docs/api-reference.md", () => renderApiReference(), "npm run docs:api"],
  ] as const)("%s", (path, render, fix) => {
    expect(read(path), `${path} is stale: run ${fix}`).toBe(render());
  }, 60_000); // the API reference reads the API's declarations with the TypeScript compiler: seconds, not milliseconds
});
