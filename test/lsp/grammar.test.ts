// The VS Code extension's files: the manifest points at files that exist, and the TextMate grammar is valid and
// knows every keyword of the language.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { keywords } from "../../src/syntax/tokens.js";

const folder = resolve(dirname(fileURLToPath(import.meta.url)), "../../editors/vscode");
const json = (file: string) => JSON.parse(readFileSync(join(folder, file), "utf8")) as unknown;

interface Pattern {
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly patterns?: readonly Pattern[];
}

function regexes(p: Pattern): string[] {
  return [p.match, p.begin, p.end].filter((r): r is string => r !== undefined).concat((p.patterns ?? []).flatMap(regexes));
}

describe("editors/vscode", () => {
  it("contributes the tg language and its grammar from files that exist", () => {
    const manifest = json("package.json") as {
      main: string;
      contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { language: string; path: string }[] };
    };
    expect(manifest.contributes.languages[0]).toMatchObject({ id: "tg", extensions: [".tg"] });
    expect(manifest.contributes.grammars[0]!.language).toBe("tg");
    for (const file of [manifest.main, manifest.contributes.languages[0]!.configuration, manifest.contributes.grammars[0]!.path]) {
      expect(existsSync(join(folder, file)), file).toBe(true);
    }
  });

  it("has a grammar whose patterns compile and which highlights every keyword", () => {
    const grammar = json("syntaxes/tg.tmLanguage.json") as { scopeName: string; repository: Record<string, Pattern>; patterns: { include: string }[] };
    expect(grammar.scopeName).toBe("source.tg");
    for (const p of grammar.patterns) expect(grammar.repository[p.include.slice(1)], p.include).toBeDefined();
    const all = Object.values(grammar.repository).flatMap(regexes);
    for (const r of all) expect(() => new RegExp(r), r).not.toThrow();
    const keywordPatterns = regexes(grammar.repository.keywords!).map((r) => new RegExp(r));
    for (const k of keywords) expect(keywordPatterns.some((r) => r.test(k)), k).toBe(true);
  });
});
