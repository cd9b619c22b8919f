// The plugin as prettier's own CLI loads it: bundled to one ESM file (prettier left external), then
// `prettier --plugin <bundle> file.tg` must print what formatTg prints.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { formatTg } from "../../src/format/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tg-prettier-"));
const prettierBin = join(
  dirname(createRequire(import.meta.url).resolve("prettier/package.json")),
  "bin",
  "prettier.cjs",
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("prettier CLI with the built plugin", () => {
  it("formats a .tg file like formatTg", async () => {
    const bundle = join(dir, "tg-plugin.mjs");
    await build({
      entryPoints: [join(root, "src/format/plugin.ts")],
      bundle: true,
      format: "esm",
      platform: "node",
      // Nothing external: only types come from "prettier", and "prettier/doc" is small enough to bundle.
      outfile: bundle,
      logLevel: "silent",
    });
    const input = readFileSync(join(root, "test/format/golden/basics.tg"), "utf8");
    const file = join(dir, "basics.tg");
    writeFileSync(file, input);
    const out = execFileSync(process.execPath, [prettierBin, "--no-config", "--plugin", bundle, file], {
      cwd: root,
      encoding: "utf8",
    });
    expect(out).toBe((await formatTg(input, "basics.tg")).formatted);
  }, 60_000);
});
