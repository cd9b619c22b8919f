// std/code's public tests: the usage examples in a Python docstring as assert statements. HumanEval's prompts show
// a few examples, as LeetCode's problem statements do; turned into asserts they are feedback an optimization may
// read, while the hidden `check(candidate)` tests stay for the score.
//
// Two forms are read:
//  - doctest: `>>> expr` followed by its expected output (the non-empty lines up to a blank line, the next `>>>` or
//    the docstring's end) becomes `assert expr == expected`; a `>>>` line without output (a statement) is skipped.
//  - inline: a line calling the entry point, then `==`, `==>`, `=>`, `->`, `➞`, `→`, `returns` or `should return`,
//    then the expected value (`Example:`, `For example:` and bullets before the call are allowed; a `# comment` or a
//    full stop after the value is dropped). `f(x) = v` counts too, unless the docstring writes a definition that way
//    (`f(n) = f(n - 1) + ...`), where such lines are recurrences, not examples.
// Conservative by design: the expected value (and an inline call's arguments) must be Python literals (numbers,
// strings, True/False/None, and lists, tuples, dicts and sets of them); anything else (prose, arithmetic, `true`) is
// skipped rather than turned into a broken assert. A float is compared within 1e-6.

/** A Python literal read from `src` at `pos`: where it ends, and whether it is a float number. */
interface Literal {
  end: number;
  float: boolean;
}

const NUMBER =
  /[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?[jJ]?)(?!\w|\.\w)/y;
const STRING = /(?:[rRuUbB]|[rR][bB]|[bB][rR])?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/y;
const KEYWORD = /(?:True|False|None|set\(\))(?!\w|\.\w)/y;

/** Skips spaces; newlines too when inside brackets (`nested`). */
function skip(src: string, pos: number, nested: boolean): number {
  const ws = nested ? /[ \t\r\n]*/y : /[ \t]*/y;
  ws.lastIndex = pos;
  ws.exec(src);
  return ws.lastIndex;
}

function sticky(re: RegExp, src: string, pos: number): number | undefined {
  re.lastIndex = pos;
  return re.exec(src) ? re.lastIndex : undefined;
}

/** Reads one literal at `pos` (after spaces), or undefined when there is none. */
function literal(src: string, pos: number, nested = false): Literal | undefined {
  pos = skip(src, pos, nested);
  const number = sticky(NUMBER, src, pos);
  if (number !== undefined) {
    const text = src.slice(pos, number);
    return { end: number, float: !/^[+-]?0[xXoObB]/.test(text) && /[.eE]/.test(text) && !/[jJ]$/.test(text) };
  }
  const string = sticky(STRING, src, pos);
  if (string !== undefined) {
    // Python joins adjacent strings ("a" "b"), but in a docstring that is a typo (`""aaa"`): not an example.
    return sticky(STRING, src, skip(src, string, nested)) === undefined ? { end: string, float: false } : undefined;
  }
  const keyword = sticky(KEYWORD, src, pos);
  if (keyword !== undefined) return { end: keyword, float: false };
  const open = src[pos];
  if (open === "[" || open === "(" || open === "{") {
    const close = open === "[" ? "]" : open === "(" ? ")" : "}";
    let at = skip(src, pos + 1, true);
    let items = 0;
    let commas = 0;
    let pairs = 0;
    while (src[at] !== close) {
      const item = literal(src, at, true);
      if (!item) return undefined;
      at = skip(src, item.end, true);
      if (open === "{" && src[at] === ":") {
        const value = literal(src, at + 1, true);
        if (!value) return undefined;
        at = skip(src, value.end, true);
        pairs++;
      }
      items++;
      if (src[at] === ",") {
        commas++;
        at = skip(src, at + 1, true);
      } else if (src[at] !== close) return undefined;
    }
    // `("a")` is a string in Python, but a docstring writing it means a tuple: ambiguous, so not an example.
    if (open === "(" && items === 1 && commas === 0) return undefined;
    if (open === "{" && pairs !== 0 && pairs !== items) return undefined;
    return { end: at + 1, float: false };
  }
  return undefined;
}

