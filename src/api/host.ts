// The Node hosts: modules (local imports from disk, `std/` from the stdlib folder of this package) and data files. The
// CLI and the embedding API both read programs through them.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { globSync } from "tinyglobby";
import { gunzipSync } from "node:zlib";
import { stdModuleIds, type ModuleHost } from "../check/host.js";
import type { DataHost } from "../runtime/data.js";
import type { IndexStore } from "../runtime/retrieval.js";
import { packageRoot } from "./package-root.js";

export { packageRoot };

export function nodeHost(stdlibDir = join(packageRoot(), "stdlib")): ModuleHost {
  return {
    resolve(specifier, from) {
      if (specifier.startsWith("std/")) {
        const name = specifier.slice(4);
        return /^[a-z_][a-z0-9_]*$/.test(name) && existsSync(join(stdlibDir, `${name}.tg`)) ? specifier : undefined;
      }
      const base = from.startsWith("std/") ? stdlibDir : dirname(from);
      const path = resolve(base, specifier);
      return existsSync(path) ? path : undefined;
    },
    read(id) {
      const path = id.startsWith("std/") ? join(stdlibDir, `${id.slice(4)}.tg`) : id;
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    stdModules() {
      try {
        return stdModuleIds(readdirSync(stdlibDir));
      } catch {
        return [];
      }
    },
  };
}

/** Data files from disk, named relative to the module that declares them; globs list a corpus's files. */
export const fileDataHost: DataHost = {
  resolve: (path, module) => resolve(dirname(module), path),
  list: (pattern, module) => {
    const base = dirname(module);
    return globSync(pattern, { cwd: base, absolute: true, onlyFiles: true, expandDirectories: false })
      .sort()
      .map((path) => ({ path, name: relative(base, path) }));
  },
  read: readDataFile,
};

/** A data file's text, unzipped when its name ends in `.gz` (HumanEval ships so); undefined when unreadable. */
export function readDataFile(path: string): string | undefined {
  try {
    const raw = readFileSync(path);
    return (path.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  } catch {
    return undefined;
  }
}

/**
 * Corpora's built indexes, one file per key, in the cache folder's `index/` (`.tgc-cache/responses/index` by default;
 * `tgc cache clear` empties it with the responses). Writes go to a
 * temporary file renamed into place, so a crash leaves no half-written index; an unwritable folder only means
 * the next run builds the index again.
 */
/** Where the indexes of corpora are kept, inside the cache folder. */
export const indexDir = (cacheDir: string) => resolve(cacheDir, "index");

export function fileIndexStore(cacheDir: string): IndexStore {
  const dir = indexDir(cacheDir);
  return {
    read: (key) => {
      try {
        return readFileSync(join(dir, `${key}.json`), "utf8");
      } catch {
        return undefined;
      }
    },
    write: (key, text) => {
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = join(dir, `${key}.${process.pid}.tmp`);
        writeFileSync(tmp, text);
        renameSync(tmp, join(dir, `${key}.json`));
      } catch {
        // Not kept: built again next time.
      }
    },
  };
}
