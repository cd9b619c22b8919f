import { readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { parseParameters } from "../../../stdlib/radiotherapy/parameters.js";
import { caseSpec, dvhTable, goalLines, modelOf, planFromText } from "../../../stdlib/radiotherapy/plan.js";
import type { CaseSpec } from "../../../stdlib/radiotherapy/phantom.js";
import { dvhPng, dvhSvg } from "../../../stdlib/radiotherapy/plot.js";
import { writeOutput } from "../files.js";
import { displayPath } from "../output.js";

export interface DvhOptions {
  readonly case: string;
  readonly variable?: string;
  readonly out?: string;
}

/** A problem with the input, reported on one line (`tgc dvh: …`) with its exit code. */
class DvhError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2 = 1,
  ) {
    super(message);
  }
}

const why = (e: unknown) => ((e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as Error).message);

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new DvhError(`cannot read ${displayPath(file)}: ${why(e)}`);
  }
}

/** The values a run folder's final.json holds, by name. */
function runValues(dir: string): Map<string, string> {
  const file = join(dir, "final.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new DvhError(`${displayPath(dir)} is a folder without final.json: give a file of planning parameters or a run folder`);
    throw new DvhError(`cannot read ${displayPath(file)}: ${why(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DvhError(`${displayPath(file)} is not valid JSON: ${(e as Error).message}`);
  }
  const values = typeof json === "object" && json !== null && "values" in json ? json.values : undefined;
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw new DvhError(`${displayPath(file)} has no "values" object`);
  return new Map(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The planning parameters and where they came from (for messages): a file's text, or a run folder's value. */
function parametersOf(source: string, spec: CaseSpec, variable: string | undefined): { text: string; from: string } {
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch (e) {
    throw new DvhError(`cannot read ${displayPath(source)}: ${why(e)}`);
  }
  if (!isDir) {
    if (variable !== undefined) throw new DvhError(`--variable names a value of a run folder, and ${displayPath(source)} is a file`, 2);
    return { text: read(source), from: displayPath(source) };
  }
  const values = runValues(source);
  const final = displayPath(join(source, "final.json"));
  const names = [...values.keys()].join(", ") || "none";
  if (variable !== undefined) {
    const text = values.get(variable);
    if (text === undefined) throw new DvhError(`${final} has no value "${variable}" (its values: ${names})`);
    return { text, from: `${variable} in ${final}` };
  }
  const phantom = modelOf(spec).phantom;
  const candidates = [...values].filter(([, text]) => parseParameters(text, phantom).ok);
  if (candidates.length === 0) throw new DvhError(`no value in ${final} is a set of planning parameters for the ${spec.name} case (its values: ${names}); name one with --variable`);
  if (candidates.length > 1) throw new DvhError(`several values in ${final} are planning parameters for the ${spec.name} case (${candidates.map(([n]) => n).join(", ")}); choose one with --variable`);
  const [name, text] = candidates[0]!;
  return { text, from: `${name} in ${final}` };
}

/** `tgc dvh SOURCE`: plans a radiotherapy case from its parameters; prints the DVH table and goals; draws the DVH. */
export async function dvhCommand(source: string, options: DvhOptions): Promise<number> {
  try {
    let spec: CaseSpec;
    try {
      spec = caseSpec(options.case);
    } catch (e) {
      throw new DvhError((e as Error).message, 2);
    }
    const { text, from } = parametersOf(source, spec, options.variable);
    const outcome = planFromText(spec.name, text);
    if (!outcome.ok) {
      process.stderr.write(`tgc dvh: the planning parameters in ${from} could not be read:\n${outcome.errors.map((e) => `  ${e}`).join("\n")}\n`);
      return 1;
    }
    const plan = outcome.plan;
    process.stdout.write(`${dvhTable(plan)}\n\n${goalLines(plan).join("\n")}\n`);
    if (options.out !== undefined) {
      const png = extname(options.out).toLowerCase() === ".png";
      let image: string | Uint8Array;
      try {
        image = png ? await dvhPng(plan) : dvhSvg(plan);
      } catch (e) {
        throw new DvhError(`cannot draw the PNG (${(e as Error).message.split("\n")[0]}); write an .svg instead`);
      }
      writeOutput(options.out, image);
      process.stdout.write(`wrote ${displayPath(options.out)}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof DvhError)) throw e;
    process.stderr.write(`tgc dvh: ${e.message}\n`);
    return e.code;
  }
}
