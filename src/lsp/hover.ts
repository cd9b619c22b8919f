// What a hover shows: the declaration's kind and type, and what it is for (a variable's role, a function's
// signature and doc, an engine's provider, a data set's fields).
import { providers } from "../check/options.js";
import type { CheckedProgram, DataSymbol, Symbol } from "../check/index.js";
import { typeName } from "../check/model.js";
import type * as A from "../syntax/ast.js";
import { plainText } from "../syntax/strings.js";

export function hoverMarkdown(checked: CheckedProgram, sym: Symbol, fromModule: string): string {
  const text = checked.modules.get(sym.module)?.text ?? "";
  const src = (n: A.Node) => text.slice(n.range.start, n.range.end);
  const code = (s: string) => "```tg\n" + s + "\n```";
  const where = sym.module !== fromModule ? [`from \`${sym.module.startsWith("std/") ? sym.module : shortPath(sym.module)}\``] : [];
  const params = (ps: readonly A.Param[]) => ps.map((p) => (p.type ? `${p.name.name}: ${p.type.name.name}` : p.name.name)).join(", ");
  const docOf = (d: A.Node) => leadingComment(checked, sym.module, d);
  switch (sym.kind) {
    case "engine": {
      const d = sym.decl;
      const spec = providers[d.provider.name];
      const options = d.options.map(src).join(", ");
      return join([
        code(`engine ${d.name.name} = ${d.provider.name}(${d.args.map(src).join(", ")})${options ? ` { ${options} }` : ""}`),
        `**engine**, provider \`${d.provider.name}\`${spec ? `: ${spec.doc}` : " (unknown)"}`,
        ...where,
        docOf(d),
      ]);
    }
    case "variable": {
      const d = sym.decl;
      const role = plainText(d.role.parts) ?? d.role.raw;
      const param = d.params.length ? `(${params(d.params)})` : "";
      return join([
        code(`${d.trainable ? "trainable" : "frozen"} ${d.name.name}${param}: text`),
        `**${d.trainable ? "trainable" : "frozen"} variable**: text${param ? ", one value per example (optimized by a block with each:)" : ""}`,
        `role: *${role.trim()}*`,
        ...where,
        docOf(d),
      ]);
    }
    case "data":
      return join([...dataLines(sym, src, code), ...where, docOf(sym.decl)]);
    case "corpus": {
      const d = sym.decl;
      const options = d.options.map(src).join(", ");
      return join([
        code(`corpus ${d.name.name} = ${d.format.name}(${d.args.map(src).join(", ")})${options ? ` { ${options} }` : ""}`),
        "**corpus**: passages to `retrieve` from",
        ...where,
        docOf(d),
      ]);
    }
    case "fn": {
      const d = sym.decl;
      const returns = d.returns ? d.returns.name.name : inferred(checked, d.body);
      return join([code(`fn ${d.name.name}(${params(d.params)})${returns ? ` -> ${returns}` : ""}`), "**function**", ...where, docOf(d)]);
    }
    case "extern": {
      const d = sym.decl;
      const doc = d.doc ? (plainText(d.doc.parts) ?? d.doc.raw).trim() : undefined;
      return join([code(`extern fn ${d.name.name}(${params(d.params)}) -> ${d.returns.name.name}`), "**native function**", ...where, doc ?? docOf(d)]);
    }
    case "loss": {
      const d = sym.decl;
      return join([code(`loss ${d.name.name}${d.params.length ? `(${params(d.params)})` : ""}`), "**loss**", ...where, docOf(d)]);
    }
    case "param":
      return join([code(`${sym.decl.name.name}: ${sym.type.kind === "unknown" ? (sym.decl.type?.name.name ?? "unknown") : typeName(sym.type)}`), "**parameter**"]);
    case "let":
      return join([code(`let ${sym.decl.name.name}: ${inferred(checked, sym.decl.value) ?? "unknown"}`), "**local value**"]);
    case "example":
      return join([
        code(`ex: ${sym.data ? `example of ${sym.data.decl.name.name}` : "example"}`),
        "**the current example** of the optimize block's data",
        ...(sym.data ? fieldLines(sym.data) : []),
      ]);
    default: {
      const never: never = sym;
      return never;
    }
  }
}

function join(parts: readonly (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== "").join("\n\n");
}

function shortPath(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

function inferred(checked: CheckedProgram, e: A.Expr): string | undefined {
  const t = checked.types.get(e);
  return t && t.kind !== "unknown" ? typeName(t) : undefined;
}

function dataLines(sym: DataSymbol, src: (n: A.Node) => string, code: (s: string) => string): string[] {
  const d = sym.decl;
  if (d.kind === "SplitPart") {
    const source = sym.split?.decl.source.name ?? "?";
    return [code(`data ${d.name.name}: part of split ${source} (${src(d.size)})`), "**data set**", ...fieldLines(sym)];
  }
  return [code(`data ${d.name.name} = ${d.format.name}(${d.args.map(src).join(", ")})`), "**data set**", ...fieldLines(sym)];
}

/** A data set's fields, following a split's part to the data set it cuts. */
function fieldLines(sym: DataSymbol): string[] {
  let s: DataSymbol | undefined = sym;
  for (let i = 0; s && s.decl.kind === "SplitPart" && i < 20; i++) s = s.split?.source;
  if (!s || s.decl.kind !== "DataDecl") return [];
  const fields = s.decl.fields;
  if (!fields) return ["fields: not declared (each record's own)"];
  return [
    "fields:\n" +
      fields
        .map((f) => `- \`${f.name.name}: ${f.type.name.name}\`${f.source ? ` from \`${plainText(f.source.parts) ?? f.source.raw}\`` : ""}`)
        .join("\n"),
  ];
}

/** The comment lines right above a declaration (no blank line between), as its documentation. */
export function leadingComment(checked: CheckedProgram, module: string, d: A.Node): string | undefined {
  const m = checked.modules.get(module);
  if (!m) return undefined;
  const lines: string[] = [];
  let at = d.range.start;
  const comments = [...m.program.comments].filter((c) => c.range.end <= at).sort((a, b) => b.range.start - a.range.start);
  for (const c of comments) {
    const between = m.text.slice(c.range.end, at);
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(between)) break;
    // A comment after code on its own line documents that code, not this declaration.
    const lineStart = m.text.lastIndexOf("\n", c.range.start - 1) + 1;
    if (m.text.slice(lineStart, c.range.start).trim() !== "") break;
    lines.unshift(c.block ? c.text.replace(/^\/\*+|\*+\/$/g, "").trim() : c.text.replace(/^\/\/\s?/, ""));
    at = c.range.start;
  }
  return lines.length ? lines.join("\n") : undefined;
}
