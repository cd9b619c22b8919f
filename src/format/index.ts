// The formatter's entry for `tgc fmt`: parse first (so syntax errors come back as diagnostics, prettier untouched),
// then format through the prettier plugin. Prettier and the plugin load lazily: the CLI starts without them.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/parse.js";

export interface FormatResult {
  /** The formatted text; undefined when the file has syntax errors. */
  readonly formatted: string | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export async function formatTg(text: string, file: string): Promise<FormatResult> {
  const { diagnostics } = parse(text, file);
  if (hasErrors(diagnostics)) return { formatted: undefined, diagnostics };
  const [prettier, { plugin }] = await Promise.all([import("prettier"), import("./plugin.js")]);
  const formatted = await prettier.format(text, { parser: "tg", plugins: [plugin], filepath: file });
  return { formatted, diagnostics };
}
