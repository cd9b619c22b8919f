// Tokens of the tg language, each defined by its pattern: these definitions are the lexical grammar, which
// `lexer.ts` scans by hand (test/syntax/lexer.test.ts checks it against a Chevrotain lexer built from them).
// Keywords belong to the `AnyName` category so that option keys and data fields
// may be spelt like keywords (`data: train`, `ex.from`) without making them reserved there.
import { createToken, Lexer, type TokenType } from "chevrotain";

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
});
export const AnyName = createToken({ name: "AnyName", pattern: Lexer.NA });
Identifier.CATEGORIES?.push(AnyName);

const keywordList: TokenType[] = [];
function keyword(word: string): TokenType {
  const t = createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(`${word}\\b`),
    longer_alt: Identifier,
    categories: [AnyName],
    label: `'${word}'`,
  });
  keywordList.push(t);
  return t;
}

export const Import = keyword("import");
export const From = keyword("from");
export const Engine = keyword("engine");
export const Trainable = keyword("trainable");
export const Frozen = keyword("frozen");
export const Data = keyword("data");
export const Split = keyword("split");
export const Corpus = keyword("corpus");
export const Retrieve = keyword("retrieve");
export const Agent = keyword("agent");
export const Fn = keyword("fn");
export const Extern = keyword("extern");
export const Let = keyword("let");
export const Loss = keyword("loss");
export const Optimize = keyword("optimize");
export const Using = keyword("using");
export const Validate = keyword("validate");
export const By = keyword("by");
export const Keep = keyword("keep");
export const Call = keyword("call");
export const Rubric = keyword("rubric");
export const On = keyword("on");
export const Given = keyword("given");
export const Unless = keyword("unless");
export const True = keyword("true");
export const False = keyword("false");

/** Any string literal; the unterminated forms are reported by the parser and parsed as strings. */
export const StringToken = createToken({ name: "StringToken", pattern: Lexer.NA, label: "a string" });
export const TripleString = createToken({
  name: "TripleString",
  pattern: /"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""/,
  categories: [StringToken],
});
export const UnterminatedTripleString = createToken({
  name: "UnterminatedTripleString",
  pattern: /"""[\s\S]*/,
  categories: [StringToken],
});
export const SimpleString = createToken({
  name: "SimpleString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringToken],
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringToken],
});

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: "a number",
});

export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
});
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "comments",
});
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
});

/** A punctuation token: its text, escaped. */
function punct(name: string, text: string): TokenType {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"));
  return createToken({ name, pattern, label: `'${text}'` });
}

export const Arrow = punct("Arrow", "->");
export const LBrace = punct("LBrace", "{");
export const RBrace = punct("RBrace", "}");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const Comma = punct("Comma", ",");
export const Semicolon = punct("Semicolon", ";");
export const Colon = punct("Colon", ":");
export const Equals = punct("Equals", "=");
export const Dot = punct("Dot", ".");
export const Plus = punct("Plus", "+");
export const Star = punct("Star", "*");
export const Minus = punct("Minus", "-");

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  TripleString,
  UnterminatedTripleString,
  SimpleString,
  UnterminatedString,
  NumberLiteral,
  Arrow,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Semicolon,
  Colon,
  Equals,
  Dot,
  Plus,
  Star,
  Minus,
  ...keywordList,
  Identifier,
  AnyName,
  StringToken,
];

export const keywords: readonly string[] = keywordList.map((t) => t.name.toLowerCase());
export const keywordTokens: readonly TokenType[] = keywordList;
