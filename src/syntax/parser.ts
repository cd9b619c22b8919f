// The tg grammar as a Chevrotain CST parser. Rules are class properties, so a misspelt rule is a type error.
// `grammar/tg.ebnf`, `grammar/diagrams.html` and `cst.d.ts` are generated from this class (`npm run grammar`).
import { CstParser, type IOrAlt, type IRecognitionException, type OrMethodOpts, type TokenType } from "chevrotain";
import { MAX_PARSE_ERRORS } from "./limits.js";
import { syntaxMessages } from "./messages.js";
import * as T from "./tokens.js";

/** The keywords a declaration starts with. */
export const declarationStarts: ReadonlySet<TokenType> = new Set([
  T.Import, T.Engine, T.Trainable, T.Frozen, T.Data, T.Split, T.Corpus, T.Fn, T.Extern, T.Loss, T.Optimize,
]);

/** Thrown out of a parse that reached MAX_PARSE_ERRORS. */
export class TooManySyntaxErrors extends Error {}

/** Chevrotain records each syntax error through this method; it is not in Chevrotain's typings. */
const saveError = (CstParser.prototype as unknown as { SAVE_ERROR(this: CstParser, e: IRecognitionException): IRecognitionException }).SAVE_ERROR;

export class TgParser extends CstParser {
  /**
   * Each alternation's list of alternatives, built on its first use and reused: written inline, a rule would build
   * the list (an object and a closure per alternative) every time it runs, for the garbage collector to sweep.
   */
  private readonly alternatives: {
    declaration?: IOrAlt<unknown>[];
    variableKind?: IOrAlt<unknown>[];
    optimizeEntry?: OrMethodOpts<unknown>;
    operator?: IOrAlt<unknown>[];
    primary?: IOrAlt<unknown>[];
    labeledGroup?: IOrAlt<unknown>[];
  } = {};

  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left recursion). They cost tens of milliseconds at
   * every start, so the CLI skips them; the tests and `npm run grammar` construct a validating parser.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokens, {
      skipValidations: !options.validate,
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: syntaxMessages,
    });
    this.performSelfAnalysis();
  }

  /**
   * Whether the entries of a `{ … }` or `( … )` block go on. Not when the next tokens start a declaration: a declaration
   * keyword not followed by ':' (a key spelt like a keyword is followed by one) cannot be an entry, so the block's
   * closing bracket is missing. Ending the block there lets recovery supply the bracket and parse what follows as the
   * declarations they are; without it one missing `}` swallowed the rest of the file as a flood of entries. Valid
   * programs parse as before: the gate only closes blocks that would have been errors.
   */
  private readonly entriesGoOn = () => !(declarationStarts.has(this.LA(1).tokenType) && this.LA(2).tokenType !== T.Colon);

  /**
   * Every syntax error passes here, so this is where a hopeless parse stops. A text that is no program (a Markdown
   * page, a data file) made 40,000 errors in 600 KB and 15 s of recovery, of which 50 are shown.
   */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (this.errors.length >= MAX_PARSE_ERRORS) throw new TooManySyntaxErrors();
    return saveError.call(this, error);
  }

  program = this.RULE("program", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE("declaration", () => {
    this.OR((this.alternatives.declaration ??= [
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.engineDecl) },
      { ALT: () => this.SUBRULE(this.variableDecl) },
      { ALT: () => this.SUBRULE(this.dataDecl) },
      { ALT: () => this.SUBRULE(this.splitDecl) },
      { ALT: () => this.SUBRULE(this.corpusDecl) },
      { ALT: () => this.SUBRULE(this.fnDecl) },
      { ALT: () => this.SUBRULE(this.externFnDecl) },
      { ALT: () => this.SUBRULE(this.lossDecl) },
      { ALT: () => this.SUBRULE(this.optimizeDecl) },
    ]));
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.LBrace);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.RBrace);
    this.CONSUME(T.From);
    this.CONSUME(T.StringToken);
  });

  engineDecl = this.RULE("engineDecl", () => {
    this.CONSUME(T.Engine);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier);
    this.SUBRULE(this.argList);
    this.OPTION(() => this.SUBRULE(this.entryBlock));
  });

  variableDecl = this.RULE("variableDecl", () => {
    this.OR((this.alternatives.variableKind ??= [{ ALT: () => this.CONSUME(T.Trainable) }, { ALT: () => this.CONSUME(T.Frozen) }]));
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.CONSUME(T.Colon);
    this.CONSUME(T.StringToken);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  dataDecl = this.RULE("dataDecl", () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier);
    this.SUBRULE(this.argList);
    this.OPTION(() => this.SUBRULE(this.fieldBlock));
  });

  corpusDecl = this.RULE("corpusDecl", () => {
    this.CONSUME(T.Corpus);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Identifier);
    this.SUBRULE(this.argList);
    this.OPTION(() => this.SUBRULE(this.entryBlock));
  });

  splitDecl = this.RULE("splitDecl", () => {
    this.CONSUME(T.Split);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.entryBlock);
  });

  fieldBlock = this.RULE("fieldBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: this.entriesGoOn,
      DEF: () => {
        this.SUBRULE(this.field);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  field = this.RULE("field", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef);
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.StringToken);
    });
  });

  fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.paramList);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.typeRef);
    });
    // What the function does, for an agent that may call it as a tool.
    this.OPTION2(() => this.CONSUME(T.StringToken));
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.letBinding));
    this.SUBRULE(this.expression);
    this.CONSUME(T.RBrace);
  });

  letBinding = this.RULE("letBinding", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  externFnDecl = this.RULE("externFnDecl", () => {
    this.CONSUME(T.Extern);
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.paramList);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.typeRef);
    this.OPTION(() => this.CONSUME(T.StringToken));
  });

  lossDecl = this.RULE("lossDecl", () => {
    this.CONSUME(T.Loss);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  optimizeDecl = this.RULE("optimizeDecl", () => {
    this.CONSUME(T.Optimize);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.Using);
    this.CONSUME3(T.Identifier);
    this.SUBRULE(this.namedArgList);
    this.CONSUME(T.LBrace);
    this.MANY2({
      GATE: this.entriesGoOn,
      DEF: () => {
        // `validate` is also a name, so an ordinary entry could start with it: the validate form wins.
        this.OR2(
          (this.alternatives.optimizeEntry ??= {
            IGNORE_AMBIGUITIES: true,
            DEF: [{ ALT: () => this.SUBRULE(this.validateEntry) }, { ALT: () => this.SUBRULE(this.entry) }],
          }),
        );
        this.OPTION(() => this.CONSUME2(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  validateEntry = this.RULE("validateEntry", () => {
    this.CONSUME(T.Validate);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.By);
    this.SUBRULE(this.expression);
    this.OPTION({
      GATE: () => this.LA(1).tokenType === T.Comma && this.LA(2).tokenType === T.Keep,
      DEF: () => {
        this.CONSUME(T.Comma);
        this.CONSUME(T.Keep);
        this.CONSUME2(T.Identifier);
      },
    });
  });

  paramList = this.RULE("paramList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
    });
    this.CONSUME(T.RParen);
  });

  param = this.RULE("param", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
  });

  /** A type name; `loss` and `engine` are keywords elsewhere but name types here. */
  typeRef = this.RULE("typeRef", () => {
    this.CONSUME(T.AnyName);
  });

  /** `{ key: value, key: value }`; commas between entries are optional, so blocks read well one per line. */
  entryBlock = this.RULE("entryBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: this.entriesGoOn,
      DEF: () => {
        this.SUBRULE(this.entry);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RBrace);
  });

  entry = this.RULE("entry", () => {
    this.CONSUME(T.AnyName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });

  argList = this.RULE("argList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(T.RParen);
  });

  namedArgList = this.RULE("namedArgList", () => {
    this.CONSUME(T.LParen);
    this.MANY({
      GATE: this.entriesGoOn,
      DEF: () => {
        this.SUBRULE(this.entry);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RParen);
  });

  /** Comma-separated expressions with an optional trailing comma before `)` or `]`. */
  expressionList = this.RULE("expressionList", () => {
    this.SUBRULE(this.expression);
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.RParen && this.LA(2).tokenType !== T.RBracket,
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      },
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
  });

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.chain);
    this.OPTION(() => {
      this.CONSUME(T.Unless);
      this.SUBRULE2(this.chain);
    });
  });

  /**
   * Operands joined by `+` and `*`, each operand a primary with `.field` accesses. One flat rule rather than a rule
   * per precedence level: a program is mostly atoms, and each level of rules would give every atom a CST node.
   * The AST builder applies precedence (`*` before `+`).
   */
  chain = this.RULE("chain", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.AnyName);
    });
    this.MANY2(() => {
      this.OR((this.alternatives.operator ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Star) }]));
      this.SUBRULE2(this.primary);
      this.MANY3(() => {
        this.CONSUME2(T.Dot);
        this.CONSUME2(T.AnyName);
      });
    });
  });

  primary = this.RULE("primary", () => {
    this.OR((this.alternatives.primary ??= [
      { ALT: () => this.CONSUME(T.StringToken) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.NumberLiteral);
        },
      },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.SUBRULE(this.listExpr) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.llmCall) },
      { ALT: () => this.SUBRULE(this.agentCall) },
      { ALT: () => this.SUBRULE(this.retrieveExpr) },
      { ALT: () => this.SUBRULE(this.rubricExpr) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION2(() => this.SUBRULE(this.argList));
        },
      },
    ]));
  });

  listExpr = this.RULE("listExpr", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(T.RBracket);
  });

  parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  llmCall = this.RULE("llmCall", () => {
    this.CONSUME(T.Call);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.entryBlock);
  });

  /** `agent student { system: …, user: …, tools: [a, b], max_steps: 6 }`: a loop of tool calls. */
  agentCall = this.RULE("agentCall", () => {
    this.CONSUME(T.Agent);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.entryBlock);
  });

  /** `retrieve(corpus, query, k)`: the k passages of a corpus that best match the query. */
  retrieveExpr = this.RULE("retrieveExpr", () => {
    this.CONSUME(T.Retrieve);
    this.CONSUME(T.LParen);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Comma);
    this.SUBRULE(this.expression);
    this.CONSUME2(T.Comma);
    this.SUBRULE2(this.expression);
    this.CONSUME(T.RParen);
  });

  rubricExpr = this.RULE("rubricExpr", () => {
    this.CONSUME(T.Rubric);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.On);
    this.SUBRULE(this.labeledGroup);
    this.OPTION(() => {
      this.CONSUME(T.Given);
      this.SUBRULE2(this.labeledGroup);
    });
    this.CONSUME(T.StringToken);
  });

  /** What a rubric reads: `answer`, `a, b`, or `{ plan: p, code: c }` with labels. */
  labeledGroup = this.RULE("labeledGroup", () => {
    this.OR((this.alternatives.labeledGroup ??= [
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.MANY({
            GATE: this.entriesGoOn,
            DEF: () => {
              this.SUBRULE(this.entry);
              this.OPTION(() => this.CONSUME(T.Comma));
            },
          });
          this.CONSUME(T.RBrace);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.chain);
          this.MANY2(() => {
            this.CONSUME2(T.Comma);
            this.SUBRULE2(this.chain);
          });
        },
      },
    ]));
  });
}

/** One parser instance serves every parse: Chevrotain parsers are reusable and costly to construct. */
let shared: TgParser | undefined;
export function sharedParser(): TgParser {
  shared ??= new TgParser();
  return shared;
}
