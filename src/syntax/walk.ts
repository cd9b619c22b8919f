// Walking expressions: the one place that knows which expressions contain which.
import type { Expr } from "./ast.js";

/** The expressions directly inside an expression, in source order. */
export function childExpressions(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "MemberExpr":
      return [e.object];
    case "CallExpr":
      return e.args;
    case "ListExpr":
      return e.items;
    case "LlmCall":
    case "AgentCall":
      return e.entries.map((x) => x.value);
    case "RetrieveExpr":
      return [e.query, e.k];
    case "RubricExpr":
      return [...e.targets.map((l) => l.value), ...e.context.map((l) => l.value), e.criteria];
    case "UnlessExpr":
      return [e.feedback, e.condition];
    case "BinaryExpr":
      return [e.left, e.right];
    case "ParenExpr":
      return [e.inner];
    case "StringLit":
    case "NameRef":
    case "NumberLit":
    case "BoolLit":
    case "ErrorExpr":
      return [];
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Calls `visit` on an expression and every expression inside it, parents first. */
export function forEachExpression(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const child of childExpressions(e)) forEachExpression(child, visit);
}
