import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { programWithValues, stringLiteral } from "../../src/cli/optimized-program.js";
import { parse } from "../../src/syntax/parse.js";

const valueOf = (literal: string) => {
  const r = parse(`frozen x: "x" = ${literal}`, "t.tg");
  expect(r.diagnostics).toEqual([]);
  const d = r.program.declarations[0]!;
  if (d.kind !== "VariableDecl" || d.init.kind !== "StringLit") throw new Error("expected a string");
  expect(d.init.parts.every((p) => p.kind === "Text")).toBe(true);
  return d.init.parts.map((p) => (p.kind === "Text" ? p.text : "")).join("");
};

describe("writing optimized values back into a program", () => {
  it("writes any text as a literal that reads back as exactly that text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "\t", "{", "}", '"', "\\", "x", "\r", "é") }), (value) => {
        expect(valueOf(stringLiteral(value))).toBe(value);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it("uses a readable block for ordinary multi-line text", () => {
    expect(stringLiteral("Line one {x}\nLine two")).toBe('"""\n  Line one \\{x\\}\n  Line two\n"""');
  });

  it("replaces only trainable initializers", () => {
    const text = 'frozen q: "q" = "keep"\ntrainable a: "a" = call e { user: q }\n';
    const program = parse(text, "t.tg").program;
    expect(programWithValues(text, program, new Map([["a", "new"], ["q", "ignored"]]))).toBe('frozen q: "q" = "keep"\ntrainable a: "a" = """\n  new\n"""\n');
  });
});
