// Derives the grammar's published forms from the parser itself, so they can never drift from it:
// the EBNF (`grammar/tg.ebnf`), railroad diagrams (`grammar/diagrams.html`) and typed CST interfaces
// (`src/syntax/cst.d.ts`). `npm run grammar` writes them; a test checks the committed copies are current.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  Alternation,
  Alternative,
  createSyntaxDiagramsCode,
  generateCstDts,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  tokenLabel,
  type IProduction,
} from "chevrotain";
import { TgParser } from "../src/syntax/parser.js";

function ebnfOf(p: IProduction): string {
  if (p instanceof Terminal) {
    const label = tokenLabel(p.terminalType);
    return label.startsWith("'") ? label.replace(/^'(.*)'$/, '"$1"') : p.terminalType.name;
  }
  if (p instanceof NonTerminal) return p.nonTerminalName;
  if (p instanceof Alternation) return `( ${p.definition.map(ebnfOf).join(" | ")} )`;
  if (p instanceof Alternative) return seq(p.definition);
  if (p instanceof Option) return `[ ${seq(p.definition)} ]`;
  if (p instanceof Repetition) return `{ ${seq(p.definition)} }`;
  if (p instanceof RepetitionMandatory) return `${seq(p.definition)} { ${seq(p.definition)} }`;
  if (p instanceof RepetitionWithSeparator || p instanceof RepetitionMandatoryWithSeparator) {
    const sep = ebnfOf(new Terminal({ terminalType: p.separator }));
    return `${seq(p.definition)} { ${sep} ${seq(p.definition)} }`;
  }
  throw new Error(`unhandled production ${p.constructor.name}`);
}

const seq = (ps: readonly IProduction[]) => ps.map(ebnfOf).join(" ");

const lexical = String.raw`
(* Lexical grammar. Whitespace separates tokens and is otherwise ignored; so are comments. *)
Identifier   = letter , { letter | digit | "_" } ;          (* letter includes "_" *)
NumberLiteral = digit , { digit } , [ "." , digit , { digit } ] , [ ( "e" | "E" ) , [ "+" | "-" ] , digit , { digit } ] ;
StringToken  = '"' , { char - ( '"' | newline ) | escape } , '"'
             | '"""' , { any char - '"""' | escape } , '"""' ;   (* dedented; see docs/language.md *)
escape       = "\\" , ( "n" | "r" | "t" | '"' | "\\" | "{" | "}" ) ;
interpolation = "{" , Identifier , { "." , Identifier } , "}" ;   (* inside strings *)
AnyName      = Identifier | keyword ;                      (* option keys and data fields may be keywords *)
comment      = "//" , { char - newline } | "/*" , { any char } , "*/" ;
`;

export function renderEbnf(parser: TgParser): string {
  const rules = parser.getGAstProductions();
  const lines = [
    "(* The tg grammar, generated from src/syntax/parser.ts by `npm run grammar`. Do not edit by hand. *)",
    "(* Notation: [ x ] optional, { x } zero or more, ( a | b ) choice, \"x\" literal token. *)",
    "",
  ];
  for (const [name, rule] of Object.entries(rules) as [string, Rule][]) {
    lines.push(`${name} = ${seq(rule.definition)} ;`);
  }
  return lines.join("\n") + "\n" + lexical;
}

export function renderDiagrams(parser: TgParser): string {
  // chevrotain's exports map hides package.json; its entry lives at lib/src/api.js.
  const entry = createRequire(import.meta.url).resolve("chevrotain");
  const base = join(dirname(entry), "..", "..", "diagrams");
  const html = createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
    resourceBase: "RESOURCE/",
    css: "RESOURCE/diagrams.css",
  });
  // Inline the renderer so the page works offline and from any folder.
  return html
    .replace(/<link rel='stylesheet' href='RESOURCE\/diagrams.css'>/, () => {
      return `<style>\n${readFileSync(join(base, "diagrams.css"), "utf8")}\n</style>`;
    })
    .replace(/<script src='RESOURCE\/([^']+)'><\/script>/g, (_m, file: string) => {
      return `<script>\n${readFileSync(join(base, file), "utf8")}\n</script>`;
    })
    .replace("<!-- This is a generated file -->", "<!-- Generated from src/syntax/parser.ts by `npm run grammar`. -->")
    .replace(/[ \t]+$/gm, "");
}

export function renderCstTypes(parser: TgParser): string {
  return (
    "// Generated from src/syntax/parser.ts by `npm run grammar`. Do not edit by hand.\n" +
    generateCstDts(parser.getGAstProductions(), { includeVisitorInterface: false })
  );
}
