// Bundles the CLI into dist/tgc.js (fast start: one file instead of hundreds of modules), the TypeScript API
// (`import … from "tgc"`) into dist/api.js and the prettier plugin into dist/prettier-plugin-tg.js. The API's type
// declarations come from tsc (`npm run build:types`, part of `npm run build`). Prettier stays external: it is loaded only by `tgc fmt`.
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { cliOptions, common } from "./bundle-options.mjs";

// Chunk names carry a content hash, so every change would otherwise leave the previous build's chunks behind.
rmSync("dist/chunks", { recursive: true, force: true });

await build(cliOptions);
// The API is one unminified module, so an application's stack traces stay readable.
await build({ ...common, minify: false, entryPoints: { api: "src/api/index.ts" }, outdir: "dist" });
await build({ ...common, entryPoints: ["src/format/plugin.ts"], outfile: "dist/prettier-plugin-tg.js" });
// The playground: static files in dist/playground/ that `tgc playground` serves (its own script: a browser bundle).
await import("./build-playground.mjs");
