// An application that embeds tgc: it registers a scorer of its own as native code, serves the program's engines
// with an engine of its own, compiles counting.tg, trains its system prompt and prints what it learned.
// Run it with `npm run build && npx tsx examples/embedding/main.ts` (it needs no key: the engine is offline).
import { compile, defineEngine, defineNative, defineNatives, evaluate, run, simEngine } from "tgc";

// The scorer programs import as `answer_matches` from "app/scoring": 1 when the reply's last line gives the answer.
const scoring = defineNatives("app/scoring", [
  defineNative(
    "answer_matches",
    { params: ["response", "answer"], returns: "metric", doc: "1 when the response's 'Answer:' line gives the expected answer; otherwise 0." },
    (response, answer) => {
      const given = /Answer:\s*(.+)\s*$/i.exec(response.trim())?.[1];
      return given !== undefined && given.trim() === answer.trim() ? 1 : 0;
    },
  ),
]);

// The application's engine: here the offline simulator behind a counter; a real one would call the house model.
const simulator = simEngine();
const calls = new Map<string, number>();
const engine = defineEngine({
  id: "house-model",
  simulated: true,
  complete: (request, signal) => {
    calls.set(request.context.purpose, (calls.get(request.context.purpose) ?? 0) + 1);
    return simulator.complete(request, signal);
  },
});

const compiled = compile({ file: new URL("counting.tg", import.meta.url).pathname }, { natives: [scoring] });
if (!compiled.ok) {
  console.error(compiled.rendered);
  process.exit(1);
}
const program = compiled.program;

const before = await evaluate(program, { data: "val", engines: engine });
const result = await run(program, { engines: engine });
if (result.status !== "completed") {
  console.error(result.rendered);
  process.exit(1);
}
const after = await evaluate(program, { data: "val", engines: engine, values: result.values });

const mean = (r: typeof before) => (r.status === "completed" ? r.metrics[0]!.mean.toFixed(2) : r.status);
console.log(`validation before: ${mean(before)}`);
for (const s of result.losses) console.log(`step ${s.step}: loss ${s.loss?.toFixed(2) ?? "none"}`);
console.log(`validation after: ${mean(after)}`);
console.log(`calls: ${[...calls].map(([purpose, n]) => `${purpose} ${n}`).join(", ")}`);
console.log(`learned system prompt:\n${result.values["system"]}`);
