// Robustness: parse and check never throw, whatever the text, and every diagnostic they return is well formed
// (a TGnnnn code, a non-empty message, a range inside the file). Real programs are mutated at random (fast-check,
// fixed seed so a failure reproduces), then a few pathological inputs are tried explicitly.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, memoryHost } from "../../src/check/index.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parse } from "../../src/syntax/parse.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import { mutatedFrom, seedPrograms, soup } from "./mutations.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

const ROOT_ID = "main.tg";
const metrics = read("stdlib/metrics.tg");

const seeds = seedPrograms();
const mutated = mutatedFrom(seeds);

/** Everything wrong with a list of diagnostics; empty when they are all well formed. */
function problems(diagnostics: readonly Diagnostic[], files: Record<string, string>): string[] {
  const out: string[] = [];
  const where = (d: Diagnostic) => `${d.code} ${JSON.stringify(d.message)} at ${d.range.file}:${d.range.start}-${d.range.end}`;
  for (const d of diagnostics) {
    if (typeof d.code !== "string" || !/^TG\d{4}$/.test(d.code)) out.push(`bad code: ${where(d)}`);
    if (typeof d.message !== "string" || d.message.trim() === "") out.push(`empty message: ${where(d)}`);
    const ranges = [d.range, ...(d.related ?? []).map((r) => r.range)];
    for (const r of ranges) {
      const text = files[r.file];
      if (text === undefined) continue; // a file the host does not hold (e.g. an unresolved import's own range)
      if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && 0 <= r.start && r.start <= r.end && r.end <= text.length)) {
        out.push(`range outside ${r.file} (length ${text.length}): ${where(d)}`);
      }
    }
  }
  return out;
}

interface Outcome {
  parse: readonly Diagnostic[];
  check: readonly Diagnostic[];
}

/** Parses and checks `text` as the root module; throws (failing the property) on a malformed diagnostic. */
function run(text: string): Outcome {
  const parsed = parse(text, ROOT_ID);
  const files = { [ROOT_ID]: text, "std/metrics": metrics };
  const bad = problems(parsed.diagnostics, { [ROOT_ID]: text });
  const checked = check(ROOT_ID, text, memoryHost(files));
  bad.push(...problems(checked.diagnostics, files));
  if (bad.length > 0) throw new Error(`malformed diagnostics:\n  ${bad.join("\n  ")}`);
  // What the checker accepts, the lowering must be able to compute: a program without errors never fails later.
  if (!hasErrors(checked.diagnostics)) lowerToGraph(checked.checked);
  return { parse: parsed.diagnostics, check: checked.diagnostics };
}

/** Fixed seed: the same programs every run, so any failure reproduces (fast-check prints the counterexample). */
const SEED = 20240611;
/** A mutated program (a few KB) that takes longer than this to parse and check counts as a failure. */
const SLOW_MS = 5_000;

describe("parse and check on mutated programs", () => {
  it("the seed programs themselves are well formed", () => {
    for (const s of seeds) run(s);
    expect(seeds.length).toBeGreaterThanOrEqual(3);
  });

  it("never throw and report only well-formed diagnostics", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        // A hang cannot be interrupted from here, but a near-hang can be caught: no program this small needs seconds.
        const t0 = performance.now();
        run(text);
        const ms = performance.now() - t0;
        if (ms > SLOW_MS) throw new Error(`parse+check took ${ms.toFixed(0)} ms on ${text.length} characters`);
      }),
      { numRuns: 2500, seed: SEED },
    );
  }, 60_000);

  it("never throw on lexically noisy text built only from the language's pieces", () => {
    fc.assert(
      fc.property(soup, (text) => {
        run(text);
      }),
      { numRuns: 1000, seed: SEED + 1 },
    );
  }, 60_000);
});

