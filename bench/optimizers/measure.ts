// TGD against the whole-graph optimizer (`opto`) on the same programs: optimizer calls and tokens per step.
// run.mjs bundles this file (src/ internals are not in dist/), runs it and formats the JSON it prints.
// Every engine is the deterministic simulator: the prompts are the real ones (so input tokens mean what they
// will with a provider); output tokens are the simulator's and only indicative.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stdlibNatives } from "../../stdlib/index.js";
import { check, memoryHost } from "../../src/check/index.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import type { Engine, EngineRequest } from "../../src/engines/engine.js";
import { SimEngine } from "../../src/engines/sim/index.js";
import { lowerToGraph } from "../../src/ir/lower.js";
import type { RunEvent } from "../../src/runtime/events.js";
import { runProgram } from "../../src/runtime/run.js";

const root = process.argv[2] ?? process.cwd();
const read = (p: string) => readFileSync(join(root, p), "utf8");
const std = Object.fromEntries(["metrics", "choice", "code", "molecule", "radiotherapy"].map((m) => [`std/${m}`, read(`stdlib/${m}.tg`)]));

/** Three calls in a chain, two trainable prompts: where one call per step should pay off most. */
const PIPELINE = `engine teacher = openai("gpt-4o")
engine student = openai("gpt-4o-mini")
data train = jsonl("examples/data/counting.train.jsonl") { question: text, answer: text }
trainable plan: "instructions for listing the items a question names" = "List the items."
trainable count: "instructions for counting the listed items" = "Count them."
trainable answer: "instructions for the final answer's form" = "Answer with a number."
fn solve(q: text) -> text {
  let items = call student { system: plan, user: q }
  let total = call student { system: count, user: "{q}\\n{items}" }
  call student { system: answer, user: total }
}
loss judge(ex) = rubric teacher on solve(ex.question) given ex.answer "Compare with the correct answer; say where it went wrong."
optimize plan, count, answer using tgd(engine: teacher, momentum: 2) { data: train, batch: 3, epochs: 1, minimize: judge }
`;

const programs: { name: string; source: string }[] = [
  { name: "examples/quickstart.tg", source: read("examples/quickstart.tg") },
  { name: "examples/prompt-optimization.tg", source: read("examples/prompt-optimization.tg") },
  { name: "three-prompt pipeline (bench/optimizers)", source: PIPELINE },
];

const OPTIMIZER_PURPOSES = new Set(["backward", "update", "condense", "propose"]);

async function measure(source: string) {
  const files: Record<string, string> = { "main.tg": source, ...std };
  const { checked, diagnostics } = check("main.tg", source, memoryHost(files));
  if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  const graph = lowerToGraph(checked);
  const sim = new SimEngine();
  let calls = 0;
  let tokens = 0;
  const engine: Engine = {
    id: "sim",
    simulated: true,
    complete: async (r: EngineRequest) => {
      const reply = await sim.complete(r);
      if (OPTIMIZER_PURPOSES.has(r.context.purpose)) {
        calls++;
        tokens += reply.usage.inputTokens + reply.usage.outputTokens;
      }
      return reply;
    },
  };
  const events: RunEvent[] = [];
  const result = await runProgram({
    graph,
    engines: new Map([...graph.engines.keys()].map((k) => [k, engine])),
    natives: stdlibNatives,
    data: { resolve: (p, module) => (module === "main.tg" && !p.startsWith("examples/") ? join(root, "examples", p) : join(root, p)), read: (p) => readFileSync(p, "utf8") },
    emit: (e) => events.push(e),
    program: "main.tg",
  });
  if (result.status !== "completed") throw new Error(`run ${result.status}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const steps = events.filter((e) => e.type === "step_started").length;
  return { steps, calls, tokens };
}

const rows = [];
for (const p of programs) {
  const tgd = await measure(p.source);
  const opto = await measure(p.source.replace(/using tgd\(/, "using opto("));
  rows.push({ program: p.name, tgd, opto });
}
process.stdout.write(JSON.stringify(rows) + "\n");
