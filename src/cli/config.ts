// Keys and base URLs may also come from a config file, for people who prefer not to export them in every shell:
// $TGC_CONFIG, or $XDG_CONFIG_HOME/tgc/config.json (~/.config/tgc/config.json). It holds values for the same
// variables the environment would: { "env": { "OPENAI_API_KEY": "sk-…", "ANTHROPIC_BASE_URL": "…" } }.
// The environment wins over the file. The file lives in the user's home, never in a project, so it is not committed.
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface LoadedConfig {
  readonly env: Readonly<Record<string, string>>;
  readonly path: string | undefined;
  readonly warnings: readonly string[];
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TGC_CONFIG) return env.TGC_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "tgc", "config.json");
}

/** Reads the config file if there is one. A broken file is an error the user must see; a missing one is fine. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig | { error: string } {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { env: {}, path: undefined, warnings: [] };
    return { error: `cannot read the config file ${path}: ${(e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `the config file ${path} is not valid JSON: ${(e as Error).message}` };
  }
  const values = (json as { env?: unknown })?.env;
  if (typeof values !== "object" || values === null || Array.isArray(values) || Object.values(values).some((v) => typeof v !== "string")) {
    return { error: `the config file ${path} should look like { "env": { "OPENAI_API_KEY": "…" } } with string values` };
  }
  const warnings: string[] = [];
  try {
    if ((statSync(path).mode & 0o077) !== 0) warnings.push(`the config file ${path} can be read by other users; chmod 600 it`);
  } catch {
    // The file was just read; a failing stat changes nothing.
  }
  return { env: values as Record<string, string>, path, warnings };
}

/** The environment for engines: the config file's values, then the process environment over them. */
export function engineEnvironment(config: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...config.env };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") merged[k] = v;
  return merged;
}
