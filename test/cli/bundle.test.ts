// What each start of the CLI loads. The bundle is built in memory with the options `npm run build` uses, and the
// modules a command's chunks hold are followed through their static imports: what `--version` and `check` load is
// paid at every start, so code they never run must stay out. (The entry once loaded the stdlib's natives and a
// glob library to find the package root, and nothing noticed.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types
import { cliOptions } from "../../scripts/bundle-options.mjs";
import { root } from "./run-cli.js";

let meta: Metafile;
beforeAll(async () => {
  const result = await build({ ...(cliOptions as object), absWorkingDir: root, outdir: mkdtempSync(join(tmpdir(), "tgc-bundle-")), write: false, metafile: true, sourcemap: false, minify: false });
  meta = result.metafile;
}, 60_000);

/** The source modules (repository paths) in an output file and every chunk it imports statically. */
function loadedBy(output: string, except: ReadonlySet<string> = new Set()): { outputs: Set<string>; modules: string[] } {
  const outputs = new Set<string>();
  const queue = [output];
  while (queue.length) {
    const o = queue.shift()!;
    if (outputs.has(o) || except.has(o)) continue;
    outputs.add(o);
    for (const i of meta.outputs[o]!.imports) if (i.kind === "import-statement" && !i.external) queue.push(i.path);
  }
  return { outputs, modules: [...outputs].flatMap((o) => Object.keys(meta.outputs[o]!.inputs)) };
}

const output = (pattern: RegExp) => {
  const found = Object.keys(meta.outputs).find((o) => pattern.test(o) && !o.endsWith(".map"));
  if (!found) throw new Error(`no output matches ${pattern}`);
  return found;
};
const matching = (modules: readonly string[], prefixes: readonly string[]) => modules.filter((m) => prefixes.some((p) => m.startsWith(p)));

describe("what a start of tgc loads", () => {
  it("the entry (--help, --version) holds commander and the command table, no stage of the compiler", () => {
    const { modules } = loadedBy(output(/\/tgc\.js$/));
    expect(modules).toContain("src/cli/main.ts");
    expect(matching(modules, ["src/syntax/", "src/check/", "src/ir/", "src/runtime/", "src/engines/", "stdlib/", "node_modules/chevrotain", "node_modules/tinyglobby"])).toEqual([]);
  });

  it("check adds the front half of the compiler, and no runtime, engine, stdlib native or formatter", () => {
    const entry = loadedBy(output(/\/tgc\.js$/)).outputs;
    const { modules } = loadedBy(output(/\/chunks\/check-[A-Z0-9]+\.js$/), entry);
    expect(modules).toEqual(expect.arrayContaining(["src/syntax/parser.ts", "src/check/index.ts"]));
    expect(matching(modules, ["src/runtime/", "src/engines/", "stdlib/", "src/format/", "src/report/", "src/explain/"])).toEqual([]);
  });

  it("fmt adds the parser and the printer, and no checker, runtime or engine", () => {
    const entry = loadedBy(output(/\/tgc\.js$/)).outputs;
    const { modules } = loadedBy(output(/\/chunks\/fmt-[A-Z0-9]+\.js$/), entry);
    expect(modules).toContain("src/syntax/parser.ts");
    expect(matching(modules, ["src/check/", "src/runtime/", "src/engines/", "stdlib/"])).toEqual([]);
  });
});
