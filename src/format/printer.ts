// The prettier printer for the tg AST: dispatch on `kind`, comments, and a last resort for dangling comments.
import type { AstPath, Doc, ParserOptions, Printer } from "prettier";
import { canAttachComment, handleComments, isBlockComment, printComment } from "./comments.js";
import { commentsOf, isTgNode, visitorKeys, type AttachedComment, type TgNode } from "./nodes.js";
import { inlineDangling, type Ctx, type Print } from "./print-common.js";
import { printDeclaration, printProgram } from "./print-decl.js";
import { printEntry, printExpr, printField, printLabeled, printLet, printParam, printSplitPart, printValidate } from "./print-expr.js";

function printNode(node: TgNode, ctx: Ctx): Doc {
  switch (node.kind) {
    case "Program":
      return printProgram(node, ctx);
    case "ImportDecl":
    case "EngineDecl":
    case "VariableDecl":
    case "DataDecl":
    case "SplitDecl":
    case "CorpusDecl":
    case "FnDecl":
    case "ExternFnDecl":
    case "LossDecl":
    case "OptimizeDecl":
      return printDeclaration(node, ctx);
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
    case "ListExpr":
    case "NameRef":
    case "MemberExpr":
    case "CallExpr":
    case "LlmCall":
    case "AgentCall":
    case "RetrieveExpr":
    case "RubricExpr":
    case "UnlessExpr":
    case "BinaryExpr":
    case "ParenExpr":
    case "ErrorExpr":
      return printExpr(node, ctx);
    case "Entry":
      return printEntry(ctx);
    case "Field":
      return printField(node, ctx);
    case "SplitPart":
      return printSplitPart(ctx);
    case "Param":
      return printParam(node, ctx);
    case "TypeRef":
      return ctx.print("name");
    case "LetBinding":
      return printLet(ctx);
    case "ValidateClause":
      return printValidate(node, ctx);
    case "Labeled":
      return printLabeled(node, ctx);
    case "Identifier":
      return node.name;
    case "Comment":
      (node as AttachedComment).printed = true;
      return printComment(ctx.path);
    default: {
      const never: never = node;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}

function print(path: AstPath<TgNode>, options: ParserOptions<TgNode>, print: Print): Doc {
  const ctx: Ctx = { path, options, print };
  const doc = printNode(path.node, ctx);
  // Dangling comments no printer placed (e.g. inside empty brackets) follow the node, so none is ever lost.
  const rest = commentsOf(path.node).some((c) => !c.leading && !c.trailing && !c.printed && c.marker === undefined);
  return rest ? [doc, inlineDangling(ctx, undefined)] : doc;
}

export const printer: Printer<TgNode> = {
  print,
  printComment,
  canAttachComment,
  isBlockComment,
  handleComments,
  getVisitorKeys: (node) => [...visitorKeys[node.kind]],
  getCommentChildNodes: (node) => {
    const children: TgNode[] = [];
    for (const key of visitorKeys[node.kind]) {
      const value: unknown = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) if (isTgNode(child)) children.push(child);
    }
    return children;
  },
};
