// Printing of expressions and the small nodes inside declarations (entries, params, fields, labels, names).
import type { Doc } from "prettier";
import type * as A from "../syntax/ast.js";
import { bracketList, entryBlock, group, indent, join, line, rawText, softline } from "./docs.js";
import { assignment, openComments, printAll, type Ctx } from "./print-common.js";

export function printExpr(node: A.Expr, ctx: Ctx): Doc {
  const { print } = ctx;
  switch (node.kind) {
    case "StringLit":
      return rawText(node.raw);
    case "NumberLit":
      return node.raw;
    case "BoolLit":
      return node.value ? "true" : "false";
    case "ListExpr":
      return bracketList("[", "]", printAll(ctx, "items", node.items.length), true, openComments(ctx, "items"));
    case "NameRef":
      return print("name");
    case "MemberExpr":
      return [print("object"), ".", print("property")];
    case "CallExpr":
      return [
        print("callee"),
        bracketList("(", ")", printAll(ctx, "args", node.args.length), true, openComments(ctx, "args")),
      ];
    case "LlmCall":
    case "AgentCall":
      return [
        node.kind === "LlmCall" ? "call " : "agent ",
        print("engine"),
        " ",
        entryBlock(printAll(ctx, "entries", node.entries.length), openComments(ctx, "entries", "before")),
      ];
    case "RetrieveExpr":
      return group(["retrieve(", indent([softline, print("corpus"), ",", line, print("query"), ",", line, print("k")]), softline, ")"]);
    case "RubricExpr":
      return printRubric(node, ctx);
    case "UnlessExpr":
      return group([print("feedback"), indent([line, "unless ", print("condition")])]);
    case "BinaryExpr": {
      // A chain `a + b + c` is left-nested; its links share the group of the outermost one, so it breaks as a whole.
      const parent = ctx.path.parent;
      const link = parent?.kind === "BinaryExpr" && parent.op === node.op && parent.left === node;
      const parts: Doc = [print("left"), " ", node.op, indent([line, print("right")])];
      return link ? parts : group(parts);
    }
    case "ParenExpr":
      return ["(", print("inner"), ")"];
    case "ErrorExpr":
      throw new Error("cannot format a program with syntax errors");
    default: {
      const never: never = node;
      throw new Error(`unknown expression ${JSON.stringify(never)}`);
    }
  }
}

function printRubric(node: A.RubricExpr, ctx: Ctx): Doc {
  const { print } = ctx;
  const labeled = (key: "targets" | "context", braced: boolean): Doc => {
    const items = printAll(ctx, key, node[key].length);
    return braced ? entryBlock(items, openComments(ctx, key, "before")) : join(", ", items);
  };
  const head: Doc[] = ["rubric ", print("engine"), " on ", labeled("targets", node.targetsBraced)];
  if (node.context.length > 0 || node.contextBraced) head.push(" given ", labeled("context", node.contextBraced));
  // A `"""` block opens on the rubric's line; a one-line criterion may move to the next.
  if (node.criteria.raw.includes("\n")) return [head, " ", print("criteria")];
  return group([head, indent([line, print("criteria")])]);
}

export function printEntry(ctx: Ctx): Doc {
  return [ctx.print("key"), ": ", ctx.print("value")];
}

export function printField(node: A.Field, ctx: Ctx): Doc {
  return [ctx.print("name"), ": ", ctx.print("type"), node.source ? [" from ", ctx.print("source")] : ""];
}

export function printSplitPart(ctx: Ctx): Doc {
  return [ctx.print("name"), ": ", ctx.print("size")];
}

export function printParam(node: A.Param, ctx: Ctx): Doc {
  return node.type ? [ctx.print("name"), ": ", ctx.print("type")] : ctx.print("name");
}

export function printLabeled(node: A.Labeled, ctx: Ctx): Doc {
  return node.label ? [ctx.print("label"), ": ", ctx.print("value")] : ctx.print("value");
}

export function printLet(ctx: Ctx): Doc {
  return assignment(ctx, ["let ", ctx.print("name")], "value", 1);
}

export function printValidate(node: A.ValidateClause, ctx: Ctx): Doc {
  return ["validate: ", ctx.print("data"), " by ", ctx.print("metric"), node.keepBest ? ", keep best" : ""];
}
