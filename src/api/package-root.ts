// Where this package is installed. A module of its own, because every start of the CLI needs it (for --version)
// and should not load the hosts, their glob library or the stdlib's natives to get it.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root, found from this file whether it runs from src/ (tests) or dist/ (the bundle). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "stdlib")) && existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("tgc: cannot find the package's stdlib folder");
    dir = parent;
  }
}
