// Bundles the playground (src/playground/) into static files: dist/playground/index.html, playground.js and
// playground.css, hostable anywhere (no CDN, no network). The compiler runs in the page; `node:crypto` (which the
// runtime uses only to digest data sets for --resume) is aliased to a small shim, and nothing else of Node is
// reachable from the entry.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/playground");
mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { playground: "src/playground/main.ts" },
  outdir: out,
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  logLevel: "warning",
  loader: { ".tg": "text" },
  alias: { "node:crypto": "./src/playground/shims/node-crypto.ts" },
});
for (const f of ["index.html", "playground.css"]) copyFileSync(join(root, "src/playground", f), join(out, f));

if (process.argv.includes("--report")) console.log(`wrote ${out}`);
