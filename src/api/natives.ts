// An application's native functions: TypeScript implementations of `extern fn`s in a module the application names
// (`app/scoring`), keyed in the runtime's registry as the stdlib's are (`app/scoring.keyword_score`). The module's
// `.tg` interface is written from the definitions, so the declarations a program imports and the code that runs
// cannot disagree.
import { keywords } from "../syntax/tokens.js";
import { nativeKey, type NativeFunction, type NativeRegistry, type NativeResult } from "../runtime/natives.js";

/** What a native function returns, as its `extern fn` declares it: text, a score (`metric`) or a critique (`loss`). */
export type NativeReturns = "text" | "metric" | "loss";

/** The TypeScript value for each kind of result: a string, a number in [0, 1], or a critique with its size in [0, 1]. */
export type NativeValue<R extends NativeReturns> = R extends "text" ? string : R extends "metric" ? number : { readonly critique: string; readonly loss: number };

/** A native function's signature as the program sees it: its parameters (all text), what it returns, what it does. */
export interface NativeSignature<P extends readonly string[], R extends NativeReturns> {
  /** Parameter names, in order; every parameter is text. */
  readonly params: P;
  readonly returns: R;
  /** Shown by hover in editors and in the generated interface. */
  readonly doc?: string;
}

/** One native function, ready to be put in a module with {@link defineNatives}. */
export interface NativeDefinition {
  readonly name: string;
  readonly params: readonly string[];
  readonly returns: NativeReturns;
  readonly doc: string | undefined;
  readonly fn: NativeFunction;
}

/**
 * A module of native functions: its name (what programs import), the `.tg` interface written from the definitions,
 * and the implementations keyed as the runtime looks them up.
 */
export interface NativeModule {
  /** What programs import: `import { keyword_score } from "app/scoring"`. */
  readonly name: string;
  /** The module's `.tg` text: one `extern fn` per function. */
  readonly source: string;
  readonly natives: NativeRegistry;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const moduleName = /^[a-z][a-z0-9_-]*(\/[a-z_][a-z0-9_]*)+$/;

function checkName(name: string, what: string): void {
  if (!identifier.test(name) || keywords.includes(name)) {
    throw new TypeError(`${what} '${name}' is not a tg identifier (letters, digits and _, not a keyword)`);
  }
}

/**
 * Defines a native function: its signature as a program sees it and its implementation, which receives one string
 * per parameter and returns text, a score or a critique as `returns` says (possibly after awaiting something).
 *
 * @example
 * defineNative("keyword_score", { params: ["response", "keywords"], returns: "metric" }, (response, keywords) =>
 *   keywords.split(",").filter((k) => response.includes(k.trim())).length / keywords.split(",").length)
 */
export function defineNative<const P extends readonly string[], R extends NativeReturns>(
  name: string,
  signature: NativeSignature<P, R>,
  fn: (...args: { -readonly [K in keyof P]: string }) => NativeValue<R> | Promise<NativeValue<R>>,
): NativeDefinition {
  checkName(name, "a native function's name");
  for (const p of signature.params) checkName(p, `parameter of ${name}`);
  const call = fn as (...args: string[]) => NativeResult | Promise<NativeResult>;
  return { name, params: signature.params, returns: signature.returns, doc: signature.doc, fn: (args) => call(...args) };
}

/** A tg string literal holding `text`. */
const literal = (text: string) => `"${text.replace(/[\\"{}]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;

/**
 * Gathers native functions into a module programs import by `name`: a path of lower-case words such as
 * `app/scoring` (not `std/…`, which is the standard library's). Pass the module to `compile` (its `natives` option);
 * the program it compiles then runs with these implementations.
 */
export function defineNatives(name: string, functions: readonly NativeDefinition[]): NativeModule {
  if (!moduleName.test(name) || name.startsWith("std/")) {
    throw new TypeError(`'${name}' cannot name a native module: use a path of lower-case words like "app/scoring" (std/ is the standard library's)`);
  }
  const seen = new Set<string>();
  for (const f of functions) {
    if (seen.has(f.name)) throw new TypeError(`native module ${name} defines '${f.name}' twice`);
    seen.add(f.name);
  }
  const declarations = functions.map((f) => {
    const doc = f.doc === undefined ? "" : `\n  ${literal(f.doc)}`;
    return `extern fn ${f.name}(${f.params.map((p) => `${p}: text`).join(", ")}) -> ${f.returns}${doc}`;
  });
  const source = `// ${name}: native functions an application registers through tgc's TypeScript API.\n\n${declarations.join("\n\n")}\n`;
  return { name, source, natives: new Map(functions.map((f) => [nativeKey(name, f.name), f.fn])) };
}
