// The lexer: source text → tokens, comments and unexpected characters, in one pass over the characters.
// `tokens.ts` defines each token by its pattern, and those definitions are the lexical grammar. This scanner is their
// hand-written equivalent: it dispatches on the first character instead of trying patterns in turn, and builds no
// lexer at start-up, which together cost a cold `tgc check` tens of milliseconds. Its output must equal that of a
// Chevrotain lexer built from `tokens.ts`; test/syntax/lexer.test.ts holds the two equal on every program in the
// repository and on thousands of mutated ones.
import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

/** Characters no token can start with, dropped together as one error, as Chevrotain's lexer does. */
export interface LexError {
  readonly offset: number;
  readonly length: number;
}

export interface Lexed {
  /** The tokens the parser reads: everything but whitespace and comments. */
  readonly tokens: IToken[];
  /** Line, block and unterminated block comments, in order. */
  readonly comments: IToken[];
  readonly errors: LexError[];
}

const keywordTypes = new Map<string, TokenType>(T.keywordTokens.map((t) => [t.name.toLowerCase(), t]));

/** A token's own pattern, anchored where the scan is: the multi-character forms are matched by their definitions. */
const sticky = (t: TokenType) => new RegExp((t.PATTERN as RegExp).source, "y");
const NUMBER = sticky(T.NumberLiteral);
/** In the order `tokens.ts` lists them: the first that matches wins, and the last matches any `"`. */
const STRINGS: readonly (readonly [RegExp, TokenType])[] = [T.TripleString, T.UnterminatedTripleString, T.SimpleString, T.UnterminatedString].map(
  (t) => [sticky(t), t] as const,
);

const punctuation: (TokenType | undefined)[] = [];
for (const t of [T.LBrace, T.RBrace, T.LParen, T.RParen, T.LBracket, T.RBracket, T.Comma, T.Semicolon, T.Colon, T.Equals, T.Dot, T.Plus, T.Star]) {
  punctuation[(t.PATTERN as RegExp).source.replace(/^\\/, "").charCodeAt(0)] = t;
}

const QUOTE = 34; // "
const SLASH = 47; // /
const STAR = 42; // *
const MINUS = 45; // -
const GREATER = 62; // >
const CR = 13;
const LF = 10;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xfeff; // space, \t \n \v \f \r, BOM
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNamePart = (c: number) => isNameStart(c) || isDigit(c);

/** Whether some token can start at `i`: where a run of unexpected characters ends. */
function canStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isSpace(c) || isNameStart(c) || isDigit(c) || c === QUOTE || c === MINUS || punctuation[c] !== undefined) return true;
  const next = text.charCodeAt(i + 1);
  return c === SLASH && (next === SLASH || next === STAR);
}

const token = (tokenType: TokenType, image: string, startOffset: number): IToken => ({
  image,
  startOffset,
  endOffset: startOffset + image.length - 1,
  tokenTypeIdx: tokenType.tokenTypeIdx!,
  tokenType,
});

export function lex(text: string): Lexed {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: LexError[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNamePart(text.charCodeAt(j))) j++;
      const image = text.slice(i, j);
      tokens.push(token(keywordTypes.get(image) ?? T.Identifier, image, i));
      i = j;
    } else if (isDigit(c)) {
      NUMBER.lastIndex = i;
      const image = NUMBER.exec(text)![0];
      tokens.push(token(T.NumberLiteral, image, i));
      i += image.length;
    } else if (c === QUOTE) {
      for (const [pattern, type] of STRINGS) {
        pattern.lastIndex = i;
        const m = pattern.exec(text);
        if (m) {
          tokens.push(token(type, m[0], i));
          i += m[0].length;
          break;
        }
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR) j++;
      comments.push(token(T.LineComment, text.slice(i, j), i));
      i = j;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf("*/", i + 2);
      const j = close < 0 ? n : close + 2;
      comments.push(token(close < 0 ? T.UnterminatedComment : T.BlockComment, text.slice(i, j), i));
      i = j;
    } else if (c === MINUS) {
      const arrow = text.charCodeAt(i + 1) === GREATER;
      tokens.push(token(arrow ? T.Arrow : T.Minus, arrow ? "->" : "-", i));
      i += arrow ? 2 : 1;
    } else if (punctuation[c] !== undefined) {
      tokens.push(token(punctuation[c]!, text[i]!, i));
      i++;
    } else {
      const start = i;
      i++;
      while (i < n && !canStart(text, i)) i++;
      errors.push({ offset: start, length: i - start });
    }
  }
  return { tokens, comments, errors };
}
