// Reading a run folder (see runtime/run-folder.ts) for a report or a listing: its configuration, events, final
// values, whether it has a checkpoint, and its graph. Any problem is one line that names the file; a run still
// going or killed (no final.json, a last event cut short) is read as far as it goes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { UsageSnapshot } from "../engines/cost.js";
import type { GraphJson } from "../ir/export.js";
import type { RunEvent } from "../runtime/events.js";

export interface RunFinal {
  readonly status: string;
  readonly values: Readonly<Record<string, string>>;
  readonly usage: UsageSnapshot | undefined;
}

export interface RunFiles {
  /** The folder as the caller named it. */
  readonly path: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The events a report uses; events of kinds it does not know (a newer tgc's) are left out. */
  readonly events: readonly RunEvent[];
  /** events.jsonl ended in a line cut short (a run killed while writing): that line is left out. */
  readonly cutShort: boolean;
  readonly final: RunFinal | undefined;
  readonly hasCheckpoint: boolean;
  readonly graph: GraphJson | undefined;
  /** program.tg: the program as it ran. */
  readonly program: string | undefined;
}

export type ReadResult = { readonly ok: true; readonly run: RunFiles } | { readonly ok: false; readonly error: string };

class ReadError extends Error {}

const why = (e: unknown) => ((e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message);

function text(file: string, required: boolean): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ReadError(`cannot read ${file}: ${why(e)}`);
  }
}

function json(file: string, required: boolean): unknown {
  const t = text(file, required);
  if (t === undefined) return undefined;
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new ReadError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type FieldKind = "string" | "number" | "boolean" | "array" | "object" | "number?" | "string?";

/** The fields a report reads, per event kind: an event that lacks one is not from tgc. */
const shapes: Partial<Record<RunEvent["type"], Readonly<Record<string, FieldKind>>>> = {
  run_started: { program: "string", engines: "array" },
  variable_initialized: { name: "string", value: "string" },
  step_started: { optimization: "number", step: "number", examples: "array" },
  call: { purpose: "string", engine: "string", reply: "string" },
  loss: { node: "number", label: "string", text: "string", loss: "number?", sample: "number?" },
  retrieval: { node: "number", label: "string", query: "string", passages: "array", sample: "number?" },
  agent_step: { node: "number", label: "string", step: "number", tool: "string", arguments: "object", result: "string", failed: "boolean", sample: "number?" },
  agent_finished: { node: "number", label: "string", steps: "number", answer: "string", exhausted: "boolean", sample: "number?" },
  gradient: { from: "number", fromLabel: "string", to: "number", toLabel: "string", text: "string", sample: "number?" },
  gradients_condensed: { variable: "string", count: "number", before: "number", after: "number" },
  update: { variable: "string", step: "number", before: "string", after: "string" },
  update_skipped: { variable: "string", step: "number", reason: "string" },
  validation: { step: "number", score: "number", best: "number", reverted: "boolean" },
  step_finished: { step: "number", loss: "number?" },
  solved: { step: "number" },
  early_stopped: { step: "number", patience: "number", best: "number", bestStep: "number" },
  vote: { variable: "string", answers: "array", chosenStep: "number", winner: "string?" },
  example_started: { optimization: "number", example: "number", examples: "number" },
  example_finished: { optimization: "number", example: "number", values: "object", before: "number?", after: "number?" },
  each_finished: { optimization: "number", examples: "number", before: "number?", after: "number?" },
  usage: { usage: "object" },
  run_finished: { status: "string", values: "object", reason: "string?" },
};

function fits(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "string":
    case "number":
    case "boolean":
      return typeof value === kind;
    case "number?":
      return value === undefined || value === null || typeof value === "number";
    case "string?":
      return value === undefined || typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** A line of events.jsonl: the event, `undefined` for a kind the report does not use, or what is wrong with it. */
function eventOf(line: unknown): RunEvent | undefined | string {
  if (!isObject(line) || typeof line["type"] !== "string") return "it has no type";
  const type = line["type"];
  const shape = shapes[type as RunEvent["type"]];
  if (!shape) return undefined;
  for (const [field, kind] of Object.entries(shape)) {
    if (!fits(line[field], kind)) return `its ${field} is not a ${kind.replace("?", "")}`;
  }
  return line as unknown as RunEvent;
}

function readEvents(file: string): { events: RunEvent[]; cutShort: boolean } {
  const all = text(file, true)!;
  const lines = all.split("\n");
  // A whole file ends in "\n"; anything after the last one is a line a killed run did not finish writing.
  const last = lines.pop()!;
  const events: RunEvent[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(l);
    } catch (e) {
      throw new ReadError(`${file} line ${i + 1} is not valid JSON: ${(e as Error).message}`);
    }
    const event = eventOf(parsed);
    if (typeof event === "string") throw new ReadError(`${file} line ${i + 1} is not a run event: ${event}`);
    if (event) events.push(event);
  });
  return { events, cutShort: last.trim() !== "" };
}

