// tg as a prettier 3 plugin: `prettier --plugin <built plugin> file.tg`, and what `formatTg` hands to prettier.
import type { Parser, Plugin, SupportLanguage } from "prettier";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceText } from "../diagnostics/source.js";
import { parse } from "../syntax/parse.js";
import { locEnd, locStart, type TgNode } from "./nodes.js";
import { printer } from "./printer.js";

export const languages: SupportLanguage[] = [
  { name: "tg", parsers: ["tg"], extensions: [".tg"], vscodeLanguageIds: ["tg"] },
];

/** The message prettier shows when a file cannot be parsed: every syntax error, with its code and position. */
export function syntaxErrorMessage(diagnostics: readonly Diagnostic[], source: SourceText): string {
  const lines = diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => {
      const { line, column } = source.position(d.range.start);
      return `  ${source.path}:${line}:${column} ${d.code}: ${d.message}`;
    });
  return [`${source.path} has syntax errors:`, ...lines].join("\n");
}

const tgParser: Parser<TgNode> = {
  astFormat: "tg-ast",
  locStart,
  locEnd,
  parse(text, options) {
    const file = options.filepath ?? "<input>";
    const { program, diagnostics } = parse(text, file);
    if (hasErrors(diagnostics)) throw new Error(syntaxErrorMessage(diagnostics, new SourceText(file, text)));
    return program;
  },
};

export const plugin: Plugin<TgNode> = {
  languages,
  parsers: { tg: tgParser },
  printers: { "tg-ast": printer },
  defaultOptions: { printWidth: 100, tabWidth: 2, useTabs: false },
};

export const parsers = plugin.parsers;
export const printers = plugin.printers;
export const defaultOptions = plugin.defaultOptions;
export default plugin;
