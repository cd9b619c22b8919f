// Completion: names in scope, the standard library's declarations (inside `import { … } from "std/x"`, and anywhere
// a name goes, with the import added), module names after `from "`, and options inside an engine's, a call's, an
// optimizer's and an optimize block's brackets (from the checker's own option tables).
import type { IToken, TokenType } from "chevrotain";
import { CompletionItemKind, type CompletionItem, type TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { CheckedProgram, DeclSymbol, ModuleHost } from "../check/index.js";
import { callEntries, engineOptions, optimizeSettings, optimizers, providers, type OptionSpec } from "../check/options.js";
import type * as A from "../syntax/ast.js";
import { lex } from "../syntax/lexer.js";
import { parse } from "../syntax/parse.js";
import { plainText } from "../syntax/strings.js";
import * as T from "../syntax/tokens.js";

export interface CompletionInput {
  readonly document: TextDocument;
  readonly id: string;
  readonly checked: CheckedProgram;
  readonly offset: number;
  /** Reads imported modules, and lists the standard library's (`std/metrics`, …). */
  readonly host: ModuleHost;
}

type Bracket =
  | { readonly kind: "engine"; readonly index: number }
  | { readonly kind: "call"; readonly index: number }
  | { readonly kind: "optimizer"; readonly optimizer: string; readonly index: number }
  | { readonly kind: "optimize"; readonly index: number }
  | { readonly kind: "other"; readonly index: number };

const declarationKeywords = ["import", "engine", "trainable", "frozen", "data", "split", "fn", "loss", "optimize"];
const expressionKeywords = ["call", "rubric", "unless", "true", "false"];

export function complete(input: CompletionInput): CompletionItem[] {
  const text = input.document.getText();
  const prefix = text.slice(0, input.offset);
  const stdModules = input.host.stdModules?.() ?? [];

  // After `from "`: a module name.
  const from = /\bfrom\s*"([^"\n]*)$/.exec(prefix);
  if (from) return stdModules.map((m) => ({ label: m, kind: CompletionItemKind.Module, detail: "standard library" }));

  // Inside `import { … }`: the declarations of the module named after the braces (or of every std module).
  if (/\bimport\s*\{[^}"]*$/.test(prefix)) {
    const source = /^[^}"]*\}\s*from\s*"([^"\n]*)"/.exec(text.slice(input.offset))?.[1];
    const modules = source !== undefined ? [source] : stdModules;
    const out: CompletionItem[] = [];
    for (const spec of modules) {
      for (const d of moduleDeclarations(input.host, spec, input.id)) out.push({ ...itemOf(d), detail: `${describe(d)} (${spec})` });
    }
    return out;
  }

  const lexed = lex(prefix);
  // Inside a string or a comment (one still open where the cursor is): nothing to complete.
  const endsAtCursor = (t: IToken) => (t.endOffset ?? t.startOffset) + 1 === prefix.length;
  const last = lexed.tokens[lexed.tokens.length - 1];
  if (last && endsAtCursor(last) && (last.tokenType === T.UnterminatedString || last.tokenType === T.UnterminatedTripleString)) return [];
  for (const c of lexed.comments) {
    if (endsAtCursor(c) && (c.tokenType === T.LineComment || c.tokenType === T.UnterminatedComment)) return [];
  }

  const tokens = lexed.tokens;
  const bracket = innermostBracket(tokens);
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(prefix)?.[0] ?? "";
  const before = prefix.slice(0, prefix.length - word.length);
  if (/\.\s*$/.test(before)) return []; // a field: not from here
  const keyPosition = /[{(,]\s*$/.test(before) || /\n[ \t]*$/.test(before);

  if (bracket && keyPosition) {
    const table = optionTable(bracket);
    if (table) {
      return Object.entries(table).map(([key, spec]) => ({
        label: key,
        kind: CompletionItemKind.Property,
        detail: `${spec.kind}${bracket.kind === "engine" ? " (engine option)" : ""}`,
        documentation: spec.doc,
        insertText: `${key}: `,
      }));
    }
  }
  // After `engine x = `: a provider.
  if (/\bengine\s+[A-Za-z_][A-Za-z0-9_]*\s*=\s*$/.test(before)) {
    return Object.entries(providers).map(([name, spec]) => ({ label: name, kind: CompletionItemKind.Constructor, detail: spec.args.map((a) => a.name).join(", "), documentation: spec.doc }));
  }
  if (/\busing\s*$/.test(before)) return Object.keys(optimizers).map((name) => ({ label: name, kind: CompletionItemKind.Constructor, detail: "optimizer" }));

  return names(input, bracket === undefined);
}

/** The open bracket the cursor is in, and what it opens. */
function innermostBracket(tokens: readonly IToken[]): Bracket | undefined {
  const stack: Bracket[] = [];
  const openOf = new Map<number, number>(); // index of a `)` → index of its `(`
  const parens: number[] = [];
  const is = (i: number, type: TokenType) => i >= 0 && tokens[i]?.tokenType === type;
  const isName = (i: number) => i >= 0 && tokens[i] !== undefined && (tokens[i]!.tokenType === T.Identifier || T.keywords.includes(tokens[i]!.image));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t === T.LParen) {
      parens.push(i);
      if (isName(i - 1) && is(i - 2, T.Using)) stack.push({ kind: "optimizer", optimizer: tokens[i - 1]!.image, index: i });
      else stack.push({ kind: "other", index: i });
    } else if (t === T.LBrace) {
      if (isName(i - 1) && is(i - 2, T.Call)) stack.push({ kind: "call", index: i });
      else if (isName(i - 1) && is(i - 2, T.Equals) && is(i - 4, T.Engine)) stack.push({ kind: "engine", index: i });
      else if (is(i - 1, T.RParen)) {
        const open = openOf.get(i - 1) ?? -1;
        const k = open - 1;
        if (isName(k) && is(k - 1, T.Equals) && is(k - 3, T.Engine)) stack.push({ kind: "engine", index: i });
        else if (isName(k) && is(k - 1, T.Using)) stack.push({ kind: "optimize", index: i });
        else stack.push({ kind: "other", index: i });
      } else stack.push({ kind: "other", index: i });
    } else if (t === T.LBracket) {
      stack.push({ kind: "other", index: i });
    } else if (t === T.RParen || t === T.RBrace || t === T.RBracket) {
      stack.pop();
      if (t === T.RParen) {
        const open = parens.pop();
        if (open !== undefined) openOf.set(i, open);
      }
    }
  }
  return stack[stack.length - 1];
}

function optionTable(b: Bracket): Record<string, OptionSpec> | undefined {
  switch (b.kind) {
    case "engine":
      return engineOptions;
    case "call":
      return callEntries;
    case "optimizer":
      return optimizers[b.optimizer];
    case "optimize":
      return { ...optimizeSettings, validate: { kind: "text", doc: "validate: DATA by METRIC, keep best" } };
    case "other":
      return undefined;
    default: {
      const never: never = b;
      return never;
    }
  }
}

/** Names in scope at the cursor, keywords, and the standard library's declarations not imported yet. */
function names(input: CompletionInput, topLevel: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (item: CompletionItem) => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    out.push(item);
  };
  const program = input.checked.root.program;
  for (const d of program.declarations) {
    if (d.range.start > input.offset || input.offset > d.range.end) continue;
    if (d.kind === "FnDecl" || d.kind === "LossDecl") {
      for (const p of d.params) if (p.name.name) add({ label: p.name.name, kind: CompletionItemKind.Variable, detail: `parameter${p.type ? `: ${p.type.name.name}` : ""}` });
    }
    if (d.kind === "FnDecl") for (const l of d.lets) if (l.name.name && l.range.end <= input.offset) add({ label: l.name.name, kind: CompletionItemKind.Variable, detail: "let" });
    if (d.kind === "OptimizeDecl") add({ label: "ex", kind: CompletionItemKind.Variable, detail: "the current example" });
  }
  for (const [name, sym] of input.checked.scopes.get(input.id) ?? new Map<string, DeclSymbol>()) {
    add({ label: name, kind: kindOf(sym.decl), detail: sym.module === input.id ? describe(sym.decl) : `${describe(sym.decl)} (${sym.module.startsWith("std/") ? sym.module : "imported"})` });
  }
  for (const spec of input.host.stdModules?.() ?? []) {
    for (const d of moduleDeclarations(input.host, spec, input.id)) {
      if (seen.has(d.name.name)) continue;
      add({ ...itemOf(d), detail: `${describe(d)} (${spec}, adds the import)`, additionalTextEdits: [importEdit(input.document, program, spec, d.name.name)] });
    }
  }
  if (topLevel) for (const k of declarationKeywords) add({ label: k, kind: CompletionItemKind.Keyword });
  for (const k of expressionKeywords) add({ label: k, kind: CompletionItemKind.Keyword });
  return out;
}

type Named = Exclude<A.Declaration, A.ImportDecl | A.OptimizeDecl | A.SplitDecl>;

function moduleDeclarations(host: ModuleHost, spec: string, from: string): Named[] {
  const id = host.resolve(spec, from);
  const text = id === undefined ? undefined : host.read(id);
  if (id === undefined || text === undefined) return [];
  return parse(text, id).program.declarations.filter((d): d is Named => d.kind !== "ImportDecl" && d.kind !== "OptimizeDecl" && d.kind !== "SplitDecl" && d.name.name !== "");
}

function itemOf(d: Named): CompletionItem {
  const doc = d.kind === "ExternFnDecl" && d.doc ? (plainText(d.doc.parts) ?? d.doc.raw).trim() : undefined;
  return { label: d.name.name, kind: kindOf(d), ...(doc ? { documentation: doc } : {}) };
}

function kindOf(d: Named | A.SplitPart): CompletionItemKind {
  switch (d.kind) {
    case "EngineDecl":
      return CompletionItemKind.Class;
    case "VariableDecl":
      return CompletionItemKind.Variable;
    case "DataDecl":
    case "SplitPart":
    case "CorpusDecl":
      return CompletionItemKind.Struct;
    case "FnDecl":
    case "ExternFnDecl":
      return CompletionItemKind.Function;
    case "LossDecl":
      return CompletionItemKind.Event;
    default: {
      const never: never = d;
      return never;
    }
  }
}

function describe(d: Named | A.SplitPart): string {
  const params = (ps: readonly A.Param[]) => ps.map((p) => (p.type ? `${p.name.name}: ${p.type.name.name}` : p.name.name)).join(", ");
  switch (d.kind) {
    case "EngineDecl":
      return `engine ${d.provider.name}`;
    case "VariableDecl":
      return d.trainable ? "trainable" : "frozen";
    case "DataDecl":
    case "SplitPart":
      return "data";
    case "CorpusDecl":
      return `corpus ${d.format.name}`;
    case "FnDecl":
      return `fn (${params(d.params)})${d.returns ? ` -> ${d.returns.name.name}` : ""}`;
    case "ExternFnDecl":
      return `fn (${params(d.params)}) -> ${d.returns.name.name}`;
    case "LossDecl":
      return "loss";
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** Adds a name to the program's import of `spec`, or a new import after the others (or before the first declaration). */
function importEdit(document: TextDocument, program: A.Program, spec: string, name: string): TextEdit {
  const imports = program.declarations.filter((d): d is A.ImportDecl => d.kind === "ImportDecl");
  const existing = imports.find((d) => plainText(d.source.parts) === spec && d.names.length > 0);
  const at = (offset: number, newText: string): TextEdit => {
    const p = document.positionAt(offset);
    return { range: { start: p, end: p }, newText };
  };
  if (existing) return at(existing.names[existing.names.length - 1]!.range.end, `, ${name}`);
  const line = `import { ${name} } from "${spec}"`;
  const lastImport = imports[imports.length - 1];
  if (lastImport) return at(lastImport.range.end, `\n${line}`);
  const first = program.declarations[0];
  return first ? at(first.range.start, `${line}\n\n`) : at(0, `${line}\n`);
}
