import { writeFileSync } from "node:fs";
import { renderPromptsDoc } from "./prompts-doc.js";

writeFileSync("docs/prompts.md", renderPromptsDoc());
console.log("wrote docs/prompts.md");
