// The compile benchmark's input (bench/compile/generate.mjs) must check with no problems at all: the benchmark
// times `tgc check` on it and refuses a run whose output is not "no problems". A new warning that the generated
// program trips (as TG2016 did, for its missing data files) would otherwise be found only when someone benchmarks.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { writeProgram } from "../../bench/compile/generate.mjs";
import { nodeHost } from "../../src/api/host.js";
import { check } from "../../src/check/index.js";

const dir = mkdtempSync(join(tmpdir(), "tgc-bench-program-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("the generated benchmark program checks with no errors and no warnings", () => {
  const file = join(dir, "large.tg");
  (writeProgram as (lines: number, out: string) => string)(1_000, file);
  const { diagnostics } = check(file, readFileSync(file, "utf8"), nodeHost());
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
});