/** The whole of `text` as one literal, or undefined. */
function wholeLiteral(text: string): Literal | undefined {
  const lit = literal(text, 0);
  return lit && skip(text, lit.end, false) === text.length ? lit : undefined;
}

/** Where the bracket opened at `open` closes (strings skipped), or undefined. */
function closing(src: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (c === "'" || c === '"') {
      const end = sticky(STRING, src, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return undefined;
}

/** An inline call's arguments, `(...)` from `open`: literals, optionally `name=`; where `)` is, or undefined. */
function literalArguments(src: string, open: number): number | undefined {
  let at = skip(src, open + 1, true);
  while (src[at] !== ")") {
    const keyword = sticky(/[A-Za-z_]\w*[ \t]*=(?!=)/y, src, at);
    const value = literal(src, keyword ?? at, true);
    if (!value) return undefined;
    at = skip(src, value.end, true);
    if (src[at] === ",") at = skip(src, at + 1, true);
    else if (src[at] !== ")") return undefined;
  }
  return at;
}

/** Joins a construct written over several lines into one (`[\n  1,\n  2\n]` → `[1, 2]`). */
const oneLine = (text: string) =>
  text.trim().replace(/([[({])?[ \t]*\r?\n\s*([\])}])?/g, (_m, a?: string, b?: string) => `${a ?? ""}${a || b ? "" : " "}${b ?? ""}`);

/** A Python expression without its trailing `# comment`. */
function withoutComment(expr: string): string {
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === "'" || c === '"') {
      const end = sticky(STRING, expr, i);
      if (end === undefined) return expr;
      i = end - 1;
    } else if (c === "#") return expr.slice(0, i).trimEnd();
  }
  return expr;
}

/** Whether a doctest line is a statement (an assignment, import, definition, print...), not an expression. */
function isStatement(expr: string): boolean {
  if (/^(?:import|from|def|class|for|while|if|with|try|del|assert|raise|return|pass|global|nonlocal|async|print\s*\()\b/.test(expr)) return true;
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === "'" || c === '"') {
      const end = sticky(STRING, expr, i);
      if (end === undefined) return true;
      i = end - 1;
    } else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "=" && depth === 0) {
      if (expr[i + 1] === "=") i++;
      else if (!"=!<>".includes(expr[i - 1] ?? "")) return true;
    }
  }
  return false;
}

