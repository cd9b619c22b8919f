import { join } from "node:path";
import { serveStdio } from "../../lsp/index.js";
import { packageRoot } from "../host.js";

/** `tgc lsp`: the language server over stdio, with `std/` read from this package's stdlib folder. */
export function lspCommand(): Promise<number> {
  return serveStdio({ stdlibDir: join(packageRoot(), "stdlib") });
}
