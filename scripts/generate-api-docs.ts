import { writeFileSync } from "node:fs";
import { renderApiReference } from "./api-doc.js";

writeFileSync("docs/api-reference.md", renderApiReference());
console.log("wrote docs/api-reference.md");
