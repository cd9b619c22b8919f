// The language reference's examples are programs: every ```tg block must check with no errors, every ```tg-error
// block must produce at least one, and the reference's table must list every diagnostic code.
// A block whose first line is `// file: NAME.tg` is also a module other blocks may import as "./NAME.tg".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { codes } from "../../src/diagnostics/codes.js";

const root = join(import.meta.dirname, "../..");
const doc = readFileSync(join(root, "docs/language.md"), "utf8");

interface Block {
  readonly kind: "tg" | "tg-error";
  readonly text: string;
  readonly line: number;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(tg|tg-error)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`docs/language.md:${i + 1}: unclosed code block`);
    out.push({ kind: open[1] as Block["kind"], text: lines.slice(start, end).join("\n") + "\n", line: i + 1 });
    i = end;
  }
  return out;
}

const examples = blocks(doc);
const files: Record<string, string> = {
  "std/metrics": readFileSync(join(root, "stdlib/metrics.tg"), "utf8"),
  "std/tools": readFileSync(join(root, "stdlib/tools.tg"), "utf8"),
};
for (const b of examples) {
  const named = /^\/\/ file: (\S+\.tg)\s*$/.exec(b.text.split("\n")[0]!);
  if (named) files[named[1]!] = b.text;
}
const host = memoryHost(files);

const show = (ds: readonly { code: string; severity: string; message: string }[]) =>
  ds.map((d) => `${d.code} ${d.severity} ${d.message}`).join("\n");

describe("docs/language.md", () => {
  it("has examples of both kinds", () => {
    expect(examples.filter((b) => b.kind === "tg").length).toBeGreaterThan(10);
    expect(examples.some((b) => b.kind === "tg-error")).toBe(true);
  });

  for (const b of examples) {
    const named = /^\/\/ file: (\S+\.tg)/.exec(b.text)?.[1];
    const id = named ?? `language-md-line-${b.line}.tg`;
    it(`${b.kind} block at line ${b.line}`, () => {
      const { diagnostics } = check(id, b.text, host);
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (b.kind === "tg") expect(show(errors), `errors in the block at line ${b.line}`).toBe("");
      else expect(errors.length, `the tg-error block at line ${b.line} should produce an error`).toBeGreaterThan(0);
    });
  }

  it("lists every diagnostic code with its severity and title", () => {
    for (const [code, { severity, title }] of Object.entries(codes)) {
      expect(doc, code).toContain(`| ${code} | ${severity} | ${title} |`);
    }
  });
});

describe("docs/stdlib", () => {
  const dir = join(root, "docs/stdlib");
  const std: Record<string, string> = {};
  for (const f of readdirSync(join(root, "stdlib"))) if (f.endsWith(".tg")) std[`std/${f.slice(0, -3)}`] = readFileSync(join(root, "stdlib", f), "utf8");
  const stdHost = memoryHost(std);
  for (const page of readdirSync(dir).filter((f) => f.endsWith(".md"))) {
    const pageBlocks = blocks(readFileSync(join(dir, page), "utf8"));
    it(`${page} has examples`, () => expect(pageBlocks.length).toBeGreaterThan(0));
    for (const b of pageBlocks) {
      it(`${page}: ${b.kind} block at line ${b.line}`, () => {
        const errors = check(`${page}-${b.line}.tg`, b.text, stdHost).diagnostics.filter((d) => d.severity === "error");
        if (b.kind === "tg") expect(show(errors)).toBe("");
        else expect(errors.length).toBeGreaterThan(0);
      });
    }
  }

  it("every std module has a page", () => {
    const pages = new Set(readdirSync(dir).map((f) => f.replace(/\.md$/, "")));
    for (const module of Object.keys(std)) expect(pages.has(module.slice(4)), module).toBe(true);
  });
});
