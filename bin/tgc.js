#!/usr/bin/env node
// The `tgc` command. The CLI is bundled into dist/ (by `npm run build`, also run by `npm ci` through `prepare`)
// so that it starts fast.
try {
  await import("../dist/tgc.js");
} catch (e) {
  if (e && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/tgc.js")) {
    process.stderr.write("tgc: the CLI is not built yet; run `npm run build` (or `npm ci`) in the tgc folder\n");
    process.exit(1);
  }
  throw e;
}
