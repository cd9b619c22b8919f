// The import directions of ../shared/design/architecture.md ("Directions that keep the house calm"), enforced by
// reading every import of src/**/*.ts (and stdlib/**/*.ts): static imports and re-exports (`import type` included),
// side-effect imports, dynamic `import("…")`, `import("…")` types and `require("…")`. Each offending import is
// listed with file:line.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

type ImportKind = "static" | "type" | "dynamic";

interface ImportRef {
  /** Repository-relative path of the importing file, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** `type`: erased at run time (`import type`, `export type … from`, an `import("…")` type). */
  readonly kind: ImportKind;
}

/** Every import in a file's text, found with the TypeScript parser (so comments and strings never count). */
function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, kind: ImportKind) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    out.push({ file, line, specifier: spec.text, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? "type" : "static");
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly ? "type" : "static");
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly ? "type" : "static");
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(node, arg.literal as ts.Expression, "type");
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], "dynamic");
      else if (ts.isIdentifier(node.expression) && node.expression.text === "require") add(node, node.arguments[0], "static");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (/\.(m|c)?tsx?$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, m.split("/")[0]!]));

/**
 * What an import points at: `area:<name>` for a folder of src/ (`engines/sim` is its own area), `area:stdlib`,
 * `node` for a Node built-in, `pkg:<name>` for an npm package, or `file:<path>` for anything else in the repo.
 */
function target(ref: ImportRef): string {
  const spec = ref.specifier;
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const path = relative(root, resolve(root, dirname(ref.file), spec)).split("\\").join("/");
    return areaOfPath(path) ?? `file:${path}`;
  }
  if (spec.startsWith("node:") || nodeBuiltins.has(spec) || nodeBuiltins.has(spec.split("/")[0]!)) return "node";
  if (spec.startsWith("std/")) return "area:stdlib"; // a .tg module name, e.g. in a string the checker resolves
  const parts = spec.split("/");
  return `pkg:${spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]}`;
}

function areaOfPath(path: string): string | undefined {
  if (path.startsWith("src/engines/sim/") || path === "src/engines/sim") return "area:engines/sim";
  const m = /^src\/([^/]+)(?:\/|$)/.exec(path);
  if (m) return /\.[a-z]+$/.test(m[1]!) ? "area:src-root" : `area:${m[1]}`;
  if (path.startsWith("stdlib/") || path === "stdlib") return "area:stdlib";
  return undefined;
}

/** `engines/sim` is part of `engines` for every rule that speaks of `engines`. */
const inArea = (t: string, area: string) => t === `area:${area}` || t.startsWith(`area:${area}/`);

interface Rule {
  readonly name: string;
  /** The importing files this rule governs. */
  readonly appliesTo: (file: string) => boolean;
  /** Why an import breaks the rule, or undefined if it does not. */
  readonly broken: (t: string, ref: ImportRef) => string | undefined;
}

const under = (...dirs: string[]) => (file: string) => dirs.some((d) => file.startsWith(`${d}/`));
const only =
  (...allowed: string[]) =>
  (t: string) =>
    allowed.some((a) => (a.startsWith("pkg:") ? t === a : inArea(t, a))) ? undefined : `may import only ${allowed.join(", ")}`;
const not =
  (...banned: string[]) =>
  (t: string) => {
    const hit = banned.find((b) => inArea(t, b));
    return hit ? `must not import src/${hit}` : undefined;
  };

const rules: readonly Rule[] = [
  { name: "syntax knows nothing after it", appliesTo: under("src/syntax"), broken: only("syntax", "diagnostics", "pkg:chevrotain") },
  { name: "check knows nothing of ir onward", appliesTo: under("src/check"), broken: not("ir", "runtime", "engines", "format", "cli") },
  { name: "ir knows nothing of runtime, engines, format, cli", appliesTo: under("src/ir"), broken: not("runtime", "engines", "format", "cli") },
  {
    name: "engines know nothing of the language",
    appliesTo: under("src/engines"),
    broken: not("syntax", "check", "ir", "runtime", "format", "cli"),
  },
  { name: "format depends on syntax alone", appliesTo: under("src/format"), broken: only("format", "syntax", "diagnostics", "pkg:prettier") },
  {
    name: "lsp serves the checker and the formatter: no ir, runtime or engines",
    appliesTo: under("src/lsp"),
    broken: (t) =>
      t === "node"
        ? undefined
        : only("lsp", "syntax", "check", "format", "diagnostics", "pkg:vscode-languageserver", "pkg:vscode-languageserver-textdocument", "pkg:chevrotain")(t),
  },
  {
    name: "explain and report read what a run wrote: only the pipeline's types",
    appliesTo: under("src/report", "src/explain"),
    broken: (t, ref) =>
      ["syntax", "check", "ir", "runtime", "engines", "format"].some((a) => inArea(t, a)) && ref.kind !== "type"
        ? "may import only types from the pipeline (it reads run folders, it runs nothing)"
        : undefined,
  },
  {
    name: "nothing imports cli",
    appliesTo: (f) => !f.startsWith("src/cli/"),
    broken: (t) => (inArea(t, "cli") ? "must not import src/cli (only src/cli may)" : undefined),
  },
  {
    name: "browser-safe stages touch no node: module",
    appliesTo: under("src/syntax", "src/check", "src/ir", "src/diagnostics", "src/engines/sim"),
    broken: (t) => (t === "node" ? "must not import a Node built-in (runs in a browser page)" : undefined),
  },
  {
    name: "provider SDKs are loaded lazily",
    appliesTo: () => true,
    broken: (t, ref) =>
      (t === "pkg:openai" || t === "pkg:@anthropic-ai/sdk") && ref.kind === "static"
        ? "must not import a provider SDK statically (use a dynamic import(), when a run needs it)"
        : undefined,
  },
];

