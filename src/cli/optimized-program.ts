// `tgc run --out FILE`: the program with each trainable variable's initializer replaced by its optimized value.
import type { Program } from "../syntax/ast.js";

/** A tg string literal whose value is exactly `value`: a dedented `"""` block where that is exact, else one line. */
export function stringLiteral(value: string, indent = "  "): string {
  const escape = (s: string) => s.replace(/\\/g, "\\\\").replace(/\{/g, "\\{").replace(/\}/g, "\\}");
  const lines = value.split("\n");
  const blockSafe =
    value.trim() !== "" &&
    lines[0]!.trim() !== "" &&
    lines[lines.length - 1]!.trim() !== "" &&
    !/^[ \t]/.test(lines.find((l) => l.trim() !== "") ?? "") &&
    !value.includes("\r") &&
    !lines.some((l) => /[ \t]$/.test(l));
  if (blockSafe) {
    const body = lines.map((l) => (l.trim() === "" ? "" : indent + escape(l).replace(/"""/g, '\\"""'))).join("\n");
    return `"""\n${body}\n"""`;
  }
  return `"${escape(value).replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r")}"`;
}

export function programWithValues(text: string, program: Program, values: ReadonlyMap<string, string>): string {
  const edits = program.declarations
    .filter((d) => d.kind === "VariableDecl" && d.trainable && values.has(d.name.name))
    .map((d) => {
      const v = d as Extract<typeof d, { kind: "VariableDecl" }>;
      return { start: v.init.range.start, end: v.init.range.end, text: stringLiteral(values.get(v.name.name)!) };
    })
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
