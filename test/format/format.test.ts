// Golden tests: test/format/golden/<case>.tg formats to <case>.out.tg (UPDATE_GOLDEN=1 rewrites the .out.tg files),
// the output is a fixed point, means the same as the input and keeps every comment.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectFaithful, formatOk } from "./helpers.js";

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const update = process.env.UPDATE_GOLDEN === "1";
const cases = readdirSync(goldenDir)
  .filter((f) => f.endsWith(".tg") && !f.endsWith(".out.tg"))
  .map((f) => f.slice(0, -".tg".length))
  .sort();

describe("golden", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of cases) {
    it(name, async () => {
      const input = readFileSync(join(goldenDir, `${name}.tg`), "utf8");
      const outPath = join(goldenDir, `${name}.out.tg`);
      const formatted = await formatOk(input, `${name}.tg`);
      if (update) writeFileSync(outPath, formatted);
      expect(existsSync(outPath), `${outPath} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(formatted).toBe(readFileSync(outPath, "utf8"));
      await expectFaithful(input, formatted, `${name}.tg`);
    });
  }
});
