// The hand-written lexer against the lexical grammar it implements: a Chevrotain lexer built from the token
// definitions in src/syntax/tokens.ts must produce the same tokens, comments and errors on every .tg file in the
// repository, on mutated programs, on noise made of the language's pieces, and on a few edge cases chosen by hand.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Lexer, type IToken } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lex } from "../../src/syntax/lexer.js";
import { allTokens } from "../../src/syntax/tokens.js";
import { mutatedFrom, pieces, seedPrograms, soup } from "./mutations.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Built with Chevrotain's own validation of the definitions. */
const reference = new Lexer(allTokens, { positionTracking: "full" });

const show = (t: IToken) => `${t.tokenType.name} ${t.startOffset}-${t.endOffset} ${JSON.stringify(t.image)}`;

function expectSameAsReference(text: string): void {
  const want = reference.tokenize(text);
  const got = lex(text);
  const context = `on ${JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}…` : text)}`;
  expect(got.tokens.map(show), `tokens ${context}`).toEqual(want.tokens.map(show));
  expect(got.comments.map(show), `comments ${context}`).toEqual((want.groups["comments"] ?? []).map(show));
  expect(got.errors, `errors ${context}`).toEqual(want.errors.map((e) => ({ offset: e.offset, length: e.length })));
  for (const t of got.tokens) expect(t.tokenTypeIdx).toBe(t.tokenType.tokenTypeIdx);
}

function tgFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === "node_modules" ? [] : tgFiles(path);
      return name.endsWith(".tg") ? [path] : [];
    });
}

describe("lex equals the lexer the token definitions describe", () => {
  it("on every .tg file in examples/, stdlib/, bench/tasks/ and test/", () => {
    const files = ["examples", "stdlib", "bench/tasks", "test"].flatMap((d) => tgFiles(join(root, d)));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) expectSameAsReference(readFileSync(f, "utf8"));
  });

  it("on edge cases chosen by hand", () => {
    const cases = [
      "",
      '"""',
      '""""',
      '"""""',
      '""""""',
      '"""""""',
      '""" a "" b """',
      '""" a \\""" b """ c',
      '"a\\"b" "c',
      '"line\nbreak"',
      '"ends with backslash\\',
      '"\\\n"',
      "/",
      "/x",
      "/*/",
      "/**/",
      "/* a */ b */",
      "// c\r\nx",
      "a//b\n/*c*/d",
      "-> - -- ->> -1",
      "import importx import_ import1 importé _import",
      "1 1.5 1. .5 1e5 1e 1e+ 1E-3 1.5e10x 007",
      "@#$`~!%^&|?<>\\ é\u00a0\u2028",
      "\uFEFFengine\u000b\u000cx",
      "\ud83d\ude00 x \ud83d",
      "\u0000\u0001",
      "a\tb\rc\nd",
    ];
    for (const text of cases) expectSameAsReference(text);
  });

  it("on mutated programs", () => {
    fc.assert(
      fc.property(mutatedFrom(seedPrograms()), (text) => expectSameAsReference(text)),
      { numRuns: 1500, seed: 20261130 },
    );
  }, 60_000);

  it("on noise made of the language's pieces, with and without spaces between them", () => {
    const glued = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((ps) => ps.join(""));
    fc.assert(fc.property(fc.oneof(soup, glued), (text) => expectSameAsReference(text)), { numRuns: 2000, seed: 20261131 });
  }, 60_000);

  it("on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => expectSameAsReference(text)),
      { numRuns: 2000, seed: 20261132 },
    );
  }, 60_000);
});
