// Reading data sets: JSONL, CSV and JSON, with declared fields checked, typed and read from where they are
// (`answer: number from "target.value"`); and the parts of a split. Problems are diagnostics that name the file and
// line; nothing is thrown.
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DataConfig, FileData, SplitPartData } from "../ir/graph.js";

export type FieldValue = string | number | boolean;
export type Example = Readonly<Record<string, FieldValue>>;

export interface DataHost {
  /** The path of a data file named in a module. */
  resolve(path: string, module: string): string;
  read(path: string): string | undefined;
  /**
   * The files a path or glob (`notes/*.md`, `docs/**\/*.txt`) names in a module, sorted, each with its path and the
   * name to show (relative to the module's folder); undefined where the host has no files to list.
   */
  list?(pattern: string, module: string): readonly { readonly path: string; readonly name: string }[] | undefined;
}

/**
 * Data files and corpora held in memory, as a map of path (as the program writes it) → text. A corpus's glob
 * matches the map's paths: `*` within a folder, `**\/` across folders.
 */
export function memoryDataHost(files: Readonly<Record<string, string>>): DataHost {
  return {
    resolve: (path) => path,
    read: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
    list: (pattern) => {
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*")}$`);
      return Object.keys(files)
        .filter((p) => re.test(p))
        .sort()
        .map((path) => ({ path, name: path }));
    },
  };
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      if (row.some((f) => f !== "")) {
        rows.push(row);
        lines.push(rowLine);
      }
      row = [];
      field = "";
      line++;
      rowLine = line;
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== "")) {
    rows.push(row);
    lines.push(rowLine);
  }
  return { rows, lines };
}

export interface Loaded {
  readonly examples: Example[];
  readonly diagnostics: Diagnostic[];
}

/**
 * A data set's examples. `all` holds every data set, for a split's source; `cache` keeps each set loaded once per
 * run (a split's parts share their source's reading, and its problems are reported once).
 */
export function loadDataset(config: DataConfig, host: DataHost, all: ReadonlyMap<string, DataConfig>, cache = new Map<string, Loaded>()): Loaded {
  const known = cache.get(config.name);
  if (known) return known;
  const loaded = config.kind === "file" ? loadFile(config, host) : loadPart(config, host, all, cache);
  cache.set(config.name, loaded);
  return loaded;
}

/** How many examples each part of a split gets: counts as given, or fractions of `n` (all of it when they add to 1). */
export function partSizes(sizes: readonly number[], n: number): number[] {
  if (sizes.every((s) => Number.isInteger(s))) return [...sizes];
  const counts = sizes.map((f) => Math.floor(f * n));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9) counts[counts.length - 1] = n - counts.slice(0, -1).reduce((a, b) => a + b, 0);
  return counts;
}

function loadPart(config: SplitPartData, host: DataHost, all: ReadonlyMap<string, DataConfig>, cache: Map<string, Loaded>): Loaded {
  const source = all.get(config.source);
  if (!source) return { examples: [], diagnostics: [diagnostic("TG4003", `the data set '${config.source}' that '${config.name}' splits is missing`, config.range)] };
  const from = cache.get(source.name);
  const loaded = loadDataset(source, host, all, cache);
  // The source's problems are reported where it is read first.
  if (loaded.diagnostics.length) return { examples: [], diagnostics: from ? [] : loaded.diagnostics };
  const n = loaded.examples.length;
  const counts = partSizes(config.sizes, n);
  const wanted = counts.reduce((a, b) => a + b, 0);
  if (wanted > n) {
    return { examples: [], diagnostics: [diagnostic("TG4003", `the split of '${config.source}' asks for ${wanted} examples, and it has ${n}`, config.range)] };
  }
  if (counts[config.index] === 0) {
    return { examples: [], diagnostics: [diagnostic("TG4003", `'${config.name}' gets no example: ${config.source} has ${n}, too few for this share`, config.range)] };
  }
  const order = shuffled(
    loaded.examples.map((_, i) => i),
    config.seed,
  );
  const start = counts.slice(0, config.index).reduce((a, b) => a + b, 0);
  return { examples: order.slice(start, start + counts[config.index]!).map((i) => loaded.examples[i]!), diagnostics: [] };
}

/**
 * The line of the first syntax error in a JSON text that JSON.parse rejected (its message does not always say
 * where): a scan of JSON's grammar that stops where the text stops fitting it.
 */
