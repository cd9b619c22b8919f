// Printing of the program and its declarations.
import type { Doc } from "prettier";
import type * as A from "../syntax/ast.js";
import { INSIDE, isNextLineEmpty, OPEN } from "./comments.js";
import { bracketList, entryBlock, group, hardline, indent, join, line } from "./docs.js";
import {
  assignment,
  inlineDangling,
  openComments,
  linesWithBlanks,
  ownLineDangling,
  printAll,
  type BlockItem,
  type Ctx,
} from "./print-common.js";

export function printProgram(node: A.Program, ctx: Ctx): Doc {
  const text = ctx.options.originalText;
  const parts: Doc[] = [];
  node.declarations.forEach((decl, i) => {
    const prev = node.declarations[i - 1];
    if (prev) {
      // One blank line between declarations, except same-kind neighbours the author wrote without one.
      parts.push(hardline);
      if (prev.kind !== decl.kind || isNextLineEmpty(text, prev.range.end)) parts.push(hardline);
    }
    parts.push(ctx.print(["declarations", i]));
  });
  // Comments of a file without declarations are dangling on the program.
  const alone = ownLineDangling(ctx, undefined);
  if (alone.length > 0) parts.push(parts.length > 0 ? [hardline, hardline] : "", alone);
  return parts.length > 0 ? [parts, hardline] : "";
}

/**
 * `engine name = provider(args) { options }` and `data name = format(args) { fields }`: one shape, where the block
 * is printed when there are `blockCount` entries (undefined: none written).
 */
function sourceDeclaration(ctx: Ctx, keyword: string, head: string, argCount: number, block: string, blockCount: number | undefined): Doc {
  const { print } = ctx;
  return [
    `${keyword} `,
    print("name"),
    " = ",
    print(head),
    bracketList("(", ")", printAll(ctx, "args", argCount), true, openComments(ctx, "args")),
    blockCount !== undefined ? [" ", entryBlock(printAll(ctx, block, blockCount), openComments(ctx, block, "before"))] : "",
  ];
}

export function printDeclaration(node: A.Declaration, ctx: Ctx): Doc {
  const { print } = ctx;
  switch (node.kind) {
    case "ImportDecl":
      return group([
        "import {",
        openComments(ctx, "names", "before"),
        indent([line, join([",", line], printAll(ctx, "names", node.names.length))]),
        line,
        "} from ",
        print("source"),
      ]);
    case "EngineDecl":
      return sourceDeclaration(ctx, "engine", "provider", node.args.length, "options", node.options.length > 0 ? node.options.length : undefined);
    case "VariableDecl":
      return assignment(
        ctx,
        [
          node.trainable ? "trainable " : "frozen ",
          print("name"),
          // The example parameter stays on the name's line: breaking `answer(ex)` would only scatter it.
          node.params.length > 0 ? ["(", join(", ", printAll(ctx, "params", node.params.length)), ")"] : "",
          ": ",
          print("role"),
        ],
        "init",
        0,
      );
    case "DataDecl":
      return sourceDeclaration(ctx, "data", "format", node.args.length, "fields", node.fields?.length);
    case "SplitDecl":
      // The parts in their order, then the seed.
      return [
        "split ",
        print("source"),
        " ",
        entryBlock([...printAll(ctx, "parts", node.parts.length), ...(node.seed ? [print("seed")] : [])], openComments(ctx, "parts", "before")),
      ];
    case "CorpusDecl":
      return sourceDeclaration(ctx, "corpus", "format", node.args.length, "options", node.options.length > 0 ? node.options.length : undefined);
    case "FnDecl":
      return printFn(node, ctx);
    case "ExternFnDecl":
      return [
        "extern fn ",
        print("name"),
        bracketList("(", ")", printAll(ctx, "params", node.params.length), false, openComments(ctx, "params")),
        " -> ",
        print("returns"),
        // A one-line doc goes under the signature; a `"""` block opens on the signature's line, like a rubric's.
        !node.doc ? "" : node.doc.raw.includes("\n") ? [" ", print("doc")] : indent([hardline, print("doc")]),
      ];
    case "LossDecl":
      return assignment(
        ctx,
        [
          "loss ",
          print("name"),
          node.params.length > 0
            ? bracketList("(", ")", printAll(ctx, "params", node.params.length), false, openComments(ctx, "params"))
            : "",
        ],
        "body",
        0,
      );
    case "OptimizeDecl":
      return printOptimize(node, ctx);
    default: {
      const never: never = node;
      throw new Error(`unknown declaration ${JSON.stringify(never)}`);
    }
  }
}

/** `{` then its items one per line, then `}`; comments after the `{` stay on its line. */
function block(ctx: Ctx, items: readonly BlockItem[]): Doc {
  const open = inlineDangling(ctx, OPEN);
  const inside = ownLineDangling(ctx, INSIDE);
  if (items.length === 0 && open.length === 0 && inside.length === 0) return "{}";
  const body: Doc[] = linesWithBlanks(ctx, items);
  if (inside.length > 0) body.push(items.length > 0 ? hardline : "", inside);
  return ["{", open, indent([hardline, body]), hardline, "}"];
}

function printFn(node: A.FnDecl, ctx: Ctx): Doc {
  const { print } = ctx;
  const items: BlockItem[] = node.lets.map((l, i) => ({ node: l, doc: print(["lets", i]) }));
  items.push({ node: node.body, doc: print("body") });
  return [
    "fn ",
    print("name"),
    bracketList("(", ")", printAll(ctx, "params", node.params.length), false, openComments(ctx, "params")),
    node.returns ? [" -> ", print("returns")] : "",
    node.doc ? [" ", print("doc")] : "",
    " ",
    block(ctx, items),
  ];
}

function printOptimize(node: A.OptimizeDecl, ctx: Ctx): Doc {
  const { print } = ctx;
  const items: BlockItem[] = node.settings.map((s, i) => ({ node: s, doc: print(["settings", i]) }));
  // The AST keeps validate apart from the other settings: put it back where the author wrote it.
  if (node.validate) items.push({ node: node.validate, doc: print("validate") });
  items.sort((a, b) => a.node.range.start - b.node.range.start);
  return [
    "optimize ",
    join(", ", printAll(ctx, "targets", node.targets.length)),
    " using ",
    print("optimizer"),
    bracketList(
      "(",
      ")",
      printAll(ctx, "optimizerArgs", node.optimizerArgs.length),
      true,
      openComments(ctx, "optimizerArgs"),
    ),
    " ",
    block(ctx, items),
  ];
}
