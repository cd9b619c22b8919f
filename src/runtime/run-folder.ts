// A run's folder: the program and its hash, the configuration, every event as JSONL (appended as it happens,
// so a crash loses nothing already done), and the final values.
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { RunEvent } from "./events.js";

export interface RunFolder {
  readonly path: string;
  readonly append: (event: RunEvent) => void;
  finish(values: Readonly<Record<string, string>>, status: string, usage: unknown): void;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[:]/g, "-").replace(/\..*$/, "");
}

export function createRunFolder(root: string, programPath: string, programText: string, config: Readonly<Record<string, unknown>>): RunFolder {
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
  const hash = createHash("sha256").update(programText).digest("hex");
  writeFileSync(join(path, "program.tg"), programText);
  writeFileSync(join(path, "config.json"), JSON.stringify({ program: programPath, sha256: hash, ...config }, null, 2) + "\n");
  const events = join(path, "events.jsonl");
  writeFileSync(events, "");
  return {
    path,
    append: (event) => appendFileSync(events, JSON.stringify(event) + "\n"),
    finish: (values, status, usage) => writeFileSync(join(path, "final.json"), JSON.stringify({ status, values, usage }, null, 2) + "\n"),
  };
}