function violations(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    for (const ref of importsOf(file, readFileSync(join(root, file), "utf8"))) {
      const t = target(ref);
      for (const rule of rules) {
        if (!rule.appliesTo(file)) continue;
        const why = rule.broken(t, ref);
        if (why) out.push(`${file}:${ref.line} imports "${ref.specifier}"${ref.kind === "static" ? "" : ` (${ref.kind})`}: ${why} [${rule.name}]`);
      }
    }
  }
  return out;
}

const sources = [...tsFiles("src"), ...tsFiles("stdlib")];

describe("import directions", () => {
  it("finds the source files", () => {
    expect(sources.filter((f) => f.startsWith("src/syntax/")).length).toBeGreaterThan(3);
    expect(sources).toContain("src/cli/main.ts");
  });

  it("reads every form of import", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'import "./side.js";',
      'export * from "./c.js";',
      'export { d } from "./d.js";',
      "// import { e } from './commented.js';",
      'const s = "import x from \'./in-string.js\'";',
      'const f = await import("./f.js");',
      'type G = import("./g.js").G;',
      'const h = require("h");',
      "import {",
      "  i,",
      '} from "./i.js";',
    ].join("\n");
    expect(importsOf("src/x/y.ts", text).map((r) => `${r.line} ${r.kind} ${r.specifier}`)).toEqual([
      "1 static ./a.js",
      "2 type ../b.js",
      "3 static ./side.js",
      "4 static ./c.js",
      "5 static ./d.js",
      "8 dynamic ./f.js",
      "9 type ./g.js",
      "10 static h",
      "11 static ./i.js",
    ]);
  });

  it("classifies what an import points at", () => {
    const ref = (file: string, specifier: string): ImportRef => ({ file, line: 1, specifier, kind: "static" });
    expect(target(ref("src/check/index.ts", "../syntax/parse.js"))).toBe("area:syntax");
    expect(target(ref("src/engines/index.ts", "./sim/index.js"))).toBe("area:engines/sim");
    expect(target(ref("src/cli/main.ts", "node:fs"))).toBe("node");
    expect(target(ref("src/cli/main.ts", "fs/promises"))).toBe("node");
    expect(target(ref("src/cli/main.ts", "path"))).toBe("node");
    expect(target(ref("src/format/plugin.ts", "prettier/doc"))).toBe("pkg:prettier");
    expect(target(ref("src/cli/x.ts", "@anthropic-ai/sdk/resources"))).toBe("pkg:@anthropic-ai/sdk");
    expect(target(ref("src/cli/x.ts", "../../stdlib/index.js"))).toBe("area:stdlib");
  });

  it("the rules catch what they should", () => {
    const check = (file: string, specifier: string, kind: ImportKind = "static") => {
      const r: ImportRef = { file, line: 1, specifier, kind };
      return rules.filter((rule) => rule.appliesTo(file) && rule.broken(target(r), r)).map((rule) => rule.name);
    };
    expect(check("src/syntax/parse.ts", "../check/index.js")).toEqual(["syntax knows nothing after it"]);
    expect(check("src/syntax/parse.ts", "node:fs")).toEqual(["syntax knows nothing after it", "browser-safe stages touch no node: module"]);
    expect(check("src/check/index.ts", "../ir/graph.js")).toEqual(["check knows nothing of ir onward"]);
    expect(check("src/ir/lower.ts", "../engines/sim/index.js")).toEqual(["ir knows nothing of runtime, engines, format, cli"]);
    expect(check("src/engines/sim/index.ts", "../../syntax/ast.js", "type")).toEqual(["engines know nothing of the language"]);
    expect(check("src/engines/sim/index.ts", "node:crypto")).toEqual(["browser-safe stages touch no node: module"]);
    expect(check("src/engines/index.ts", "node:crypto")).toEqual([]);
    expect(check("src/format/index.ts", "../check/index.js")).toEqual(["format depends on syntax alone"]);
    expect(check("src/runtime/run.ts", "../cli/output.js")).toEqual(["nothing imports cli"]);
    expect(check("src/cli/main.ts", "./output.js")).toEqual([]);
    expect(check("src/report/model.ts", "../runtime/events.js", "type")).toEqual([]);
    expect(check("src/report/model.ts", "../runtime/run.js")).toEqual(["explain and report read what a run wrote: only the pipeline's types"]);
    expect(check("src/lsp/server.ts", "../runtime/run.js")).toEqual(["lsp serves the checker and the formatter: no ir, runtime or engines"]);
    expect(check("src/lsp/server.ts", "../check/index.js")).toEqual([]);
    expect(check("src/cli/engines.ts", "openai")).toEqual(["provider SDKs are loaded lazily"]);
    expect(check("src/cli/engines.ts", "openai", "dynamic")).toEqual([]);
    expect(check("stdlib/index.ts", "@anthropic-ai/sdk")).toEqual(["provider SDKs are loaded lazily"]);
  });

  it("src/ and stdlib/ keep every direction", () => {
    const found = violations(sources);
    if (found.length > 0) console.error(`Import-direction violations:\n  ${found.join("\n  ")}`);
    expect(found).toEqual([]);
  });
});
