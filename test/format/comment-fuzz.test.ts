// Comments anywhere: a comment put between any two tokens of a real program survives formatting, the result means
// the same, and formatting is a fixed point. Catches comments that get lost, duplicated or moved into a string.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lex } from "../../src/syntax/lexer.js";
import { expectFaithful, formatOk } from "./helpers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sources = [
  "examples/quickstart.tg",
  "examples/prompt-optimization.tg",
  ...["rubric", "fn-lets", "optimize", "comments-in-blocks"].map((c) => `test/format/golden/${c}.out.tg`),
];
const comments = [" /* c */ ", " // c\n", "\n// c\n", "\n\n/* c */\n\n"];

/**
 * Offsets just after each token: every place a comment can go, except just before a comma (a comment between an item
 * and its comma may trade places with a trailing comment after the comma; see src/format/README.md).
 */
function gaps(text: string): number[] {
  const tokens = lex(text).tokens;
  return tokens.filter((_, i) => tokens[i + 1]?.image !== ",").map((t) => (t.endOffset ?? t.startOffset) + 1);
}

describe("comments between any two tokens", () => {
  for (const source of sources) {
    const text = readFileSync(join(root, source), "utf8");
    for (const comment of comments) {
      it(`${source} with ${JSON.stringify(comment)}`, async () => {
        for (const at of gaps(text)) {
          const input = text.slice(0, at) + comment + text.slice(at);
          const file = `${source}@${at}`;
          const output = await formatOk(input, file);
          await expectFaithful(input, output, file).catch((e: unknown) => {
            throw new Error(`comment at offset ${at}:\n${input}\n--- formatted ---\n${output}\n${String(e)}`);
          });
        }
        expect(true).toBe(true);
      });
    }
  }
});
