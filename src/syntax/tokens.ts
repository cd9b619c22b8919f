// Tokens of the tg language. Keywords belong to the `AnyName` category so that option keys and data fields
// may be spelt like keywords (`data: train`, `ex.from`) without making them reserved there.
import { createToken, Lexer, type TokenType } from "chevrotain";

// Start-character hints spare the lexer from analysing each pattern at every start of the CLI.
const letters = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"];
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  start_chars_hint: letters,
  line_breaks: false,
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
    start_chars_hint: [word[0]!],
    line_breaks: false,
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
  start_chars_hint: ['"'],
  categories: [StringToken],
  line_breaks: true,
});
export const UnterminatedTripleString = createToken({
  name: "UnterminatedTripleString",
  pattern: /"""[\s\S]*/,
  start_chars_hint: ['"'],
  categories: [StringToken],
  line_breaks: true,
});
export const SimpleString = createToken({
  name: "SimpleString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  start_chars_hint: ['"'],
  line_breaks: false,
  categories: [StringToken],
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  start_chars_hint: ['"'],
  line_breaks: false,
  categories: [StringToken],
});

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  start_chars_hint: [..."0123456789"],
  line_breaks: false,
  label: "a number",
});

export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments", start_chars_hint: ["/"], line_breaks: false });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  start_chars_hint: ["/"],
  group: "comments",
  line_breaks: true,
});
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  start_chars_hint: ["/"],
  group: "comments",
  line_breaks: true,
});
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
  start_chars_hint: [" ", "\t", "\r", "\n", "\f", "\v", "\uFEFF"],
});

/** A punctuation token; its hints spare the lexer a regex analysis at start-up. */
function punct(name: string, text: string): TokenType {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"));
  return createToken({ name, pattern, label: `'${text}'`, start_chars_hint: [text[0]!], line_breaks: false });
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

/** Validation of the token definitions is done by the tests (`validatingLexer`), not at every start of the CLI. */
export const lexerConfig = { positionTracking: "full", ensureOptimizations: true } as const;
let lexer: Lexer | undefined;
/** The lexer, built on first use: building it costs milliseconds that `--help` should not pay. */
export function tgLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { ...lexerConfig, skipValidations: true });
  return lexer;
}
export const validatingLexer = () => new Lexer(allTokens, lexerConfig);
