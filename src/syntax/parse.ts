// The syntax stage's entry: source text → { program, diagnostics }. Never throws on any input.
import type { IRecognitionException, IToken } from "chevrotain";
import { diagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceText } from "../diagnostics/source.js";
import type { Comment, Program } from "./ast.js";
import { AstBuilder } from "./cst-to-ast.js";
import type { ProgramCstNode } from "./cst.js";
import { lex } from "./lexer.js";
import { closerExpected } from "./messages.js";
import { MAX_NESTING, MAX_PARSE_ERRORS, MAX_SYNTAX_DIAGNOSTICS } from "./limits.js";
import { declarationStarts, sharedParser, TooManySyntaxErrors } from "./parser.js";
import * as T from "./tokens.js";

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
}

function nestingError(tokens: readonly IToken[], file: string): Diagnostic | undefined {
  let depth = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.LParen || type === T.LBrace || type === T.LBracket) {
      if (++depth > MAX_NESTING) {
        return diagnostic("TG1007", `brackets nest deeper than ${MAX_NESTING} levels`, {
          file,
          start: t.startOffset,
          end: t.startOffset + 1,
        });
      }
    } else if (type === T.RParen || type === T.RBrace || type === T.RBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/**
 * A NUL byte never occurs in text, so a file holding one is binary (an executable, an archive, a UTF-16 file): lexed, it
 * would give pages of unexpected characters that hide the one thing to say.
 */
function notText(text: string, file: string): Diagnostic | undefined {
  const at = text.indexOf("\u0000");
  if (at < 0) return undefined;
  const { line, column } = new SourceText(file, text).position(at);
  return diagnostic("TG1008", `this is not a text program: it contains a NUL byte at ${line}:${column}`, { file, start: at, end: at + 1 }, {
    hint: "tgc reads programs as UTF-8 text; is this a binary file, or one saved as UTF-16?",
  });
}

export function parse(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const empty: Program = { kind: "Program", file, declarations: [], comments: [], range: { file, start: 0, end: text.length } };
  const binary = notText(text, file);
  if (binary) return { program: empty, diagnostics: [binary] };
  const lexed = lex(text);
  for (const e of lexed.errors) {
    diagnostics.push(
      diagnostic("TG1003", `unexpected character '${text.slice(e.offset, e.offset + e.length).slice(0, 10)}'`, {
        file,
        start: e.offset,
        end: e.offset + e.length,
      }),
    );
  }
  const comments: Comment[] = lexed.comments.map((t) => {
    if (t.tokenType === T.UnterminatedComment) {
      diagnostics.push(
        diagnostic("TG1004", "unterminated comment: add the closing */", { file, start: t.startOffset, end: t.startOffset + 2 }),
      );
    }
    return {
      kind: "Comment",
      text: t.image,
      block: t.tokenType !== T.LineComment,
      range: { file, start: t.startOffset, end: t.startOffset + t.image.length },
    };
  });

  const tooDeep = nestingError(lexed.tokens, file);
  if (tooDeep) return { program: { ...empty, comments }, diagnostics: sortDiagnostics([...diagnostics, tooDeep]) };

  const parser = sharedParser();
  let program: Program;
  let stopped = false;
  const builder = new AstBuilder(file);
  try {
    parser.input = lexed.tokens;
    const cst = parser.program() as ProgramCstNode;
    diagnostics.push(...syntaxErrors(parser.errors, lexed.tokens, text, file));
    program = builder.program(cst, text.length, comments);
    diagnostics.push(...builder.diagnostics);
  } catch (e) {
    if (e instanceof TooManySyntaxErrors) {
      diagnostics.push(...syntaxErrors(parser.errors, lexed.tokens, text, file));
      stopped = true;
      program = { ...empty, comments };
    } else {
      // Otherwise only exhaustion of the stack can get here (nesting without brackets, e.g. rubric in rubric in …).
      if (!(e instanceof RangeError)) throw e;
      diagnostics.push(diagnostic("TG1007", "the program nests too deeply to parse", { file, start: 0, end: Math.min(1, text.length) }));
      program = { ...empty, comments };
    }
  } finally {
    parser.input = [];
  }
  return { program, diagnostics: capped(sortDiagnostics(diagnostics), file, stopped) };
}

/**
 * Parser errors as diagnostics, each placed where the fix goes. When what was found is the end of the file, or a
 * declaration starting on a later line, the declaration before it is unfinished: the error points just after its
 * last token (where the missing `}` or string belongs), which also keeps the error inside that declaration rather
 * than the next, intact one (check/index.ts drops the checker's findings inside a declaration with a syntax error).
 * When a closing bracket is missing, the message names the line of the bracket it would close, and a note points at it.
 */
function syntaxErrors(errors: readonly IRecognitionException[], tokens: readonly IToken[], text: string, file: string): Diagnostic[] {
  const placed = errors.map((e) => {
    const t = e.token;
    const previous = (e as { previousToken?: IToken }).previousToken;
    const atEnd = Number.isNaN(t.startOffset);
    const prevEnd = previous && !Number.isNaN(previous.endOffset ?? NaN) ? previous.endOffset! + 1 : undefined;
    const unfinished =
      atEnd || (prevEnd !== undefined && declarationStarts.has(t.tokenType) && text.slice(prevEnd, t.startOffset).includes("\n"));
    const at = unfinished ? (prevEnd ?? text.length) : t.startOffset;
    const end = unfinished ? at : (t.endOffset ?? at) + 1;
    const range = { file, start: at, end: Math.max(end, at + (at < text.length ? 1 : 0)) };
    return { message: e.message, range, closer: closerExpected(e.message), before: atEnd ? text.length : t.startOffset };
  });
  const openers = unclosed(tokens, placed.filter((p) => p.closer !== undefined));
  let source: SourceText | undefined;
  return placed.map((p) => {
    const opener = openers.get(p);
    if (!p.closer || !opener) return diagnostic("TG1001", p.message, p.range);
    const { line } = (source ??= new SourceText(file, text)).position(opener.startOffset);
    const message = p.message.replace(/^expected '.'/, `expected '${p.closer}' to close the '${opener.image}' on line ${line}`);
    return diagnostic("TG1001", message, p.range, {
      related: [{ message: `the '${opener.image}' that is not closed`, range: { file, start: opener.startOffset, end: opener.startOffset + 1 } }],
    });
  });
}

type Closer = ")" | "}" | "]";
const openerOf = { ")": "(", "}": "{", "]": "[" } as const;

/**
 * For each query, the innermost bracket of the kind its closer closes that is still open before its offset. One pass
 * over the tokens answers them all, so a file with thousands of errors is not scanned once per error.
 */
function unclosed<Q extends { readonly closer?: Closer; readonly before: number }>(tokens: readonly IToken[], queries: readonly Q[]): Map<Q, IToken> {
  const answers = new Map<Q, IToken>();
  const sorted = [...queries].sort((a, b) => a.before - b.before);
  const open: IToken[] = [];
  const innermost = (image: string) => {
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.image === image) return i;
    return -1;
  };
  let next = 0;
  const answerUpTo = (offset: number) => {
    for (; next < sorted.length && sorted[next]!.before <= offset; next++) {
      const q = sorted[next]!;
      const i = innermost(openerOf[q.closer!]);
      if (i >= 0) answers.set(q, open[i]!);
    }
  };
  for (const t of tokens) {
    answerUpTo(t.startOffset);
    if (next === sorted.length) break;
    const image = t.image;
    if (image === "(" || image === "{" || image === "[") open.push(t);
    else if (image === ")" || image === "}" || image === "]") {
      // A closer ends the innermost bracket of its kind, and any left open inside it.
      const i = innermost(openerOf[image]);
      if (i >= 0) open.length = i;
    }
  }
  answerUpTo(Infinity);
  return answers;
}

/** The first syntax errors, and one more that counts the rest and says whether the parse gave up. */
function capped(diagnostics: Diagnostic[], file: string, stopped: boolean): Diagnostic[] {
  if (diagnostics.length <= MAX_SYNTAX_DIAGNOSTICS) return diagnostics;
  const kept = diagnostics.slice(0, MAX_SYNTAX_DIAGNOSTICS);
  const last = kept[kept.length - 1]!;
  const rest = `${diagnostics.length - MAX_SYNTAX_DIAGNOSTICS} more syntax errors not shown`;
  kept.push(
    diagnostic("TG1001", stopped ? `${rest}, and parsing stopped after ${MAX_PARSE_ERRORS}: is this a tg program?` : rest, {
      file,
      start: last.range.start,
      end: last.range.end,
    }),
  );
  return kept;
}
