// The esbuild options of the bundles (scripts/build.mjs builds them; test/cli/bundle.test.ts checks what each
// command of the CLI loads, from the same options).
export const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  minify: true,
  logLevel: "warning",
  external: ["prettier", "openai", "@anthropic-ai/sdk", "@resvg/resvg-js"],
  // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __tgcRequire } from 'node:module'; const require = __tgcRequire(import.meta.url);" },
};

/** The CLI, split: the entry holds commander and the command table; each command's code is a chunk loaded when it runs. */
export const cliOptions = { ...common, entryPoints: { tgc: "src/cli/index.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]" };
