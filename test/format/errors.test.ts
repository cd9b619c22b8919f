// A file with syntax errors: formatTg returns the diagnostics and no text, without calling prettier; the prettier
// plugin throws with every error's code and message.
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { formatTg } from "../../src/format/index.js";
import { plugin } from "../../src/format/plugin.js";

const broken = `engine teacher = openai("gpt-4o"
trainable answer: "a" = call teacher { user: }
optimize answer using tgd( {
`;

describe("syntax errors", () => {
  it("formatTg returns the diagnostics and no output", async () => {
    const result = await formatTg(broken, "broken.tg");
    expect(result.formatted).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.every((d) => d.code.startsWith("TG1"))).toBe(true);
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it("reports an unterminated string", async () => {
    const result = await formatTg('frozen q: "q" = "abc\n', "s.tg");
    expect(result.formatted).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain("TG1002");
  });

  it("the prettier plugin throws, listing code and message", async () => {
    const result = await formatTg(broken, "broken.tg");
    const first = result.diagnostics[0]!;
    const error: unknown = await prettier
      .format(broken, { parser: "tg", plugins: [plugin], filepath: "broken.tg" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("broken.tg");
    expect(message).toContain(first.code);
    expect(message).toContain(first.message);
  });

  it("an empty file formats to an empty file", async () => {
    expect(await formatTg("", "empty.tg")).toEqual({ formatted: "", diagnostics: [] });
    expect((await formatTg("\n\n  \n", "blank.tg")).formatted).toBe("");
  });
});
