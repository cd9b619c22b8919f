// Entry point of the bundled CLI (dist/tgc.js).
import { main } from "./main.js";

await main(process.argv.slice(2));
