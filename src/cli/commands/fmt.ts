import { readFileSync, writeFileSync } from "node:fs";
import { formatTg } from "../../format/index.js";
import { displayPath, renderAll, useColor } from "../output.js";

export interface FmtOptions {
  readonly check: boolean;
  readonly write: boolean;
}

/**
 * `tgc fmt FILE...`: prints the formatted file (one file), or with --write rewrites files in place,
 * or with --check lists files that are not formatted and exits 1. A file with syntax errors is left alone.
 */
export async function fmtCommand(files: readonly string[], options: FmtOptions): Promise<number> {
  let status = 0;
  const unformatted: string[] = [];
  if (!options.check && !options.write && files.length > 1) {
    process.stderr.write("tgc fmt: with several files, use --write to rewrite them or --check to verify them\n");
    return 2;
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`tgc fmt: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}\n`);
      status = 1;
      continue;
    }
    const result = await formatTg(text, file);
    if (result.formatted === undefined) {
      process.stderr.write(renderAll(result.diagnostics, () => text, useColor(process.stderr)) + "\n");
      process.stderr.write(`tgc fmt: ${displayPath(file)} has syntax errors; not formatted\n`);
      status = 1;
      continue;
    }
    if (options.check) {
      if (result.formatted !== text) unformatted.push(file);
    } else if (options.write) {
      if (result.formatted !== text) {
        writeFileSync(file, result.formatted);
        process.stdout.write(`formatted ${displayPath(file)}\n`);
      }
    } else {
      process.stdout.write(result.formatted);
    }
  }
  if (options.check) {
    for (const f of unformatted) process.stdout.write(`not formatted: ${displayPath(f)}\n`);
    if (unformatted.length) {
      process.stdout.write(`${unformatted.length} file(s) need formatting; run tgc fmt --write ${unformatted.map(displayPath).join(" ")}\n`);
      status = 1;
    } else if (status === 0) process.stdout.write(`${files.length === 1 ? "the file is" : `all ${files.length} files are`} formatted already\n`);
  }
  return status;
}
