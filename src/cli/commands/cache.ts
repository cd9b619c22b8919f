import { existsSync } from "node:fs";
import { ResponseCache } from "../../engines/cache.js";
import { displayPath } from "../output.js";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;

/** `tgc cache stats` and `tgc cache clear` on the response cache in DIR. A missing folder is an empty cache. */
export function cacheCommand(action: "stats" | "clear", dir: string): number {
  const shown = displayPath(dir);
  if (!existsSync(dir)) {
    process.stdout.write(`the cache is empty (${shown})\n`);
    return 0;
  }
  const cache = new ResponseCache(dir);
  if (action === "clear") {
    process.stdout.write(`removed ${entries(cache.clear())} (${shown})\n`);
    return 0;
  }
  const stats = cache.stats();
  if (stats.entries === 0) {
    process.stdout.write(`the cache is empty (${shown})\n`);
    return 0;
  }
  const rows = Object.entries(stats.byEngine).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const width = Math.max(...rows.map(([engine]) => engine.length), "engine".length);
  const lines = [
    `response cache: ${shown}`,
    `entries  ${stats.entries}`,
    `size     ${size(stats.bytes)}`,
    "",
    `  ${"engine".padEnd(width)}  entries`,
    ...rows.map(([engine, count]) => `  ${engine.padEnd(width)}  ${String(count).padStart(7)}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