/** Whether `expr` is one call (`f(1, 2)`, `m.f(x)`), safe to put before `==` or `-` without parentheses. */
const isCall = (expr: string) => {
  const open = /^[A-Za-z_][\w.]*\(/.exec(expr);
  return !!open && closing(expr, open[0].length - 1) === expr.length - 1;
};

function assertion(expr: string, expected: string, lit: Literal): string {
  const left = isCall(expr) ? expr : `(${expr})`;
  return lit.float ? `assert abs(${left} - ${expected.startsWith("-") ? `(${expected})` : expected}) < 1e-6` : `assert ${left} == ${expected}`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The doctest examples (`>>> expr` then its output); the lines they cover, so the inline pass leaves them alone. */
function doctests(lines: string[], entryPoint: string, covered: Set<number>): string[] {
  const out: string[] = [];
  const mentions = entryPoint ? new RegExp(`(?<![\\w.])${escape(entryPoint)}\\b`) : undefined;
  const defined: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = /^\s*>>>\s?(.*)$/.exec(lines[i]!);
    if (!first) continue;
    const start = i;
    const source = [first[1]!];
    while (i + 1 < lines.length && /^\s*\.\.\.(?:\s|$)/.test(lines[i + 1]!)) source.push(lines[++i]!.replace(/^\s*\.\.\.\s?/, ""));
    const output: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      const quote = line.search(/"""|'''/);
      const text = (quote >= 0 ? line.slice(0, quote) : line).trim();
      if (!text || text.startsWith(">>>")) break;
      output.push(text);
      i = j;
      if (quote >= 0) break;
    }
    const expr = withoutComment(oneLine(source.join("\n")));
    if (isStatement(expr)) {
      // Names it defines: a later example using them needs the statement, which is not a test; skip those.
      const names = /^(?:def|class)\s+(\w+)|^(?:from\s+\S+\s+)?import\s+(.+)$|^([\w\s,]+?)\s*[-+*/%&|^]?=(?!=)/.exec(expr);
      if (names) defined.push(...(names[1] ?? names[2] ?? names[3] ?? "").split(/[\s,]+/).filter((n) => /^\w+$/.test(n) && n !== "as"));
      continue;
    }
    if (!output.length) continue;
    for (let k = start; k <= i; k++) covered.add(k);
    if (!expr || (mentions && !mentions.test(expr))) continue;
    if (defined.some((n) => new RegExp(`(?<![\\w.])${escape(n)}\\b`).test(expr))) continue;
    const expected = oneLine(output.join("\n"));
    const lit = wholeLiteral(expected);
    if (lit) out.push(assertion(expr, expected, lit));
  }
  return out;
}

const ARROW = /[ \t]*(?:#[ \t]*)?(==>|==|=>|->|➞|→|should return|returns|=(?!=))[ \t]*/y;
/** What may come before an inline example's call on its line: `Example:`, `For example,`, a bullet, `>>>`. */
const PREFIX = /^(?:\s*(?:for\s+example|examples?|e\.g\.|for|>>>|[-*•]|\d+[.)])\s*[:,]?)*\s*$/i;

/** The inline examples: `entry_point(literals) <arrow> literal` on lines not covered by doctests. */
function inline(prompt: string, entryPoint: string, covered: Set<number>): string[] {
  if (!/^[A-Za-z_]\w*$/.test(entryPoint)) return [];
  const lineOf = (pos: number) => prompt.slice(0, pos).split("\n").length - 1;
  const found: { call: string; expected: string; lit: Literal; definitional: boolean }[] = [];
  let definition = false;
  for (const m of prompt.matchAll(new RegExp(`(?<![\\w.])${entryPoint}\\(`, "g"))) {
    const start = m.index!;
    const lineStart = prompt.lastIndexOf("\n", start - 1) + 1;
    if (!PREFIX.test(prompt.slice(lineStart, start)) || covered.has(lineOf(start))) continue;
    const open = start + entryPoint.length;
    const close = closing(prompt, open);
    if (close === undefined) continue;
    ARROW.lastIndex = close + 1;
    const arrowMatch = ARROW.exec(prompt);
    if (!arrowMatch) continue;
    const arrow = ARROW.lastIndex;
    const op = arrowMatch[1]!;
    const args = literalArguments(prompt, open);
    const lit = literal(prompt, arrow);
    let ok = args !== undefined && lit !== undefined;
    if (ok) {
      // After the value only a full stop, a comma or a comment, up to the line's end.
      const eol = prompt.indexOf("\n", lit!.end);
      const rest = prompt.slice(lit!.end, eol < 0 ? undefined : eol);
      ok = /^\s*[.,]?\s*(?:#.*)?$/.test(rest.replace(/("""|''').*$/, ""));
    }
    if (op === "=" && !ok) definition = true;
    if (!ok) continue;
    found.push({
      call: oneLine(prompt.slice(start, close + 1)),
      expected: oneLine(prompt.slice(arrow, lit!.end)),
      lit: lit!,
      definitional: op === "=",
    });
  }
  return found.filter((f) => !(f.definitional && definition)).map((f) => assertion(f.call, f.expected, f.lit));
}

/** The examples in `prompt`'s docstrings as assert lines (joined by "\n"), deduplicated; "" when there are none. */
export function docstringExamples(prompt: string, entryPoint: string): string {
  const lines = prompt.split("\n");
  const covered = new Set<number>();
  const asserts = [...doctests(lines, entryPoint.trim(), covered), ...inline(prompt, entryPoint.trim(), covered)];
  return [...new Set(asserts)].join("\n");
}