describe("pathological inputs", () => {
  const MB = 1 << 20;
  const codes = (o: Outcome) => [...new Set([...o.parse, ...o.check].map((d) => d.code))];

  const junk = (() => {
    let state = SEED;
    let out = "";
    for (let i = 0; i < 64 * 1024; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0; // a small LCG: deterministic junk
      out += String.fromCharCode(state >>> 24);
    }
    return out;
  })();

  it("random binary junk (64 KB of bytes 0–255) is one TG1008, at its first NUL byte", () => {
    const o = run(junk);
    expect(o.parse.map((d) => d.code)).toEqual(["TG1008"]);
    expect(o.check.map((d) => d.code)).toEqual(["TG1008"]);
    expect(o.parse[0]!.range.start).toBe(junk.indexOf("\u0000"));
  }, 30_000);

  it("random junk without NUL bytes (64 KB of bytes 1–255) goes through the lexer", () => {
    const o = run(junk.replace(/\u0000/g, "\u0001"));
    expect(o.parse.length).toBeGreaterThan(0);
    expect(codes(o)).not.toContain("TG1008");
  }, 30_000);

  it("1 MB of '(' nesting reports TG1007", () => {
    expect(codes(run("(".repeat(MB)))).toContain("TG1007");
  }, 30_000);

  it("1 MB of '[' nesting reports TG1007", () => {
    expect(codes(run("[".repeat(MB)))).toContain("TG1007");
  }, 30_000);

  it("256 KB of '{' nesting reports TG1007", () => {
    expect(codes(run("{".repeat(MB / 4)))).toContain("TG1007");
  }, 30_000);

  it("a `rubric e on rubric e on …` chain 20,000 deep reports TG1007", () => {
    const text = `engine e = openai("m")\nloss l = ${"rubric e on ".repeat(20_000)}"x"\n`;
    expect(codes(run(text))).toContain("TG1007");
  }, 30_000);

  it("an unterminated \"\"\" string", () => {
    const o = run('engine e = openai("m")\nfrozen q: "q" = """\n  never closed {q}\n\nloss l = rubric e on q """ x');
    expect(o.parse.length).toBeGreaterThan(0);
  });

  it("an unterminated /* comment", () => {
    const o = run('engine e = openai("m")\n/* never closed\nfrozen q = "x"\n');
    expect(o.parse.map((d) => d.code)).toContain("TG1004");
  });

  it('an unterminated " string', () => {
    const o = run('engine e = openai("m)\nfrozen q = "never closed\n');
    expect(o.parse.length).toBeGreaterThan(0);
  });

  it("a 1 MB single line (a whole program, its prompt a 1 MB string)", () => {
    const line = `engine e = openai("m") frozen q: "d" = "${"word ".repeat(MB / 5)}" loss l = rubric e on q "x"`;
    expect(line.length).toBeGreaterThan(MB);
    const o = run(line);
    expect(o.parse).toEqual([]);
  }, 30_000);

  it("a 32 KB single line of broken declarations (error recovery on every one)", () => {
    // At 1 MB this input takes ~20 s (about 10 µs a byte in parse and again in check): linear, but slow, so the
    // test keeps it small. See the report that came with this test.
    const line = 'frozen q = "a" + '.repeat(32 * 1024 / 16).slice(0, 32 * 1024);
    const o = run(line);
    expect(o.parse.length).toBeGreaterThan(0);
  }, 30_000);

  it("600 KB of keywords and brackets in no order: parsing stops after 1,000 syntax errors and says so", () => {
    const words = ["engine", "x", "=", "loss", "call", "rubric", '"s"', "1", ",", ":", "on", "given", "fn", "data", "()", "{}", "[]"];
    let state = SEED;
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const line: string[] = [];
      for (let w = 0; w < 8; w++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        line.push(words[(state >>> 16) % words.length]!);
      }
      lines.push(line.join(" "));
    }
    const o = run(lines.join("\n"));
    // Without the stop, recovery from each of some 40,000 errors took 15 s, to show 50 of them.
    expect(o.parse.length).toBe(51);
    expect(o.parse.at(-1)?.message ?? "").toMatch(/^\d+ more syntax errors not shown, and parsing stopped after 1000: is this a tg program\?$/);
  }, 30_000);

  it("a chain of 3,000 operands reports TG1007 instead of exhausting the stack of a later stage", () => {
    const o = run(`engine e = sim()\nfrozen a: "x" = ${Array.from({ length: 3000 }, () => '"y"').join(" + ")}\n`);
    expect(codes(o)).toContain("TG1007");
    // 256 operands are a program like any other.
    const ok = run(`engine e = sim()\nfrozen a: "x" = ${Array.from({ length: 256 }, () => '"y"').join(" + ")}\n`);
    expect(codes(ok)).not.toContain("TG1007");
  }, 30_000);

  it("a 1 MB single identifier", () => {
    run("a".repeat(MB));
  }, 30_000);

  it("an empty file", () => {
    const o = run("");
    expect(o.parse).toEqual([]);
  });

  it("whitespace and comments only", () => {
    const o = run(" \n\t// c\n/* c */\r\n");
    expect(o.parse).toEqual([]);
  });
});
