// Native parts of std/tools (declared in tools.tg): functions an agent may call.
import type { NativeFunction } from "../src/runtime/natives.js";

/**
 * Arithmetic on decimal numbers with + - * / and parentheses, by recursive descent (never `eval`). A mistake is an
 * error that says where it is and what was expected, so an agent reading it can correct its call.
 */
export function calculate(expression: string): number {
  const src = expression;
  let i = 0;
  const space = () => {
    while (src[i] === " ") i++;
  };
  const fail = (what: string): never => {
    const found = i < src.length ? `'${src[i]}' at position ${i + 1}` : "the end";
    const hint = /[x×]/i.test(src[i] ?? "") ? "; write * to multiply" : src[i] === "^" ? "; powers are not supported" : "";
    throw new Error(`expected ${what}, found ${found}${hint}`);
  };
  const number = (): number => {
    space();
    if (src[i] === "(") {
      i++;
      const v = sum();
      space();
      if (src[i] !== ")") fail("')'");
      i++;
      return v;
    }
    if (src[i] === "-") {
      i++;
      return -number();
    }
    const m = /^\d+(?:\.\d+)?|^\.\d+/.exec(src.slice(i));
    if (!m) return fail("a number or '('");
    i += m[0].length;
    return Number(m[0]);
  };
  const product = (): number => {
    let v = number();
    for (space(); src[i] === "*" || src[i] === "/"; space()) {
      const op = src[i++];
      const r = number();
      if (op === "/" && r === 0) throw new Error("division by zero");
      v = op === "*" ? v * r : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    for (space(); src[i] === "+" || src[i] === "-"; space()) v = src[i++] === "+" ? v + product() : v - product();
    return v;
  };
  const v = sum();
  space();
  if (i < src.length) fail("an operator (+ - * /)");
  // Rounded to what a money sum needs, without binary fractions like 10.000000000000002.
  return Number(v.toFixed(10));
}

export const tools: Record<string, NativeFunction> = {
  calculate: ([expression]) => String(calculate(expression ?? "")),
};
