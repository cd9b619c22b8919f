// A run's folder: the program and its hash, the configuration, the computation graph (graph.json), every event as
// JSONL (appended as it happens, so a crash loses nothing already done), a checkpoint after every step (replaced
// atomically, so a kill at any moment leaves the previous one whole), and the final values. `openRunFolder` reopens one to resume it.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { toJson } from "../ir/export.js";
import type { Graph } from "../ir/graph.js";
import type { UsageSnapshot } from "../engines/cost.js";
import type { Checkpoint } from "./checkpoint.js";
import type { RunEvent } from "./events.js";

export interface RunFolder {
  readonly path: string;
  readonly append: (event: RunEvent) => void;
  readonly checkpoint: (checkpoint: Checkpoint) => void;
  finish(values: Readonly<Record<string, string>>, status: string, usage: unknown): void;
}

/** What config.json records. */
export interface RunConfig {
  readonly program: string;
  readonly sha256: string;
  readonly [key: string]: unknown;
}

export const programHash = (text: string) => createHash("sha256").update(text).digest("hex");

function stamp(d: Date): string {
  return d.toISOString().replace(/[:]/g, "-").replace(/\..*$/, "");
}

/** Writes through a temporary file and a rename: readers (and a resume after a kill) see the old or the new file whole. */
function replace(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

function folderAt(path: string): RunFolder {
  const events = join(path, "events.jsonl");
  return {
    path,
    append: (event) => appendFileSync(events, JSON.stringify(event) + "\n"),
    checkpoint: (c) => replace(join(path, "checkpoint.json"), JSON.stringify(c) + "\n"),
    finish: (values, status, usage) => replace(join(path, "final.json"), JSON.stringify({ status, values, usage }, null, 2) + "\n"),
  };
}

/** Makes `root/<time>-<name>/` and writes the program, its configuration and, when given, its graph (`graph.json`, for `tgc report`). */
export function createRunFolder(root: string, programPath: string, programText: string, config: Readonly<Record<string, unknown>>, graph?: Graph): RunFolder {
  const name = basename(programPath).replace(/\.tg$/, "");
  let path = join(root, `${stamp(new Date())}-${name}`);
  for (let i = 2; ; i++) {
    try {
      mkdirSync(path, { recursive: false });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") mkdirSync(root, { recursive: true });
      else if ((e as NodeJS.ErrnoException).code === "EEXIST") path = join(root, `${stamp(new Date())}-${name}-${i}`);
      else throw e;
    }
  }
  writeFileSync(join(path, "program.tg"), programText);
  writeFileSync(join(path, "config.json"), JSON.stringify({ program: programPath, sha256: programHash(programText), ...config }, null, 2) + "\n");
  if (graph) writeFileSync(join(path, "graph.json"), JSON.stringify(toJson(graph)) + "\n");
  writeFileSync(join(path, "events.jsonl"), "");
  return folderAt(path);
}

export type OpenedRun =
  | {
      readonly ok: true;
      readonly folder: RunFolder;
      readonly config: RunConfig;
      readonly checkpoint: Checkpoint | undefined;
      /** How the run ended, and what it had spent then, when it ended (final.json); undefined when it was killed. */
      readonly status: string | undefined;
      readonly spent: UsageSnapshot | undefined;
    }
  | { readonly ok: false; readonly error: string };

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? undefined : e instanceof Error ? e : new Error(String(e));
  }
}

/** Reads a run folder to continue it: its configuration, its last checkpoint and how it ended, if it did. */
export function readRunFolder(path: string): OpenedRun {
  if (!existsSync(path)) return { ok: false, error: `${path}: no such folder` };
  const config = readJson(join(path, "config.json"));
  if (config === undefined) return { ok: false, error: `${path} is not a run folder: it has no config.json` };
  if (config instanceof Error || typeof config !== "object" || config === null || !("sha256" in config)) return { ok: false, error: `${path}/config.json is not readable` };
  const checkpoint = readJson(join(path, "checkpoint.json"));
  if (checkpoint instanceof Error) return { ok: false, error: `${path}/checkpoint.json is not readable: ${checkpoint.message}` };
  if (checkpoint !== undefined && (checkpoint as Checkpoint).version !== 1) return { ok: false, error: `${path}/checkpoint.json was written by another version of tgc` };
  const final = readJson(join(path, "final.json"));
  const status = typeof final === "object" && final !== null && "status" in final && typeof final.status === "string" ? final.status : undefined;
  const spent = typeof final === "object" && final !== null && "usage" in final && typeof final.usage === "object" && final.usage !== null ? (final.usage as UsageSnapshot) : undefined;
  return { ok: true, folder: folderAt(path), config: config as RunConfig, checkpoint: checkpoint as Checkpoint | undefined, status, spent };
}

/**
 * Prepares a folder to continue from its checkpoint: keeps the events the checkpoint counts (those after it belong
 * to work that will be done again), removes the final values of the stopped run, and notes the resume in config.json.
 */
export function reopenRunFolder(path: string, config: RunConfig, checkpoint: Checkpoint | undefined): { ok: true } | { ok: false; error: string } {
  const events = join(path, "events.jsonl");
  const keep = checkpoint?.events ?? 0;
  let text: string;
  try {
    text = readFileSync(events, "utf8");
  } catch {
    text = "";
  }
  const lines = text.split("\n").slice(0, keep);
  if (lines.length < keep || lines.some((l) => l === "")) return { ok: false, error: `${events} holds fewer events than its checkpoint counts (${keep}): it was changed after the run` };
  replace(events, lines.map((l) => `${l}\n`).join(""));
  rmSync(join(path, "final.json"), { force: true });
  const resumes = Array.isArray(config["resumes"]) ? config["resumes"] : [];
  const at = { at: new Date().toISOString(), optimization: checkpoint?.optimization ?? 0, step: checkpoint?.step ?? 0 };
  replace(join(path, "config.json"), JSON.stringify({ ...config, resumes: [...resumes, at] }, null, 2) + "\n");
  return { ok: true };
}
