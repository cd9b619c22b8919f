// Renders docs/api-reference.md from the declarations src/api/index.ts exports and their doc comments, with the
// TypeScript compiler API (already a dependency, and exact about what the package's types say).
// `npm run docs:api` writes it; a test checks the committed copy is current.
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "src/api/index.ts");

/** A declaration as written, without its doc comment, `export` or a function's body. */
function signatureText(decl: ts.Declaration, checker: ts.TypeChecker, name: string): string {
  const source = decl.getSourceFile();
  if (ts.isFunctionDeclaration(decl)) {
    const end = decl.body ? decl.body.getStart(source) : decl.getEnd();
    return source.text.slice(decl.getStart(source), end).trim().replace(/^export\s+/, "").replace(/^async\s+/, "") + ";";
  }
  if (ts.isVariableDeclaration(decl)) return `const ${name}: ${checker.typeToString(checker.getTypeAtLocation(decl), undefined, ts.TypeFormatFlags.NoTruncation)};`;
  return source.text.slice(decl.getStart(source), decl.getEnd()).trim().replace(/^export\s+/, "");
}

function kindOf(decl: ts.Declaration): string {
  if (ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl)) return "function";
  if (ts.isClassDeclaration(decl)) return "class";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  return "type";
}

/** The doc comment as Markdown: its text, then its `@example`s as code. */
function docOf(symbol: ts.Symbol, decl: ts.Node, checker: ts.TypeChecker): string {
  const text = ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .trim()
    .replace(/\{@link\s+([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (_, name: string) => `[\`${name}\`](#${name.toLowerCase()})`);
  const examples = ts
    .getJSDocTags(decl)
    .filter((t) => t.tagName.text === "example")
    .map((t) => "```ts\n" + (typeof t.comment === "string" ? t.comment : ts.displayPartsToString(t.comment?.map((c) => ({ text: c.text, kind: "text" })) ?? [])).trim() + "\n```");
  return [text, ...examples].filter(Boolean).join("\n\n");
}

export function renderApiReference(): string {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const sections: { functions: string[]; types: string[] } = { functions: [], types: [] };
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    if (!decl) continue;
    const name = exported.name;
    const kind = kindOf(decl);
    const where = relative(root, decl.getSourceFile().fileName).split("\\").join("/");
    const doc = docOf(symbol, ts.isVariableDeclaration(decl) ? decl.parent.parent : decl, checker);
    const body = [`### ${name}`, `${kind}, declared in [${where}](../${where})`, "```ts\n" + signatureText(decl, checker, name) + "\n```", doc].filter(Boolean).join("\n\n");
    (kind === "function" ? sections.functions : sections.types).push(body);
  }
  return [
    "# API reference",
    "",
    "<!-- Generated from src/api/index.ts by `npm run docs:api`; do not edit by hand. -->",
    "",
    "Everything `import … from \"tgc\"` gives, with its declaration and documentation. [The embedding guide](api.md)",
    "shows how the pieces fit together.",
    "",
    "## Functions",
    "",
    sections.functions.join("\n\n"),
    "",
    "## Types",
    "",
    sections.types.join("\n\n"),
    "",
  ].join("\n");
}
