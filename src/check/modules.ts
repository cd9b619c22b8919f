// Loading a program and everything it imports: parse each module once, follow imports, report cycles.
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/parse.js";
import { plainText } from "../syntax/strings.js";
import type { ModuleHost } from "./host.js";
import type { Module } from "./model.js";

export interface LoadedProgram {
  readonly root: Module;
  readonly modules: Map<string, Module>;
  /** For each import declaration, the module id it resolved to. */
  readonly importTargets: Map<import("../syntax/ast.js").ImportDecl, string>;
}

/** The modules the standard library has, as the host knows them; a host that cannot list them gets a pointer. */
function stdHint(host: ModuleHost): string {
  const modules = host.stdModules?.() ?? [];
  return modules.length > 0
    ? `the standard library has ${modules.join(", ")}; see docs/language.md`
    : "see docs/language.md for the standard library's modules";
}

export function loadProgram(
  rootId: string,
  rootText: string,
  host: ModuleHost,
): { value: LoadedProgram; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const modules = new Map<string, Module>();
  const importTargets = new Map<import("../syntax/ast.js").ImportDecl, string>();

  const load = (id: string, text: string): Module => {
    const parsed = parse(text, id);
    diagnostics.push(...parsed.diagnostics);
    const module: Module = { id, program: parsed.program, text };
    modules.set(id, module);
    return module;
  };

  const root = load(rootId, rootText);
  // Depth-first over imports, with the current path on a stack so a cycle is reported where it closes.
  const visiting: string[] = [];
  const visit = (module: Module) => {
    visiting.push(module.id);
    for (const decl of module.program.declarations) {
      if (decl.kind !== "ImportDecl") continue;
      const spec = plainText(decl.source.parts);
      if (spec === undefined || spec === "") continue;
      const id = host.resolve(spec, module.id);
      const text = id === undefined ? undefined : host.read(id);
      if (id === undefined || text === undefined) {
        diagnostics.push(
          diagnostic("TG2003", `cannot find module "${spec}"`, decl.source.range, {
            hint: spec.startsWith("std/")
              ? stdHint(host)
              : "local imports are paths relative to this file, like \"./common.tg\"",
          }),
        );
        continue;
      }
      importTargets.set(decl, id);
      if (visiting.includes(id)) {
        const cycle = [...visiting.slice(visiting.indexOf(id)), id].join(" → ");
        diagnostics.push(diagnostic("TG2005", `import cycle: ${cycle}`, decl.source.range));
        continue;
      }
      const existing = modules.get(id);
      if (!existing) visit(load(id, text));
    }
    visiting.pop();
  };
  visit(root);
  return { value: { root, modules, importTargets }, diagnostics };
}