export function jsonErrorLine(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n") fail();
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return void literal("true");
    if (c === "f") return void literal("false");
    if (c === "n") return void literal("null");
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
  } catch {
    // i is where the text stopped fitting
  }
  return text.slice(0, i).split("\n").length;
}

/** A field's value in a record: the key itself (CSV headers may hold dots), else a dotted path into objects. */
function valueAt(record: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in record) return record[path];
  let v: unknown = record;
  for (const key of path.split(".")) {
    if (typeof v !== "object" || v === null || !(key in v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function loadFile(config: FileData, host: DataHost): Loaded {
  const path = host.resolve(config.path, config.module);
  const text = host.read(path);
  const diagnostics: Diagnostic[] = [];
  const at = config.range;
  if (text === undefined) {
    diagnostics.push(diagnostic("TG4002", `cannot read data file "${config.path}" (looked for ${path})`, at, { hint: "paths are relative to the .tg file" }));
    return { examples: [], diagnostics };
  }
  const raw: { record: Record<string, unknown>; line: number }[] = [];
  const malformed = (line: number, why: string) =>
    diagnostics.push(diagnostic("TG4003", `${config.path}:${line}: ${why}`, at));
  switch (config.format) {
    case "jsonl":
      text.split("\n").forEach((l, i) => {
        if (l.trim() === "") return;
        try {
          const v: unknown = JSON.parse(l);
          if (typeof v !== "object" || v === null || Array.isArray(v)) malformed(i + 1, "expected a JSON object on this line");
          else raw.push({ record: v as Record<string, unknown>, line: i + 1 });
        } catch (e) {
          malformed(i + 1, `not valid JSON (${(e as Error).message})`);
        }
      });
      break;
    case "json": {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        malformed(jsonErrorLine(text), `not valid JSON (${(e as Error).message})`);
        break;
      }
      const list = Array.isArray(v) ? v : (v as { examples?: unknown })?.examples;
      if (!Array.isArray(list)) malformed(1, 'expected a list of objects, or an object with an "examples" list');
      else list.forEach((r: unknown, i) => (typeof r === "object" && r !== null ? raw.push({ record: r as Record<string, unknown>, line: i + 1 }) : malformed(i + 1, `item ${i + 1} is not an object`)));
      break;
    }
    case "csv": {
      const { rows, lines } = parseCsv(text);
      const header = rows[0];
      if (!header) break;
      rows.slice(1).forEach((r, i) => {
        if (r.length !== header.length) malformed(lines[i + 1]!, `expected ${header.length} fields, found ${r.length}`);
        else raw.push({ record: Object.fromEntries(header.map((h, j) => [h.trim(), r[j]])), line: lines[i + 1]! });
      });
      break;
    }
    default: {
      const never: never = config.format;
      return never;
    }
  }
  const examples: Example[] = [];
  for (const { record, line } of raw) {
    const ex: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(record)) ex[k] = typeof v === "number" || typeof v === "boolean" ? v : typeof v === "string" ? v : JSON.stringify(v);
    let ok = true;
    for (const f of config.fields ?? []) {
      const v = valueAt(record, f.source);
      if (v === undefined || v === null) {
        const where = f.source === f.name ? "" : ` (read from "${f.source}")`;
        diagnostics.push(diagnostic("TG4004", `${config.path}:${line}: missing field '${f.name}'${where}`, at));
        ok = false;
        continue;
      }
      if (f.type === "number") {
        const n = typeof v === "number" ? v : Number(String(v).trim());
        if (!Number.isFinite(n) || String(v).trim() === "") {
          malformed(line, `field '${f.name}' should be a number, found ${JSON.stringify(v)}`);
          ok = false;
        } else ex[f.name] = n;
      } else if (f.type === "bool") {
        const s = String(v).trim().toLowerCase();
        if (s !== "true" && s !== "false") {
          malformed(line, `field '${f.name}' should be true or false, found ${JSON.stringify(v)}`);
          ok = false;
        } else ex[f.name] = s === "true";
      } else ex[f.name] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    if (ok) examples.push(ex);
  }
  if (examples.length === 0 && diagnostics.length === 0) diagnostics.push(diagnostic("TG4003", `${config.path}: no examples`, at));
  return { examples, diagnostics: diagnostics.slice(0, 20) };
}

/** A small seeded generator (mulberry32), so shuffles are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rand = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
