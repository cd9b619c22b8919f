// The language server: the checker and the formatter, served to editors over the Language Server Protocol.
// Every request is answered from a fresh (cached) check of the open documents; nothing a document holds can
// crash the server: a failure while checking becomes a diagnostic, a failure in a request an empty answer.
import {
  DiagnosticSeverity,
  ErrorCodes,
  MarkupKind,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type Location,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { formatTg } from "../format/index.js";
import { plainText } from "../syntax/strings.js";
import { complete } from "./completion.js";
import { hoverMarkdown } from "./hover.js";
import { badName, cannotRename, placesOf, renameConflict } from "./rename.js";
import { declarationRange, occurrenceAt } from "./symbols.js";
import { Workspace, type Analysis } from "./workspace.js";

export interface ServerOptions {
  /** The package's stdlib folder, where `std/<name>` modules are read from. */
  readonly stdlibDir: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const workspace = new Workspace(options.stdlibDir);

  const lspRange = (document: TextDocument, r: Range) => ({ start: document.positionAt(r.start), end: document.positionAt(r.end) });
  const locationOf = (module: string, text: string, r: Range): Location => {
    const document = workspace.documentOf(module, text);
    return { uri: workspace.uriOf(module), range: lspRange(document, r) };
  };

  const toLsp = (a: Analysis, d: Diagnostic): LspDiagnostic => ({
    range: lspRange(a.document, d.range),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "tgc",
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    ...(d.related?.length
      ? {
          relatedInformation: d.related.flatMap((r) => {
            const text = a.checked.modules.get(r.range.file)?.text;
            return text === undefined ? [] : [{ location: locationOf(r.range.file, text, r.range), message: r.message }];
          }),
        }
      : {}),
  });

  /** An error in a module this one imports is shown on the import, with the first error as related information. */
  const importedErrors = (a: Analysis): LspDiagnostic[] => {
    const host = workspace.host();
    const out: LspDiagnostic[] = [];
    for (const d of a.checked.root.program.declarations) {
      if (d.kind !== "ImportDecl") continue;
      const spec = plainText(d.source.parts);
      const target = spec === undefined ? undefined : host.resolve(spec, a.id);
      if (target === undefined || target === a.id) continue;
      const errors = a.diagnostics.filter((x) => x.range.file === target && x.severity === "error");
      const first = errors[0];
      if (!first) continue;
      out.push({
        ...toLsp(a, { ...first, range: d.source.range, related: [{ message: first.message, range: first.range }] }),
        message: `${spec} has ${errors.length} error${errors.length === 1 ? "" : "s"}; the first: ${first.message}`,
      });
    }
    return out;
  };

  const publish = (uri: string) => {
    const document = workspace.get(uri);
    if (!document) return;
    let diagnostics: LspDiagnostic[];
    try {
      const a = workspace.analyze(uri);
      diagnostics = a ? [...a.diagnostics.filter((d) => d.range.file === a.id).map((d) => toLsp(a, d)), ...importedErrors(a)] : [];
    } catch (e) {
      diagnostics = [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Error,
          source: "tgc",
          message: `tgc could not check this file (an internal error; please report it): ${(e as Error).message}`,
        },
      ];
    }
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  };
  /** A change to one document can change what another imports: check them all (the changed one first). */
  const publishAll = (first: string) => {
    publish(first);
    for (const d of workspace.documents()) if (d.uri !== first) publish(d.uri);
  };

  // After `shutdown` the protocol allows only `exit`: requests are refused, notifications ignored.
  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
  });

  /** Runs a request's handler; an internal error is logged and answered with `fallback`. */
  const guarded =
    <P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>) =>
    async (params: P): Promise<R> => {
      if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, "the server is shut down: only 'exit' is accepted");
      try {
        return await handler(params);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        connection.console.error(`tgc lsp: ${name} failed: ${(e as Error).stack ?? String(e)}`);
        return fallback;
      }
    };

  const at = (uri: string, position: { line: number; character: number }) => {
    const a = workspace.analyze(uri);
    if (!a) return undefined;
    const offset = a.document.offsetAt(position);
    const occurrence = occurrenceAt(a.checked, a.id, offset);
    return { analysis: a, offset, occurrence };
  };

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ["{", "\"", "/", ",", " "] },
        documentFormattingProvider: true,
        renameProvider: { prepareProvider: true },
      },
      serverInfo: { name: "tgc" },
    }),
  );

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    if (shutDown) return;
    workspace.set(TextDocument.create(t.uri, t.languageId, t.version, t.text));
    publishAll(t.uri);
  });
  connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
    if (shutDown) return;
    const document = workspace.get(t.uri);
    if (!document) return;
    workspace.set(TextDocument.update(document, contentChanges, t.version));
    publishAll(t.uri);
  });
  connection.onDidCloseTextDocument(({ textDocument: t }) => {
    workspace.close(t.uri);
    void connection.sendDiagnostics({ uri: t.uri, diagnostics: [] });
    for (const d of workspace.documents()) publish(d.uri);
  });

  connection.onHover(
    guarded("hover", null, ({ textDocument, position }) => {
      const found = at(textDocument.uri, position);
      if (!found?.occurrence) return null;
      const { analysis: a, occurrence: o } = found;
      return {
        contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(a.checked, o.symbol, a.id) },
        range: lspRange(a.document, o.name.range),
      };
    }),
  );

  connection.onDefinition(
    guarded("definition", null, ({ textDocument, position }): Location | null => {
      const found = at(textDocument.uri, position);
      if (!found?.occurrence) return null;
      const sym = found.occurrence.symbol;
      const r = declarationRange(sym);
      const text = found.analysis.checked.modules.get(sym.module)?.text;
      return text === undefined ? null : locationOf(sym.module, text, r);
    }),
  );

  /** The analyses a search for a symbol's uses must cover: this document's and every other open one's. */
  const allAnalyses = (first: Analysis): Analysis[] => {
    const out = [first];
    for (const d of workspace.documents()) {
      if (d.uri === first.uri) continue;
      try {
        const a = workspace.analyze(d.uri);
        if (a) out.push(a);
      } catch {
        // a document the checker cannot read adds no places
      }
    }
    return out;
  };

  connection.onReferences(
    guarded("references", [] as Location[], ({ textDocument, position, context }) => {
      const found = at(textDocument.uri, position);
      if (!found?.occurrence) return [];
      return placesOf(found.occurrence.symbol, allAnalyses(found.analysis), context.includeDeclaration).map((p) => locationOf(p.module, p.text, p.range));
    }),
  );

  connection.onPrepareRename(
    guarded("prepareRename", null, ({ textDocument, position }) => {
      const found = at(textDocument.uri, position);
      if (!found?.occurrence) throw new ResponseError(ErrorCodes.InvalidRequest, "there is no name here to rename");
      const why = cannotRename(found.occurrence.symbol);
      if (why) throw new ResponseError(ErrorCodes.InvalidRequest, why);
      return { range: lspRange(found.analysis.document, found.occurrence.name.range), placeholder: found.occurrence.name.name };
    }),
  );

  connection.onRenameRequest(
    guarded("rename", null, ({ textDocument, position, newName }): WorkspaceEdit | null => {
      const found = at(textDocument.uri, position);
      if (!found?.occurrence) return null;
      const why = cannotRename(found.occurrence.symbol) ?? badName(newName);
      if (why) throw new ResponseError(ErrorCodes.InvalidParams, why);
      const analyses = allAnalyses(found.analysis);
      const places = placesOf(found.occurrence.symbol, analyses, true);
      const conflict = renameConflict(found.occurrence.symbol, newName, places, analyses);
      if (conflict) throw new ResponseError(ErrorCodes.InvalidParams, conflict);
      const changes: Record<string, TextEdit[]> = {};
      for (const p of places) {
        const location = locationOf(p.module, p.text, p.range);
        (changes[location.uri] ??= []).push({ range: location.range, newText: newName });
      }
      return { changes };
    }),
  );

  connection.onCompletion(
    guarded("completion", [], ({ textDocument, position }) => {
      const a = workspace.analyze(textDocument.uri);
      if (!a) return [];
      return complete({
        document: a.document,
        id: a.id,
        checked: a.checked,
        offset: a.document.offsetAt(position),
        host: workspace.host(),
      });
    }),
  );

  connection.onDocumentFormatting(
    guarded("formatting", [] as TextEdit[], async ({ textDocument }) => {
      const document = workspace.get(textDocument.uri);
      if (!document) return [];
      const text = document.getText();
      // A file with syntax errors is left alone (its diagnostics say why), as `tgc fmt` does.
      const { formatted } = await formatTg(text, workspace.idOf(document.uri));
      if (formatted === undefined || formatted === text) return [];
      return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: formatted }];
    }),
  );

  connection.listen();
}
