import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ResponseCache } from "../../engines/cache.js";
import { indexDir } from "../../api/host.js";
import { displayPath } from "../output.js";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;
const indexes = (n: number) => `${n} corpus ${n === 1 ? "index" : "indexes"}`;

/** The corpora's stored indexes in the cache folder: their files and total size. */
function indexFiles(dir: string): { files: string[]; bytes: number } {
  const folder = indexDir(dir);
  let names: string[] = [];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith(".json"));
  } catch {
    return { files: [], bytes: 0 };
  }
  const files = names.map((n) => join(folder, n));
  return { files, bytes: files.reduce((b, f) => b + statSync(f).size, 0) };
}

/**
 * `tgc cache stats` and `tgc cache clear` on the cache in DIR: the responses, and the indexes of corpora kept
 * beside them. A missing folder is an empty cache.
 */
export function cacheCommand(action: "stats" | "clear", dir: string): number {
  const shown = displayPath(dir);
  if (!existsSync(dir)) {
    process.stdout.write(`the cache is empty (${shown})\n`);
    return 0;
  }
  const cache = new ResponseCache(dir);
  const index = indexFiles(dir);
  if (action === "clear") {
    const removed = cache.clear();
    rmSync(indexDir(dir), { recursive: true, force: true });
    process.stdout.write(`removed ${entries(removed)}${index.files.length ? ` and ${indexes(index.files.length)}` : ""} (${shown})\n`);
    return 0;
  }
  const stats = cache.stats();
  if (stats.entries === 0 && index.files.length === 0) {
    process.stdout.write(`the cache is empty (${shown})\n`);
    return 0;
  }
  if (stats.entries === 0) {
    process.stdout.write(`response cache: ${shown}\nentries  0\nindexes  ${index.files.length} (${size(index.bytes)})\n`);
    return 0;
  }
  const rows = Object.entries(stats.byEngine).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const width = Math.max(...rows.map(([engine]) => engine.length), "engine".length);
  const lines = [
    `response cache: ${shown}`,
    `entries  ${stats.entries}`,
    `size     ${size(stats.bytes)}`,
    ...(index.files.length ? [`indexes  ${index.files.length} (${size(index.bytes)}), for corpora`] : []),
    "",
    `  ${"engine".padEnd(width)}  entries`,
    ...rows.map(([engine, count]) => `  ${engine.padEnd(width)}  ${String(count).padStart(7)}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
