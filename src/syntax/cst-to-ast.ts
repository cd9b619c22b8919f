// CST → AST. The only code that reads Chevrotain's CST; everything after it sees the typed AST of ast.ts.
// After error recovery a CST node may lack children its rule promises, so every read here tolerates absence
// and produces an empty name or an ErrorExpr instead: the checker skips those quietly, the parser already spoke.
import type { CstNode, IToken } from "chevrotain";
import { diagnostic, type Diagnostic, type Range } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";
import type * as C from "./cst.js";
import { MAX_CHAIN } from "./limits.js";
import { decodeString } from "./strings.js";
import { UnterminatedString, UnterminatedTripleString } from "./tokens.js";

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly file: string) {}

  private range(start: number, end: number): Range {
    return { file: this.file, start, end };
  }

  private tokenRange(t: IToken | undefined, fallback: Range): Range {
    if (!t || Number.isNaN(t.startOffset)) return fallback;
    return this.range(t.startOffset, (t.endOffset ?? t.startOffset) + 1);
  }

  private nodeRange(n: CstNode | undefined, fallback?: Range): Range {
    const loc = n?.location;
    if (!loc || Number.isNaN(loc.startOffset)) return fallback ?? this.range(0, 0);
    const end = loc.endOffset === undefined || Number.isNaN(loc.endOffset) ? loc.startOffset : loc.endOffset;
    return this.range(loc.startOffset, end + 1);
  }

  // A token that error recovery inserted has no place in the text: its offsets are NaN.
  private ident(t: IToken | undefined, fallback: Range): A.Identifier {
    const ok = t && !Number.isNaN(t.startOffset);
    return { kind: "Identifier", name: ok ? t.image : "", range: this.tokenRange(t, fallback) };
  }

  program(cst: C.ProgramCstNode, length: number, comments: A.Comment[]): A.Program {
    const declarations: A.Declaration[] = [];
    for (const d of cst.children.declaration ?? []) {
      const decl = this.declaration(d);
      if (decl) declarations.push(decl);
    }
    return { kind: "Program", file: this.file, declarations, comments, range: this.range(0, length) };
  }

  private declaration(cst: C.DeclarationCstNode): A.Declaration | undefined {
    const c = cst.children;
    if (c.importDecl) return this.importDecl(c.importDecl[0]!);
    if (c.engineDecl) return this.engineDecl(c.engineDecl[0]!);
    if (c.variableDecl) return this.variableDecl(c.variableDecl[0]!);
    if (c.dataDecl) return this.dataDecl(c.dataDecl[0]!);
    if (c.splitDecl) return this.splitDecl(c.splitDecl[0]!);
    if (c.corpusDecl) return this.corpusDecl(c.corpusDecl[0]!);
    if (c.fnDecl) return this.fnDecl(c.fnDecl[0]!);
    if (c.externFnDecl) return this.externFnDecl(c.externFnDecl[0]!);
    if (c.lossDecl) return this.lossDecl(c.lossDecl[0]!);
    if (c.optimizeDecl) return this.optimizeDecl(c.optimizeDecl[0]!);
    return undefined;
  }

  private importDecl(cst: C.ImportDeclCstNode): A.ImportDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "ImportDecl",
      range: r,
      names: (c.Identifier ?? []).map((t) => this.ident(t, r)).filter((i) => i.name !== ""),
      source: this.stringLit(c.StringToken?.[0], r),
    };
  }

  private engineDecl(cst: C.EngineDeclCstNode): A.EngineDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "EngineDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      provider: this.ident(c.Identifier?.[1], r),
      args: this.argList(c.argList?.[0], r),
      options: this.entryBlock(c.entryBlock?.[0], r),
    };
  }

  private variableDecl(cst: C.VariableDeclCstNode): A.VariableDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "VariableDecl",
      range: r,
      trainable: c.Trainable !== undefined,
      name: this.ident(c.Identifier?.[0], r),
      params: c.paramList ? this.paramList(c.paramList[0], r) : [],
      role: this.stringLit(c.StringToken?.[0], r),
      init: this.expression(c.expression?.[0], r),
    };
  }

  private dataDecl(cst: C.DataDeclCstNode): A.DataDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    const block = c.fieldBlock?.[0];
    return {
      kind: "DataDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      format: this.ident(c.Identifier?.[1], r),
      args: this.argList(c.argList?.[0], r),
      fields: block
        ? (block.children.field ?? []).map((f) => {
            const fr = this.nodeRange(f, r);
            return {
              kind: "Field" as const,
              range: fr,
              name: this.ident(f.children.AnyName?.[0], fr),
              type: this.typeRef(f.children.typeRef?.[0], fr),
              source: f.children.From ? this.stringLit(f.children.StringToken?.[0], fr) : undefined,
            };
          })
        : undefined,
    };
  }

  private splitDecl(cst: C.SplitDeclCstNode): A.SplitDecl {
    const r = this.nodeRange(cst);
    const entries = this.entryBlock(cst.children.entryBlock?.[0], r);
    return {
      kind: "SplitDecl",
      range: r,
      source: this.ident(cst.children.Identifier?.[0], r),
      // `seed` is the split's option; every other entry names a part.
      parts: entries.filter((e) => e.key.name !== "seed").map((e) => ({ kind: "SplitPart", range: e.range, name: e.key, size: e.value })),
      seed: entries.find((e) => e.key.name === "seed"),
    };
  }

  private corpusDecl(cst: C.CorpusDeclCstNode): A.CorpusDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "CorpusDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      format: this.ident(c.Identifier?.[1], r),
      args: this.argList(c.argList?.[0], r),
      options: this.entryBlock(c.entryBlock?.[0], r),
    };
  }

  private fnDecl(cst: C.FnDeclCstNode): A.FnDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "FnDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      params: this.paramList(c.paramList?.[0], r),
      returns: c.typeRef ? this.typeRef(c.typeRef[0], r) : undefined,
      doc: c.StringToken ? this.stringLit(c.StringToken[0], r) : undefined,
      lets: (c.letBinding ?? []).map((l) => {
        const lr = this.nodeRange(l, r);
        return {
          kind: "LetBinding" as const,
          range: lr,
          name: this.ident(l.children.Identifier?.[0], lr),
          value: this.expression(l.children.expression?.[0], lr),
        };
      }),
      body: this.expression(c.expression?.[0], r),
    };
  }

  private externFnDecl(cst: C.ExternFnDeclCstNode): A.ExternFnDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "ExternFnDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      params: this.paramList(c.paramList?.[0], r),
      returns: this.typeRef(c.typeRef?.[0], r),
      doc: c.StringToken ? this.stringLit(c.StringToken[0], r) : undefined,
    };
  }

  private lossDecl(cst: C.LossDeclCstNode): A.LossDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    return {
      kind: "LossDecl",
      range: r,
      name: this.ident(c.Identifier?.[0], r),
      params: c.paramList ? this.paramList(c.paramList[0], r) : [],
      body: this.expression(c.expression?.[0], r),
    };
  }

  private optimizeDecl(cst: C.OptimizeDeclCstNode): A.OptimizeDecl {
    const r = this.nodeRange(cst);
    const c = cst.children;
    const ids = c.Identifier ?? [];
    const usingAt = c.Using?.[0]?.startOffset ?? Infinity;
    const targets = ids.filter((t) => t.startOffset < usingAt).map((t) => this.ident(t, r));
    const optimizer = this.ident(
      ids.find((t) => t.startOffset > usingAt),
      r,
    );
    const v = c.validateEntry?.[0];
    let validate: A.ValidateClause | undefined;
    if (v) {
      const vr = this.nodeRange(v, r);
      const vc = v.children;
      const flag = vc.Identifier?.[1];
      if (flag && flag.image !== "best") {
        this.diagnostics.push({
          code: "TG1001",
          severity: "error",
          message: `expected 'keep best', found 'keep ${flag.image}'`,
          range: this.tokenRange(flag, vr),
        });
      }
      validate = {
        kind: "ValidateClause",
        range: vr,
        data: this.ident(vc.Identifier?.[0], vr),
        metric: this.expression(vc.expression?.[0], vr),
        keepBest: vc.Keep !== undefined,
      };
    }
    return {
      kind: "OptimizeDecl",
      range: r,
      targets,
      optimizer,
      optimizerArgs: this.entries(c.namedArgList?.[0]?.children.entry, r),
      settings: this.entries(c.entry, r),
      validate,
    };
  }

  private paramList(cst: C.ParamListCstNode | undefined, fallback: Range): A.Param[] {
    return (cst?.children.param ?? []).map((p) => {
      const pr = this.nodeRange(p, fallback);
      return {
        kind: "Param",
        range: pr,
        name: this.ident(p.children.Identifier?.[0], pr),
        type: p.children.typeRef ? this.typeRef(p.children.typeRef[0], pr) : undefined,
      };
    });
  }

  private typeRef(cst: C.TypeRefCstNode | undefined, fallback: Range): A.TypeRef {
    const r = this.nodeRange(cst, fallback);
    return { kind: "TypeRef", range: r, name: this.ident(cst?.children.AnyName?.[0], r) };
  }

  private entryBlock(cst: C.EntryBlockCstNode | undefined, fallback: Range): A.Entry[] {
    return this.entries(cst?.children.entry, fallback);
  }

  private entries(list: C.EntryCstNode[] | undefined, fallback: Range): A.Entry[] {
    return (list ?? []).map((e) => {
      const er = this.nodeRange(e, fallback);
      return {
        kind: "Entry",
        range: er,
        key: this.ident(e.children.AnyName?.[0], er),
        value: this.expression(e.children.expression?.[0], er),
      };
    });
  }

  private argList(cst: C.ArgListCstNode | undefined, fallback: Range): A.Expr[] {
    const list = cst?.children.expressionList?.[0];
    return (list?.children.expression ?? []).map((e) => this.expression(e, fallback));
  }

  private errorExpr(range: Range): A.ErrorExpr {
    return { kind: "ErrorExpr", range };
  }

  expression(cst: C.ExpressionCstNode | undefined, fallback: Range): A.Expr {
    if (!cst) return this.errorExpr(fallback);
    const r = this.nodeRange(cst, fallback);
    const chains = cst.children.chain;
    const feedback = this.chain(chains?.[0], r);
    if (!cst.children.Unless) return feedback;
    return { kind: "UnlessExpr", range: r, feedback, condition: this.chain(chains?.[1], r) };
  }

  /** Rebuilds `a.x + b * c` from the flat chain: members bind tightest, then `*`, then `+`. */
  private chain(cst: C.ChainCstNode | undefined, fallback: Range): A.Expr {
    if (!cst) return this.errorExpr(fallback);
    const r = this.nodeRange(cst, fallback);
    const c = cst.children;
    const primaries = c.primary ?? [];
    if (primaries.length === 1 && !c.Dot) return this.primary(primaries[0], r); // the common case: one atom
    if (primaries.length + (c.AnyName?.length ?? 0) > MAX_CHAIN) {
      this.diagnostics.push(diagnostic("TG1007", `this expression chains more than ${MAX_CHAIN} operands and fields with + * and .`, r, { hint: "split it into several declarations, or let bindings in a fn" }));
      return this.errorExpr(r);
    }
    // Children of one kind are in source order; interleave operands, member names and operators by offset.
    type Item = { at: number; primary?: C.PrimaryCstNode; member?: IToken; op?: "+" | "*" };
    const items: Item[] = [
      ...primaries.map((p) => ({ at: p.location?.startOffset ?? 0, primary: p })),
      ...(c.AnyName ?? []).map((t) => ({ at: t.startOffset, member: t })),
      ...(c.Plus ?? []).map((t) => ({ at: t.startOffset, op: "+" as const })),
      ...(c.Star ?? []).map((t) => ({ at: t.startOffset, op: "*" as const })),
    ].sort((a, b) => a.at - b.at);
    const operands: A.Expr[] = [];
    const ops: ("+" | "*")[] = [];
    for (const item of items) {
      if (item.primary) operands.push(this.primary(item.primary, r));
      else if (item.member && operands.length) {
        const object = operands.pop()!;
        const property = this.ident(item.member, r);
        operands.push({ kind: "MemberExpr", object, property, range: this.range(object.range.start, property.range.end) });
      } else if (item.op) ops.push(item.op);
    }
    if (operands.length === 0) return this.errorExpr(r);
    // Fold `*` first, then `+`, both left-associative.
    const sums: A.Expr[] = [operands[0]!];
    ops.forEach((op, i) => {
      const right = operands[i + 1] ?? this.errorExpr(r);
      if (op === "*") sums.push(this.binary("*", sums.pop()!, right));
      else sums.push(right);
    });
    return sums.reduce((left, right) => this.binary("+", left, right));
  }

  private binary(op: "+" | "*", left: A.Expr, right: A.Expr): A.Expr {
    return { kind: "BinaryExpr", op, left, right, range: this.range(left.range.start, right.range.end) };
  }

  private primary(cst: C.PrimaryCstNode | undefined, fallback: Range): A.Expr {
    if (!cst) return this.errorExpr(fallback);
    const c = cst.children;
    const r = this.nodeRange(cst, fallback);
    if (c.StringToken) return this.stringLit(c.StringToken[0], r);
    if (c.NumberLiteral) {
      const tok = c.NumberLiteral[0];
      if (!tok || Number.isNaN(tok.startOffset)) return this.errorExpr(r);
      const raw = (c.Minus ? "-" : "") + tok.image;
      return { kind: "NumberLit", value: Number(raw), raw, range: r };
    }
    if (c.True) return { kind: "BoolLit", value: true, range: r };
    if (c.False) return { kind: "BoolLit", value: false, range: r };
    if (c.listExpr) {
      const items = c.listExpr[0]!.children.expressionList?.[0]?.children.expression ?? [];
      return { kind: "ListExpr", items: items.map((e) => this.expression(e, r)), range: r };
    }
    if (c.parenExpr) {
      return { kind: "ParenExpr", inner: this.expression(c.parenExpr[0]!.children.expression?.[0], r), range: r };
    }
    if (c.llmCall) {
      const lc = c.llmCall[0]!.children;
      return {
        kind: "LlmCall",
        range: r,
        engine: this.ident(lc.Identifier?.[0], r),
        entries: this.entryBlock(lc.entryBlock?.[0], r),
      };
    }
    if (c.agentCall) {
      const ac = c.agentCall[0]!.children;
      return { kind: "AgentCall", range: r, engine: this.ident(ac.Identifier?.[0], r), entries: this.entryBlock(ac.entryBlock?.[0], r) };
    }
    if (c.retrieveExpr) {
      const rc = c.retrieveExpr[0]!.children;
      const [query, k] = rc.expression ?? [];
      return { kind: "RetrieveExpr", range: r, corpus: this.ident(rc.Identifier?.[0], r), query: this.expression(query, r), k: this.expression(k, r) };
    }
    if (c.rubricExpr) return this.rubric(c.rubricExpr[0]!, r);
    if (c.Identifier) {
      const name = this.ident(c.Identifier[0], r);
      if (!c.argList) return { kind: "NameRef", name, range: r };
      return { kind: "CallExpr", callee: name, args: this.argList(c.argList[0], r), range: r };
    }
    return this.errorExpr(r);
  }

  private rubric(cst: C.RubricExprCstNode, fallback: Range): A.RubricExpr {
    const r = this.nodeRange(cst, fallback);
    const c = cst.children;
    const [on, given] = c.labeledGroup ?? [];
    const targets = this.labeled(on, r);
    const context = given ? this.labeled(given, r) : { items: [], braced: false };
    return {
      kind: "RubricExpr",
      range: r,
      engine: this.ident(c.Identifier?.[0], r),
      targets: targets.items,
      context: context.items,
      criteria: this.stringLit(c.StringToken?.[0], r),
      targetsBraced: targets.braced,
      contextBraced: context.braced,
    };
  }

  private labeled(cst: C.LabeledGroupCstNode | undefined, fallback: Range): { items: A.Labeled[]; braced: boolean } {
    if (!cst) return { items: [], braced: false };
    const c = cst.children;
    if (c.LBrace) {
      return {
        braced: true,
        items: this.entries(c.entry, fallback).map((e) => ({ kind: "Labeled", label: e.key, value: e.value, range: e.range })),
      };
    }
    return {
      braced: false,
      items: (c.chain ?? []).map((a) => {
        const value = this.chain(a, fallback);
        return { kind: "Labeled", label: undefined, value, range: value.range };
      }),
    };
  }

  private stringLit(t: IToken | undefined, fallback: Range): A.StringLit {
    if (!t || Number.isNaN(t.startOffset)) {
      return { kind: "StringLit", parts: [], triple: false, raw: '""', range: fallback };
    }
    const terminated = t.tokenType !== UnterminatedString && t.tokenType !== UnterminatedTripleString;
    const decoded = decodeString(t.image, t.startOffset, this.file, terminated);
    if (decoded.diagnostics.length > 0) this.diagnostics.push(...decoded.diagnostics);
    return {
      kind: "StringLit",
      parts: decoded.parts,
      triple: t.image.startsWith('"""'),
      raw: t.image,
      range: this.tokenRange(t, fallback),
    };
  }
}
