// The workspace's cache of checked programs: a change to one open document checks again only the documents that
// read it (or could not find an import, which it may be), so a keystroke does not re-check every open file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { expect, it } from "vitest";
import { Workspace } from "../../src/lsp/workspace.js";
import { root } from "../cli/run-cli.js";

it("keeps the analyses a change cannot affect, and checks again those that read the changed module", () => {
  const dir = mkdtempSync(join(tmpdir(), "tgc-workspace-"));
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  const files: Record<string, string> = {
    "lib.tg": 'frozen topic: "a topic" = "tides"\n',
    "main.tg": 'import { topic } from "./lib.tg"\nfrozen essay: "an essay" = "About {topic}."\n',
    "other.tg": 'frozen alone: "a note" = "x"\n',
    "missing.tg": 'import { later } from "./later.tg"\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const ws = new Workspace(join(root, "stdlib"));
  let version = 1;
  const open = (name: string, text = files[name]!) => ws.set(TextDocument.create(uri(name), "tg", version++, text));
  for (const name of Object.keys(files)) open(name);
  const [main, other, missing] = ["main.tg", "other.tg", "missing.tg"].map((n) => ws.analyze(uri(n)));

  open("other.tg", 'frozen alone: "a note" = "y"\n');
  expect(ws.analyze(uri("main.tg"))).toBe(main); // main reads lib, not other
  expect(ws.analyze(uri("other.tg"))).not.toBe(other);
  expect(ws.analyze(uri("missing.tg"))).not.toBe(missing); // its import was not found: any change may be the one

  const before = ws.analyze(uri("main.tg"));
  open("lib.tg", 'frozen subject: "a topic" = "tides"\n');
  const after = ws.analyze(uri("main.tg"))!;
  expect(after).not.toBe(before);
  expect(after.diagnostics.map((d) => d.code)).toContain("TG2004"); // lib no longer declares topic
});
