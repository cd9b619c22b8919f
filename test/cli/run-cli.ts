// Runs the built CLI the way a user does: a separate process, with its own working directory.
import { spawn, spawnSync } from "node:child_process";
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

/** Runs tgc without blocking this process, which may be serving a loopback provider; no keys from the environment. */
export function tgcAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", TGC_CONFIG: "/nonexistent/tgc-config.json", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A stack trace line, which a user must never see. */
export const stackTrace = /^\s+at .*:\d+:\d+\)?$/m;
