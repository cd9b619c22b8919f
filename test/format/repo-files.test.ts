// Every .tg file shipped with the project is already formatted: the printer follows their style, not the reverse.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectFaithful, formatOk } from "./helpers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function tgFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tgFiles(path);
    return name.endsWith(".tg") ? [path] : [];
  });
}

const files = [...tgFiles(join(root, "examples")), ...tgFiles(join(root, "stdlib"))];

describe("project .tg files are formatted", () => {
  it("finds some", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const path of files) {
    const name = relative(root, path);
    it(name, async () => {
      const text = readFileSync(path, "utf8");
      const formatted = await formatOk(text, name);
      expect(formatted).toBe(text);
      await expectFaithful(text, formatted, name);
    });
  }
});
