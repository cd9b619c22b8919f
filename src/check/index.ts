// The check stage's entry: a program's text → { checked program, diagnostics }. Never throws on user input.
import { sortDiagnostics, type Diagnostic, type Range } from "../diagnostics/diagnostic.js";
import { CheckContext } from "./context.js";
import { checkDeclaration, checkSplit } from "./declarations.js";
import { ExpressionChecker } from "./expressions.js";
import type { ModuleHost } from "./host.js";
import type { CheckedProgram, Module } from "./model.js";
import { loadProgram } from "./modules.js";
import { checkOptimize } from "./optimize.js";
import { reportCycles, reportGradientReach, reportPerExampleInitializers, reportUnused } from "./rules.js";
import { buildScopes } from "./scopes.js";
import { MAX_SYNTAX_DIAGNOSTICS } from "../syntax/limits.js";

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
  return { checked, diagnostics: sortDiagnostics(quietAfterSyntaxErrors(dedupe(ctx.diagnostics), ctx.modules)) };
}

/**
 * The syntax errors after which a declaration is recovery's guess at the text: the parser's own (TG1001), an
 * unterminated string or comment (TG1002, TG1004) that swallows what follows, and a file that could not be parsed at
 * all (TG1007, TG1008). An unknown escape (TG1005) or a dropped character (TG1003) leaves the declaration as it was
 * written, so the checker's findings in it stand.
 */
const recovered = new Set<Diagnostic["code"]>(["TG1001", "TG1002", "TG1004", "TG1007", "TG1008"]);

/** Warnings that something is absent: a use of it may sit in text that did not parse. */
const absence = new Set<Diagnostic["code"]>(["TG2009", "TG3008", "TG3012"]);

/**
 * Where syntax meets checking. A declaration whose range meets a syntax error of recovery was recovered, not written, so
 * the checker's findings located inside it are dropped: they are consequences of the recovery (an option named
 * 'loss', a name the parser never saw) that would drown the one error to fix. Findings elsewhere in the file stay,
 * since every error is reported in one run, except two kinds whose cause may be the broken text itself: a dependency
 * cycle (TG2006) through a broken declaration, which may exist only in what recovery made of it, and warnings of
 * absence (unused, no gradient, never optimized) in a module with a syntax error, whose missing use may be in the
 * text that failed to parse. Fixing the syntax brings back whatever of these is real.
 */
function quietAfterSyntaxErrors(ds: readonly Diagnostic[], modules: ReadonlyMap<string, Module>): Diagnostic[] {
  const syntax = ds.filter((d) => recovered.has(d.code));
  if (syntax.length === 0) return [...ds];
  const broken: Range[] = [];
  for (const [id, module] of modules) {
    const errors = syntax.filter((e) => e.range.file === id);
    for (const decl of module.program.declarations) {
      // A declaration's end is inclusive here: an unfinished one's error sits just after its last token.
      const r = decl.range;
      if (errors.some((e) => e.range.start <= r.end && e.range.end > r.start)) broken.push(r);
    }
  }
  const inBroken = (x: Range) => broken.some((r) => r.file === x.file && x.start >= r.start && x.start < r.end);
  const filesWithErrors = new Set(syntax.map((e) => e.range.file));
  // More syntax errors than the parser shows: the file is hardly a program (a Markdown page, say), and what the
  // checker makes of the pieces that happen to parse is noise until the syntax is fixed.
  const perFile = new Map<string, number>();
  for (const d of ds) if (d.code.startsWith("TG1")) perFile.set(d.range.file, (perFile.get(d.range.file) ?? 0) + 1);
  const notAProgram = new Set([...perFile].filter(([, n]) => n > MAX_SYNTAX_DIAGNOSTICS).map(([file]) => file));
  return ds.filter((d) => {
    if (d.code.startsWith("TG1")) return true;
    if (notAProgram.has(d.range.file)) return false;
    if (inBroken(d.range)) return false;
    if (d.code === "TG2006" && (d.related ?? []).some((r) => inBroken(r.range))) return false;
    return !(absence.has(d.code) && filesWithErrors.has(d.range.file));
  });
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
