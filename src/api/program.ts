// `compile`: a program's text or file → a program ready to run, or the diagnostics that say why not. Composes the
// stages (check, lower) through compileFile; adds only the modules of native functions an application registers.
import { resolve } from "node:path";
import type { ModuleHost } from "../check/host.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { renderAll } from "../diagnostics/render.js";
import type { Graph } from "../ir/graph.js";
import type { NativeRegistry } from "../runtime/natives.js";
import { stdlibNatives } from "../../stdlib/index.js";
import { compileFile, sourcesOf } from "./compile.js";
import { nodeHost } from "./host.js";
import type { NativeModule } from "./natives.js";

/** A compiled program: what `run` and `evaluate` take. */
export interface Program {
  /** The program's file (or the path its text stands for): its imports and data files are found beside it. */
  readonly path: string;
  readonly source: string;
  /** The computation graph the runtime runs. */
  readonly graph: Graph;
  /** The engines the program declares, by name: `run` needs an engine for each. */
  readonly engines: readonly string[];
  /** The data sets it declares (split parts included), by name: `evaluate` scores on one of them. */
  readonly dataSets: readonly string[];
  /** Its variables, with whether they are trained and the role the program gives them. */
  readonly variables: readonly { readonly name: string; readonly trainable: boolean; readonly role: string }[];
  /** The native functions it may call: the standard library's and those of the modules it was compiled with. */
  readonly natives: NativeRegistry;
}

/** A program to compile: its text, its file, or its text standing for a file (imports and data are found beside it). */
export type CompileInput = string | { readonly file: string } | { readonly source: string; readonly path: string };

export interface CompileOptions {
  /** Modules of native functions (from `defineNatives`) the program may import. */
  readonly natives?: readonly NativeModule[];
}

/**
 * A compiled program, or why there is none. `diagnostics` holds the errors and warnings as values (code, severity,
 * message, range, hint); `rendered` is the same text `tgc check` prints (without colour), empty when there are none.
 */
export type CompileResult =
  | { readonly ok: true; readonly program: Program; readonly diagnostics: readonly Diagnostic[]; readonly rendered: string }
  | { readonly ok: false; readonly program: undefined; readonly diagnostics: readonly Diagnostic[]; readonly rendered: string };

/** A host that adds the application's native modules to the file system's modules and the standard library. */
function hostWith(natives: readonly NativeModule[]): ModuleHost {
  const base = nodeHost();
  const byName = new Map<string, NativeModule>();
  for (const m of natives) {
    if (byName.has(m.name)) throw new TypeError(`two native modules are named ${m.name}`);
    byName.set(m.name, m);
  }
  return {
    resolve: (specifier, from) => (byName.has(specifier) ? specifier : base.resolve(specifier, from)),
    read: (id) => byName.get(id)?.source ?? base.read(id),
    nativeModule: (id) => byName.has(id),
  };
}

/**
 * Checks a program and lowers it to a graph. Problems in the program (or a file that cannot be read) are
 * diagnostics in the result, never exceptions; `ok` is false when there is an error (warnings alone still compile).
 */
export function compile(input: CompileInput, options: CompileOptions = {}): CompileResult {
  const modules = options.natives ?? [];
  const host = hostWith(modules);
  const c =
    typeof input === "string"
      ? compileFile(resolve("program.tg"), { lower: true, text: input }, host)
      : "file" in input
        ? compileFile(input.file, { lower: true }, host)
        : compileFile(input.path, { lower: true, text: input.source }, host);
  const rendered = renderAll(c.diagnostics, sourcesOf(c));
  if (!c.graph || hasErrors(c.diagnostics)) return { ok: false, program: undefined, diagnostics: c.diagnostics, rendered };
  const graph = c.graph;
  const program: Program = {
    path: c.path,
    source: c.text,
    graph,
    engines: [...graph.engines.keys()],
    dataSets: [...graph.data.keys()],
    variables: [...graph.variables.values()].map((v) => ({ name: v.name, trainable: v.trainable, role: v.role })),
    natives: new Map([...stdlibNatives, ...modules.flatMap((m) => [...m.natives])]),
  };
  return { ok: true, program, diagnostics: c.diagnostics, rendered };
}
