// The check stage's entry: a program's text → { checked program, diagnostics }. Never throws on user input.
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { CheckContext } from "./context.js";
import { checkDeclaration, checkSplit } from "./declarations.js";
import { ExpressionChecker } from "./expressions.js";
import type { ModuleHost } from "./host.js";
import type { CheckedProgram } from "./model.js";
import { loadProgram } from "./modules.js";
import { checkOptimize } from "./optimize.js";
import { reportCycles, reportGradientReach, reportPerExampleInitializers, reportUnused } from "./rules.js";
import { buildScopes } from "./scopes.js";

export { memoryHost, type ModuleHost } from "./host.js";
export type * from "./model.js";

export interface CheckResult {
  readonly checked: CheckedProgram;
  readonly diagnostics: readonly Diagnostic[];
}

export function check(rootId: string, rootText: string, host: ModuleHost): CheckResult {
  const loaded = loadProgram(rootId, rootText, host);
  const ctx = new CheckContext(loaded.value.modules, (id) => id.startsWith("std/") || host.nativeModule?.(id) === true);
  ctx.diagnostics.push(...loaded.diagnostics);
  buildScopes(ctx, loaded.value.importTargets);
  const checker = new ExpressionChecker(ctx);
  for (const sym of ctx.symbolOf.values()) checkDeclaration(ctx, checker, sym);
  for (const [id, module] of ctx.modules) {
    for (const d of module.program.declarations) {
      if (d.kind === "OptimizeDecl") checkOptimize(ctx, checker, d, id);
      else if (d.kind === "SplitDecl") checkSplit(ctx, d);
    }
  }
  reportCycles(ctx);
  reportUnused(ctx, rootId);
  reportGradientReach(ctx, rootId);
  reportPerExampleInitializers(ctx);
  const checked: CheckedProgram = {
    root: loaded.value.root,
    modules: loaded.value.modules,
    references: ctx.references,
    types: ctx.types,
    scopes: ctx.scopes,
  };
  return { checked, diagnostics: sortDiagnostics(dedupe(ctx.diagnostics)) };
}

/** The same finding reached twice (a shared function checked from two places) is reported once. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}|${d.range.file}|${d.range.start}|${d.range.end}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
