// The documents an editor has open, the module host that reads them before the disk, and each document's checked
// program, cached until a module it read changes (a change in one module can break another that imports it).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { check, type CheckedProgram, type ModuleHost } from "../check/index.js";
import { stdModuleIds } from "../check/host.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** One check of one open document: the program as the checker sees it, and what it said. */
export interface Analysis {
  readonly uri: string;
  /** The module id the document is checked as: its path for a file, its URI otherwise. */
  readonly id: string;
  readonly document: TextDocument;
  readonly checked: CheckedProgram;
  readonly diagnostics: readonly Diagnostic[];
}

export class Workspace {
  private readonly open = new Map<string, TextDocument>();
  private readonly cache = new Map<string, Analysis>();

  constructor(readonly stdlibDir: string) {}

  set(document: TextDocument): void {
    this.open.set(document.uri, document);
    this.forget(this.idOf(document.uri));
  }

  close(uri: string): void {
    this.open.delete(uri);
    this.forget(this.idOf(uri));
  }

  /**
   * Drops the analyses a change to module `id` can change: those that read it, and those with an import they could
   * not find or read (TG2003), which may be this one. The others stay: a keystroke in one file does not check every
   * open file again.
   */
  private forget(id: string): void {
    for (const [uri, a] of this.cache) {
      if (a.checked.modules.has(id) || a.diagnostics.some((d) => d.code === "TG2003")) this.cache.delete(uri);
    }
  }

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  documents(): readonly TextDocument[] {
    return [...this.open.values()];
  }

  /** The module id of a document: a file's absolute path (as the CLI's host names modules), else the URI itself. */
  idOf(uri: string): string {
    if (uri.startsWith("file:")) {
      try {
        return fileURLToPath(uri);
      } catch {
        return uri;
      }
    }
    return uri;
  }

  /** The URI of a module id: `std/<name>` is a file of the package's stdlib. */
  uriOf(id: string): string {
    if (id.startsWith("std/")) return pathToFileURL(join(this.stdlibDir, `${id.slice(4)}.tg`)).href;
    for (const d of this.open.values()) if (this.idOf(d.uri) === id) return d.uri;
    return isAbsolute(id) ? pathToFileURL(id).href : id;
  }

  /** Reads open documents first, then the disk; `std/` from the package's stdlib folder. */
  host(): ModuleHost {
    const openText = (id: string): string | undefined => {
      for (const d of this.open.values()) if (this.idOf(d.uri) === id) return d.getText();
      return undefined;
    };
    return {
      resolve: (specifier, from) => {
        if (specifier.startsWith("std/")) {
          const name = specifier.slice(4);
          return /^[a-z_][a-z0-9_]*$/.test(name) && existsSync(join(this.stdlibDir, `${name}.tg`)) ? specifier : undefined;
        }
        if (!from.startsWith("std/") && !isAbsolute(from)) return undefined; // an unsaved document has no folder
        const base = from.startsWith("std/") ? this.stdlibDir : dirname(from);
        const path = resolve(base, specifier);
        return openText(path) !== undefined || existsSync(path) ? path : undefined;
      },
      read: (id) => {
        const path = id.startsWith("std/") ? join(this.stdlibDir, `${id.slice(4)}.tg`) : id;
        const text = openText(path);
        if (text !== undefined) return text;
        try {
          return readFileSync(path, "utf8");
        } catch {
          return undefined;
        }
      },
      stdModules: () => {
        try {
          return stdModuleIds(readdirSync(this.stdlibDir));
        } catch {
          return [];
        }
      },
    };
  }

  /** The document checked, with every open document as its imports see them. */
  analyze(uri: string): Analysis | undefined {
    const document = this.open.get(uri);
    if (!document) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.document === document) return cached;
    const id = this.idOf(uri);
    const { checked, diagnostics } = check(id, document.getText(), this.host());
    const analysis: Analysis = { uri, id, document, checked, diagnostics };
    this.cache.set(uri, analysis);
    return analysis;
  }

  /** A module's text as a document, for converting its offsets to positions. */
  documentOf(id: string, text: string): TextDocument {
    const uri = this.uriOf(id);
    const open = this.open.get(uri);
    return open && open.getText() === text ? open : TextDocument.create(uri, "tg", 0, text);
  }
}
