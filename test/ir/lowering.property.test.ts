// Whatever the checker accepts, the lowering can compute: random programs built from the language's constructs
// either get an error from `check` or lower to a graph without throwing.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { check } from "../../src/check/index.js";
import { memoryHost } from "../../src/check/host.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { lowerToGraph } from "../../src/ir/lower.js";

const metrics = readFileSync(join(import.meta.dirname, "../../stdlib/metrics.tg"), "utf8");

/** Expressions of every kind, some well typed in a given place and some not. */
const atom = fc.constantFrom("v", "q", "ex.q", "ex.n", "3", "0.5", "true", '"text {v}"', '"{ex.q}"', "ex", "e", "d", "[\"a\"]", "f(v)", "f(ex.q)", "g(ex)", "l1", "l2(ex)", "l2", "exact_number(v, ex.q)");
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.tuple(tie("e"), fc.constantFrom("+", "*"), tie("e")).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie("e").map((x) => `(${x})`),
    tie("e").map((x) => `call e { user: ${x} }`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `rubric e on ${a} given ${b} "judge"`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a} unless ${b}`),
  ),
})).e;

/** A slot keeps a well-typed default most of the time, so that programs with one or two odd parts pass the checker. */
const slot = (dflt: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(dflt) }, { weight: 2, arbitrary: expr });

const program = fc
  .record({
    fnBody: slot("call e { system: v, user: y }"),
    letValue: slot("x.q"),
    lossBody: slot('rubric e on f(ex.q) "judge"'),
    minimize: slot("l2"),
    init: slot('"Think."'),
    validate: slot("exact_number(f(ex.q), ex.q)"),
  })
  .map(
  (p) => `import { exact_number } from "std/metrics"
engine e = sim()
data d = jsonl("d.jsonl") { q: text, n: number }
trainable v: "a prompt" = ${p.init}
frozen q: "a question" = "Q?"
fn f(x: text) -> text { call e { system: v, user: x } }
fn g(x: d) {
  let y = ${p.letValue}
  ${p.fnBody}
}
loss l1 = rubric e on v "judge"
loss l2(ex) = ${p.lossBody}
optimize v using tgd(engine: e) {
  data: d
  minimize: ${p.minimize}
  validate: d by ${p.validate}, keep best
}
`,
);

describe("lowering what the checker accepts", () => {
  it("never throws on a program without errors", () => {
    let accepted = 0;
    fc.assert(
      fc.property(program, (text) => {
        const { checked, diagnostics } = check("main.tg", text, memoryHost({ "main.tg": text, "std/metrics": metrics }));
        if (hasErrors(diagnostics)) return;
        accepted++;
        lowerToGraph(checked);
      }),
      { numRuns: 3000, seed: 20261129 },
    );
    // The property means something only if some programs pass the checker.
    if (accepted < 20) throw new Error(`only ${accepted} generated programs passed the checker`);
  }, 60_000);
});
