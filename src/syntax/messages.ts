// Syntax error messages in the user's terms: "expected ')', found 'optimize'", not token type names.
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

const ruleDescriptions: Record<string, string> = {
  declaration: "a declaration (import, engine, trainable, frozen, data, split, corpus, fn, extern, loss or optimize)",
  primary: "an expression",
  expression: "an expression",
  labeledGroup: "what the rubric evaluates",
  variableDecl: "'trainable' or 'frozen'",
};

function describe(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  const image = token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image;
  return `'${image.replace(/\n/g, "\\n")}'`;
}

function label(t: TokenType): string {
  if (t.name === "EOF") return ruleDescriptions.declaration!;
  if (t === T.Identifier || t === T.AnyName) return "a name";
  if (t === T.StringToken) return "a string";
  if (t === T.NumberLiteral) return "a number";
  return t.LABEL ?? t.name;
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${label(expected)}, found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `expected ${ruleDescriptions.declaration}, found ${describe(firstRedundant)}`,
  buildNoViableAltMessage: ({ actual, ruleName }) =>
    `expected ${ruleDescriptions[ruleName] ?? `a ${ruleName}`}, found ${describe(actual[0]!)}`,
  buildEarlyExitMessage: ({ actual, ruleName }) =>
    `expected ${ruleDescriptions[ruleName] ?? `a ${ruleName}`}, found ${describe(actual[0]!)}`,
};

/**
 * The closing bracket a syntax error message says is expected, if it says one: the message is all Chevrotain's
 * exception keeps of what was expected, and it is built above as `expected '}', found …`.
 */
export function closerExpected(message: string): ")" | "}" | "]" | undefined {
  const m = /^expected '([)}\]])', found /.exec(message);
  return m ? (m[1] as ")" | "}" | "]") : undefined;
}
