// The language server, driven over its protocol as an editor would: `tgc lsp` (the built CLI) as a child process,
// JSON-RPC over its stdin and stdout.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const common = `// The topic every essay is about.
frozen topic: "the topic of the essay" = "tides"
`;
const main = `import { topic } from "./common.tg"
engine student = sim() { temperature: 0 }

trainable answer: "a short answer about the topic" =
  call student { user: "😀 Write about {topic}." }

loss critique = rubric student on answer given topic "Is it good?"

optimize answer using tgd(engine: student) {
  steps: 1
  minimize: critique
}
`;

let dir: string;
let child: ChildProcess;
let connection: ProtocolConnection;
const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
const stderr: string[] = [];

/** The LSP position of the `nth` occurrence of `needle` (plus `delta` characters) in `text`: UTF-16, as JS strings. */
function positionOf(text: string, needle: string, nth = 0, delta = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found`);
  }
  const before = text.slice(0, at + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - (before.lastIndexOf("\n") + 1) };
}

/** Waits for the diagnostics of a document at a version. */
async function diagnosticsOf(uri: string, version: number): Promise<PublishDiagnosticsParams> {
  for (let i = 0; i < 200; i++) {
    const found = diagnostics.get(uri)?.find((d) => d.version === version);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no diagnostics for ${uri} v${version}; server stderr: ${stderr.join("")}`);
}

function open(uri: string, text: string, version = 1): void {
  void connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "tg", version, text } });
}

const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tgc-lsp-"));
  writeFileSync(join(dir, "common.tg"), common);
  writeFileSync(join(dir, "main.tg"), main);
  child = spawn(process.execPath, [join(root, "bin/tgc.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  child.stderr!.on("data", (b: Buffer) => stderr.push(b.toString()));
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
  });
  connection.listen();
  const init = (await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} })) as {
    capabilities: Record<string, unknown>;
  };
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentFormattingProvider: true });
  await connection.sendNotification("initialized", {});
}, 20_000);

afterAll(async () => {
  try {
    await connection.sendRequest("shutdown");
    // After shutdown only exit is accepted: a request is refused, not answered.
    await expect(
      connection.sendRequest("textDocument/hover", { textDocument: { uri: uriOf("main.tg") }, position: { line: 0, character: 10 } }),
    ).rejects.toThrow(/shut down/);
    await connection.sendNotification("exit");
  } finally {
    connection.dispose();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("tgc lsp", () => {
  it("publishes the checker's diagnostics as you type: code, severity and range", async () => {
    const uri = uriOf("broken.tg");
    const text = `engine e = sim()\ntrainable a: "an answer" = call e { user: "😀 {nope}" }\n`;
    open(uri, text);
    const first = await diagnosticsOf(uri, 1);
    const unknown = first.diagnostics.find((d) => d.code === "TG2002");
    expect(unknown).toBeDefined();
    expect(unknown!.severity).toBe(1);
    expect(unknown!.message).toContain("unknown name 'nope'");
    // The emoji before the name is two UTF-16 units: the range is in those, as LSP positions are.
    expect(unknown!.range).toEqual({ start: positionOf(text, "nope"), end: positionOf(text, "nope", 0, 4) });

    // A change that fixes it clears it; a syntax error is reported with its own code, and the server lives on.
    const fixed = text.replace("nope", "a");
    await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    expect((await diagnosticsOf(uri, 2)).diagnostics.map((d) => d.code)).not.toContain("TG2002");
    await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 3 }, contentChanges: [{ text: "engine = = {{ (\"\"\"" }] });
    const broken = await diagnosticsOf(uri, 3);
    expect(broken.diagnostics.some((d) => String(d.code).startsWith("TG1"))).toBe(true);
  });

  it("hover on a variable shows its kind and role, across an import too", async () => {
    open(uriOf("common.tg"), common);
    open(uriOf("main.tg"), main);
    expect((await diagnosticsOf(uriOf("main.tg"), 1)).diagnostics).toEqual([]);
    const hoverAt = async (needle: string, nth = 0) =>
      (await connection.sendRequest("textDocument/hover", { textDocument: { uri: uriOf("main.tg") }, position: positionOf(main, needle, nth, 1) })) as Hover | null;
    const answer = await hoverAt("answer");
    expect((answer!.contents as MarkupContent).value).toContain("trainable answer: text");
    expect((answer!.contents as MarkupContent).value).toContain("a short answer about the topic");
    // `{topic}` after the emoji: the position is in UTF-16 units.
    const topic = await hoverAt("{topic}");
    const value = (topic!.contents as MarkupContent).value;
    expect(value).toContain("frozen topic: text");
    expect(value).toContain("the topic of the essay");
    expect(value).toContain("The topic every essay is about."); // its comment, as documentation
    const engine = await hoverAt("student", 1);
    expect((engine!.contents as MarkupContent).value).toContain("deterministic offline simulator");
  });

  it("hover on a per-example variable shows its parameter and that it has a value per example", async () => {
    const uri = uriOf("each.tg");
    const text = `engine e = sim()\ndata qs = jsonl("qs.jsonl") { q: text }\ntrainable answer(ex): "an answer" = call e { user: ex.q }\noptimize answer using tgd(engine: e) { each: qs, minimize: rubric e on answer "ok?" }\n`;
    open(uri, text);
    await diagnosticsOf(uri, 1);
    const hover = (await connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: positionOf(text, "answer", 3, 1) })) as Hover | null;
    const value = (hover!.contents as MarkupContent).value;
    expect(value).toContain("trainable answer(ex): text");
    expect(value).toContain("one value per example");
  });

  it("goes to a definition across an import", async () => {
    const location = (await connection.sendRequest("textDocument/definition", {
      textDocument: { uri: uriOf("main.tg") },
      position: positionOf(main, "{topic}", 0, 2),
    })) as Location;
    expect(location.uri).toBe(uriOf("common.tg"));
    expect(location.range.start).toEqual(positionOf(common, "topic:"));
  });

  it("completes names in scope, stdlib functions and engine options", async () => {
    const uri = uriOf("complete.tg");
    const text = `import { exa } from "std/metrics"\nengine e = sim() { tem }\nfrozen q: "a question" = "x"\nloss l = "wrong" unless ex\n`;
    open(uri, text);
    await diagnosticsOf(uri, 1);
    const labels = async (needle: string, delta: number) => {
      const r = (await connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: positionOf(text, needle, 0, delta) })) as
        | CompletionItem[]
        | CompletionList;
      return (Array.isArray(r) ? r : r.items).map((i) => i.label);
    };
    expect(await labels("exa }", 3)).toEqual(expect.arrayContaining(["exact_match", "exact_number", "contains"]));
    expect(await labels("tem }", 3)).toEqual(expect.arrayContaining(["temperature", "max_tokens", "key_env", "timeout"]));
    const r = (await connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: positionOf(text, "ex\n", 0, 2) })) as CompletionItem[];
    expect(r.map((i) => i.label)).toEqual(expect.arrayContaining(["q", "e", "exact_number", "contains"]));
    // A stdlib name not imported yet brings its import: here, into the import from the same module.
    const contains = r.find((i) => i.label === "contains")!;
    expect(contains.additionalTextEdits).toEqual([{ range: { start: positionOf(text, " }"), end: positionOf(text, " }") }, newText: ", contains" }]);
  });

  it("answers nothing, and does not fail, where there is nothing to answer", async () => {
    const hover = await connection.sendRequest("textDocument/hover", { textDocument: { uri: uriOf("main.tg") }, position: { line: 2, character: 0 } });
    expect(hover).toBeNull();
    const unopened = await connection.sendRequest("textDocument/definition", { textDocument: { uri: uriOf("nowhere.tg") }, position: { line: 0, character: 0 } });
    expect(unopened).toBeNull();
    const far = await connection.sendRequest("textDocument/hover", { textDocument: { uri: uriOf("main.tg") }, position: { line: 999, character: 999 } });
    expect(far).toBeNull();
  });

  it("completes module names and the options of calls, optimizers and optimize blocks", async () => {
    const uri = uriOf("options.tg");
    const text = [
      'import { exact_match } from "st"',
      "engine e = sim()",
      'fn f(q: text) -> text { call e { sys } }',
      'trainable a: "an answer" = "x"',
      "loss l = rubric e on a \"ok?\"",
      "optimize a using tgd(engine: e, mom) {",
      "  ste",
      "}",
      "",
    ].join("\n");
    open(uri, text);
    await diagnosticsOf(uri, 1);
    const labels = async (needle: string, delta: number) =>
      ((await connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: positionOf(text, needle, 0, delta) })) as CompletionItem[]).map(
        (i) => i.label,
      );
    expect(await labels('"st"', 3)).toEqual(expect.arrayContaining(["std/metrics", "std/choice"]));
    expect(await labels("sys }", 3)).toEqual(expect.arrayContaining(["system", "user", "temperature"]));
    expect(await labels("mom)", 3)).toEqual(expect.arrayContaining(["momentum", "constraints", "max_change"]));
    expect(await labels("  ste", 5)).toEqual(expect.arrayContaining(["steps", "minimize", "data", "validate"]));
  });

  it("goes into the standard library, and finds references", async () => {
    const uri = uriOf("refs.tg");
    const text = [
      'import { exact_match } from "std/metrics"',
      "fn twice(q: text) -> text {",
      '  let both = "{q} {q}"',
      "  both",
      "}",
      'frozen a: "an answer" = twice("x")',
      "",
    ].join("\n");
    open(uri, text);
    await diagnosticsOf(uri, 1);
    const std = (await connection.sendRequest("textDocument/definition", { textDocument: { uri }, position: positionOf(text, "exact_match", 0, 1) })) as Location;
    expect(std.uri).toBe(pathToFileURL(join(root, "stdlib/metrics.tg")).href);
    const refs = (await connection.sendRequest("textDocument/references", {
      textDocument: { uri },
      position: positionOf(text, "q}", 0, 0),
      context: { includeDeclaration: true },
    })) as Location[];
    expect(refs.map((r) => r.range.start)).toEqual([positionOf(text, "q:"), positionOf(text, "{q}", 0, 1), positionOf(text, "{q}", 1, 1)]);
    // A parameter and a let rename too.
    const edit = (await connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: positionOf(text, "both", 1), newName: "pair" })) as WorkspaceEdit;
    expect(edit.changes![uri]!.map((e) => e.range.start)).toEqual([positionOf(text, "both"), positionOf(text, "both", 1)]);
    await expect(
      connection.sendRequest("textDocument/prepareRename", { textDocument: { uri }, position: positionOf(text, "exact_match", 0, 1) }),
    ).rejects.toThrow(/standard library/);
  });

  it("renames a per-example variable's parameter with its uses, and refuses a rename that would change what names mean", async () => {
    const uri = uriOf("rename.tg");
    const text = [
      "engine e = sim()",
      'data qs = jsonl("qs.jsonl") { q: text, a: text }',
      'frozen topic: "a topic" = "tides"',
      'trainable answer(ex): "an answer" = call e { user: "{ex.q} {topic}" }',
      'loss l(ex) = rubric e on answer given ex.a "ok?"',
      "optimize answer using tgd(engine: e) { each: qs, minimize: l }",
      "",
    ].join("\n");
    open(uri, text);
    await diagnosticsOf(uri, 1);
    const rename = (needle: string, nth: number, newName: string) =>
      connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: positionOf(text, needle, nth), newName }) as Promise<WorkspaceEdit>;
    // At a use of the parameter: the declaration `answer(ex)` is renamed with it.
    const edit = await rename("ex.q", 0, "x");
    expect(edit.changes![uri]!.map((c) => c.range.start)).toEqual([positionOf(text, "ex)"), positionOf(text, "ex.q")]);
    await expect(rename("topic", 0, "answer")).rejects.toThrow(/'answer' is already declared/);
    await expect(rename("topic", 0, "e")).rejects.toThrow(/'e' is already declared/);
    // Inside answer's initializer `ex` is the parameter: a top-level name renamed to ex would be captured by it.
    await expect(rename("topic", 0, "ex")).rejects.toThrow(/already a parameter/);
    // The parameter renamed to a name its declaration already uses would capture that name.
    await expect(rename("ex.q", 0, "topic")).rejects.toThrow(/already means something else/);
  });

  it("formats like tgc fmt", async () => {
    const edits = (await connection.sendRequest("textDocument/formatting", {
      textDocument: { uri: uriOf("main.tg") },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(main.replace('"./common.tg"\n', '"./common.tg"\n\n'));
  });

  it("renames a variable at every reference, in every open module", async () => {
    const edit = (await connection.sendRequest("textDocument/rename", {
      textDocument: { uri: uriOf("main.tg") },
      position: positionOf(main, "given topic", 0, 7),
      newName: "subject",
    })) as WorkspaceEdit;
    const changes = edit.changes!;
    const starts = (uri: string) => changes[uri]!.map((e) => e.range.start).sort((a, b) => a.line - b.line || a.character - b.character);
    expect(starts(uriOf("common.tg"))).toEqual([positionOf(common, "topic:")]);
    expect(starts(uriOf("main.tg"))).toEqual([positionOf(main, "topic"), positionOf(main, "{topic}", 0, 1), positionOf(main, "topic \"Is")]);
    expect(Object.values(changes).flat().every((e) => e.newText === "subject")).toBe(true);
    await expect(
      connection.sendRequest("textDocument/rename", { textDocument: { uri: uriOf("main.tg") }, position: positionOf(main, "answer"), newName: "call" }),
    ).rejects.toThrow(/keyword/);
  });

  it("rechecks a module's importers as it changes, and shows its errors on their import", async () => {
    const broken = common.replace('"tides"', "nope");
    await connection.sendNotification("textDocument/didChange", { textDocument: { uri: uriOf("common.tg"), version: 2 }, contentChanges: [{ text: broken }] });
    const mainDiagnostics = await diagnosticsOf(uriOf("main.tg"), 1).then(async () => {
      for (let i = 0; i < 200; i++) {
        const last = diagnostics.get(uriOf("main.tg"))!.at(-1)!;
        if (last.diagnostics.length > 0) return last.diagnostics;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error("main.tg was not rechecked");
    });
    expect(mainDiagnostics).toHaveLength(1);
    expect(mainDiagnostics[0]!.code).toBe("TG2002");
    expect(mainDiagnostics[0]!.message).toContain("./common.tg has 1 error");
    expect(mainDiagnostics[0]!.range.start).toEqual(positionOf(main, '"./common.tg"'));
  });
});