function graphOf(file: string): GraphJson | undefined {
  const g = json(file, false);
  if (g === undefined) return undefined;
  if (!isObject(g) || !Array.isArray(g["nodes"]) || !Array.isArray(g["edges"])) throw new ReadError(`${file} is not a graph: it needs "nodes" and "edges"`);
  const nodesOk = g["nodes"].every((n) => isObject(n) && typeof n["id"] === "number" && typeof n["kind"] === "string" && typeof n["label"] === "string");
  const edgesOk = g["edges"].every((e) => isObject(e) && typeof e["from"] === "number" && typeof e["to"] === "number");
  if (!nodesOk || !edgesOk) throw new ReadError(`${file} is not a graph: a node lacks its id, kind or label, or an edge its ends`);
  return { version: 1, roots: [], ...g } as unknown as GraphJson;
}

function finalOf(file: string): RunFinal | undefined {
  const f = json(file, false);
  if (f === undefined) return undefined;
  if (!isObject(f) || typeof f["status"] !== "string") throw new ReadError(`${file} is not a run's final record: it has no status`);
  const values = isObject(f["values"]) ? Object.fromEntries(Object.entries(f["values"]).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  const usage = isObject(f["usage"]) && isObject(f["usage"]["total"]) ? (f["usage"] as unknown as UsageSnapshot) : undefined;
  return { status: f["status"], values, usage };
}

/** Reads a run folder. Never throws: a problem is `{ ok: false, error }`, one line naming the file. */
export function readRun(path: string): ReadResult {
  try {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      throw new ReadError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such folder" : (e as Error).message}`);
    }
    if (!isDir) throw new ReadError(`${path} is not a run folder: it is a file (give the folder tgc run wrote, runs/<time>-<name>)`);
    const config = json(join(path, "config.json"), false);
    if (config === undefined) throw new ReadError(`${path} is not a run folder: it has no config.json`);
    if (!isObject(config) || typeof config["sha256"] !== "string") throw new ReadError(`${join(path, "config.json")} is not a run's configuration`);
    const { events, cutShort } = readEvents(join(path, "events.jsonl"));
    let hasCheckpoint = false;
    try {
      hasCheckpoint = statSync(join(path, "checkpoint.json")).isFile();
    } catch {
      hasCheckpoint = false;
    }
    return {
      ok: true,
      run: {
        path,
        config,
        events,
        cutShort,
        final: finalOf(join(path, "final.json")),
        hasCheckpoint,
        graph: graphOf(join(path, "graph.json")),
        program: text(join(path, "program.tg"), false),
      },
    };
  } catch (e) {
    if (e instanceof ReadError) return { ok: false, error: e.message };
    return { ok: false, error: `cannot read ${path}: ${(e as Error).message}` };
  }
}

/** The folders under `dir` that are run folders (they hold a config.json), by name. */
export function runFolders(dir: string): { ok: true; names: string[] } | { ok: false; error: string; missing: boolean } {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT", error: code === "ENOENT" ? `${dir} does not exist` : code === "ENOTDIR" ? `${dir} is not a folder` : `cannot read ${dir}: ${(e as Error).message}` };
  }
  const names = entries.filter((d) => d.isDirectory()).map((d) => d.name);
  return {
    ok: true,
    names: names.filter((n) => {
      try {
        return statSync(join(dir, n, "config.json")).isFile();
      } catch {
        return false;
      }
    }),
  };
}
