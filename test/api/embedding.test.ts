// examples/embedding is what the README points an application at: it must type-check against the declarations the
// package publishes (built here as `npm run build` builds them) and run offline, through the package's own
// "exports" (the bundle vitest's global setup builds), to the result it claims.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const read = (p: string) => readFileSync(join(root, p), "utf8");

/** The code blocks of a Markdown page in a language, in order. */
const blocks = (markdown: string, lang: string) => [...markdown.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1]!);
/** The lines that are code: no blank lines, no comment lines. */
const code = (text: string) => text.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//"));

describe("examples/embedding", () => {
  it("type-checks against the published declarations", () => {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.api.json"], { cwd: root, stdio: "pipe" });
    // skipLibCheck is off in the example's tsconfig: the declarations themselves must be sound.
    const out = execFileSync(process.execPath, [tsc, "-p", "examples/embedding"], { cwd: root, encoding: "utf8", stdio: "pipe" });
    expect(out).toBe("");
  }, 180_000);

  it("runs: its own scorer validates, its own engine answers, and the prompt improves", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/embedding/main.ts"], { cwd: root, encoding: "utf8" });
    expect(out).toMatch(/^validation before: 0\.00$/m);
    expect(out).toMatch(/^validation after: 1\.00$/m);
    expect(out).toMatch(/^calls: forward \d+, loss \d+, backward \d+, update \d+$/m);
    expect(out).toContain('End with a final line of the form "Answer: <value>".');
    // docs/api.md shows this output; it must be what the example prints.
    expect(blocks(read("docs/api.md"), "text")[0]).toBe(out);
  }, 60_000);

  it("docs/api.md quotes the example as it is", () => {
    const page = read("docs/api.md");
    expect(code(blocks(page, "tg")[0]!)).toEqual(code(read("examples/embedding/counting.tg")));
    const main = code(read("examples/embedding/main.ts"));
    const shown = code(blocks(page, "ts")[1]!);
    expect(main.slice(0, shown.length)).toEqual(shown);
  });
});
