/**
 * How the compiler reads modules. The CLI, the language server and the browser page each provide one,
 * so that syntax, check and ir never touch the file system themselves.
 */
export interface ModuleHost {
  /** The id of the module an import names (a normalized path, or `std/<name>`); undefined if there is none. */
  resolve(specifier: string, fromModule: string): string | undefined;
  /** The text of a module by id; undefined if it cannot be read. */
  read(id: string): string | undefined;
  /**
   * Whether a module may declare `extern fn`s: its functions are native code that whoever runs the program registers
   * (an application embedding tgc). The standard library's modules always may; without this, no other module may.
   */
  nativeModule?(id: string): boolean;
  /** The ids of the standard library's modules (`std/metrics`, …), sorted: for hints and completion. */
  stdModules?(): readonly string[];
}

/** The ids of the standard library's modules among a folder's file names: `<name>.tg` is `std/<name>`. */
export function stdModuleIds(fileNames: readonly string[]): string[] {
  return fileNames
    .filter((f) => /^[a-z_][a-z0-9_]*\.tg$/.test(f))
    .map((f) => `std/${f.slice(0, -3)}`)
    .sort();
}

/** A host over an in-memory map of files: for tests, the playground, and the stdlib bundled into a page. */
export function memoryHost(files: Record<string, string>): ModuleHost {
  return {
    resolve(specifier, from) {
      if (specifier.startsWith("std/")) return specifier in files ? specifier : undefined;
      const base = from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "";
      const id = normalize(base + specifier);
      return id in files ? id : undefined;
    },
    read: (id) => files[id],
    stdModules: () => Object.keys(files).filter((id) => id.startsWith("std/")).sort(),
  };
}

/** Resolves `.` and `..` segments of a `/`-separated path. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "." || seg === "") {
      if (out.length === 0 && path.startsWith("/")) out.push("");
      continue;
    }
    if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(seg);
  }
  return out.join("/");
}
