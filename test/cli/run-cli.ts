// Runs the built CLI the way a user does: a separate process, with its own working directory.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");
const bin = join(root, "bin/tgc.js");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tgc(args: readonly string[], cwd = root, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", TGC_CONFIG: "/nonexistent/tgc-config.json", ...env }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace line, which a user must never see. */
export const stackTrace = /^\s+at .*:\d+:\d+\)?$/m;
