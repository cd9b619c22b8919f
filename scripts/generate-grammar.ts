import { writeFileSync } from "node:fs";
import { TgParser } from "../src/syntax/parser.js";
import { renderCstTypes, renderDiagrams, renderEbnf } from "./grammar-artifacts.js";

const parser = new TgParser({ validate: true });
writeFileSync("grammar/tg.ebnf", renderEbnf(parser));
writeFileSync("grammar/diagrams.html", renderDiagrams(parser));
writeFileSync("src/syntax/cst.d.ts", renderCstTypes(parser));
console.log("wrote grammar/tg.ebnf, grammar/diagrams.html, src/syntax/cst.d.ts");
