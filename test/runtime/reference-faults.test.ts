// Faults of the Python reference (textgrad 0.1.8) that tgc must not have. Each test would fail on the
// reference's behaviour, which is named in the test's comment.
import { describe, expect, it } from "vitest";
import { replying, runSource, ofType } from "./harness.js";

const tagged = (v: string) => `<IMPROVED_VARIABLE>${v}</IMPROVED_VARIABLE>`;

describe("momentum works", () => {
  // Reference: the momentum optimizer never returns its prompt, and gradient_memory never reaches the prompt.
  it("shows the last m values and, with gradient memory, their gradients in the update prompt", async () => {
    let n = 0;
    const engine = replying((r) => (r.context.purpose === "update" ? tagged(`value ${++n}`) : r.context.purpose === "loss" ? `critique of: ${r.context.targets[0]!.text}\nScore: 3/10` : `gradient ${r.context.purpose}`));
    const { engine: rec } = await runSource(
      `engine e = sim()
       trainable v: "a value" = "value 0"
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e, momentum: 2, gradient_memory: 1) { steps: 4 minimize: l }`,
      { engine },
    );
    const updates = rec.requests.filter((r) => r.context.purpose === "update");
    expect(updates).toHaveLength(4);
    const fourth = updates[3]!;
    const prompt = fourth.messages.map((m) => m.content).join("\n");
    // Step 4 updates "value 3" and shows the two values before it, oldest first.
    expect(prompt).toContain("<VARIABLE>\nvalue 3\n</VARIABLE>");
    expect(prompt).toMatch(/<PAST_VALUES>[\s\S]*value 1[\s\S]*value 2[\s\S]*<\/PAST_VALUES>/);
    expect(prompt).not.toMatch(/<PAST_VALUES>[\s\S]*value 0[\s\S]*<\/PAST_VALUES>/);
    expect(prompt).toMatch(/<PAST_FEEDBACK>[\s\S]*gradient backward[\s\S]*<\/PAST_FEEDBACK>/);
    if (fourth.context.purpose !== "update") throw new Error("expected an update");
    expect(fourth.context.pastValues).toEqual(["value 1", "value 2"]);
    expect(fourth.context.pastGradients).toHaveLength(1);
    // Without momentum, no history is shown.
    const first = updates[0]!.messages.map((m) => m.content).join("\n");
    expect(first).not.toContain("<PAST_VALUES>");
  });
});

describe("sums of losses", () => {
  // Reference: the sum's backward adds each gradient to its inputs twice.
  it("passes each sample's critique to the variable exactly once per loss", async () => {
    const { events } = await runSource(
      `engine e = sim()
       data d = jsonl("d.jsonl") { q: text }
       trainable v: "a system prompt" = "Answer."
       fn solve(q: text) -> text { call e { system: v, user: q } }
       loss a(ex) = rubric e on solve(ex.q) "judge a"
       loss b(ex) = rubric e on solve(ex.q) "judge b"
       optimize v using tgd(engine: e) { data: d, batch: 2, epochs: 1, minimize: a + 0.5 * b }`,
      { files: { "d.jsonl": '{"q": "I have a cat and a dog. How many animals do I have?"}\n{"q": "I have a flute and a drum. How many musical instruments do I have?"}\n' } },
    );
    const toV = ofType(events, "gradient").filter((g) => g.toLabel === "v");
    const losses = ofType(events, "loss").filter((l) => l.loss !== 0);
    // One gradient to v per (sample, loss with something to fix): the call node aggregates both losses' feedback
    // into one backward message per sample.
    const samples = new Set(losses.map((l) => l.sample));
    expect(toV).toHaveLength(samples.size);
    // And each loss sends its critique to the call exactly once per sample.
    const toCall = ofType(events, "gradient").filter((g) => g.fromLabel === "rubric e");
    expect(toCall).toHaveLength(losses.length);
    // The weight of b reaches its backward message.
    expect(toCall.some((g) => g.text.length > 0)).toBe(true);
  });
});

describe("whole values in prompts", () => {
  // Reference: the optimizer and backward prompts show only the first and last ten words of the variable.
  it("shows the whole current value in the backward and update prompts", async () => {
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
    const { engine } = await runSource(
      `engine e = sim()
       trainable v: "a long text" = "${long}"
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e) { steps: 1 minimize: l }`,
    );
    for (const purpose of ["backward", "update"] as const) {
      const r = engine.requests.find((x) => x.context.purpose === purpose)!;
      expect(r.messages.map((m) => m.content).join("\n")).toContain(long);
    }
  });
});

describe("braces never break templating", () => {
  // Reference: prompts are built with str.format, so a value or rubric with braces raises KeyError.
  it("keeps braces in values, rubrics and prompts verbatim", async () => {
    const json = '{"answer": {"value": 42}, "code": "function f() { return {}; }"}';
    const { engine, result } = await runSource(
      `engine e = sim()
       frozen example: "a JSON example" = ${JSON.stringify(json).replace(/\{/g, "\\{").replace(/\}/g, "\\}")}
       trainable v: "an answer in JSON" = "{example} and a {placeholder-like} text"
       loss l = rubric e on v given example """Return JSON like \\{"ok": true\\} and keep {example}."""
       optimize v using tgd(engine: e) { steps: 2 minimize: l }`,
    );
    expect(result.status).toBe("completed");
    const loss = engine.requests.find((r) => r.context.purpose === "loss")!;
    const text = loss.messages.map((m) => m.content).join("\n");
    expect(text).toContain(json);
    expect(text).toContain('Return JSON like {"ok": true} and keep');
    expect(text).toContain("{placeholder-like}");
  });
});

describe("replies without tags", () => {
  // Reference: a reply without <IMPROVED_VARIABLE> raises IndexError and kills the run.
  it("re-asks a bounded number of times, then skips the update and finishes the run", async () => {
    const engine = replying((r) => (r.context.purpose === "update" ? "I improved it but forgot the tags." : r.context.purpose === "loss" ? "Bad.\nScore: 2/10" : "Change it."));
    const { engine: rec, events, result } = await runSource(
      `engine e = sim()
       trainable v: "a value" = "x"
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e, retries: 2) { steps: 2 minimize: l }`,
      { engine },
    );
    expect(result.status).toBe("completed");
    expect(rec.requests.filter((r) => r.context.purpose === "update")).toHaveLength(6); // 2 steps × (1 + 2 retries)
    expect(ofType(events, "reply_malformed")).toHaveLength(6);
    expect(ofType(events, "update_skipped")).toHaveLength(2);
    const reask = rec.requests.filter((r) => r.context.purpose === "update")[1]!;
    expect(reask.messages.at(-2)?.role).toBe("assistant");
    expect(reask.messages.at(-1)?.content).toContain("<IMPROVED_VARIABLE>");
    expect(result.values.get("v")).toBe("x");
  });

  it("takes the value from a later attempt that has the tags", async () => {
    let attempts = 0;
    const engine = replying((r) => (r.context.purpose === "update" ? (++attempts === 1 ? "no tags" : tagged("fixed")) : r.context.purpose === "loss" ? "Bad.\nScore: 2/10" : "Change it."));
    const { result } = await runSource(
      `engine e = sim()
       trainable v: "a value" = "x"
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e) { steps: 1 minimize: l }`,
      { engine },
    );
    expect(result.values.get("v")).toBe("fixed");
  });
});

describe("deterministic order", () => {
  // Reference: gradients are kept in a set, so their order (and the prompts built from them) varies run to run.
  it("produces identical event streams on repeated runs", async () => {
    const program = `engine e = sim()
       data d = jsonl("d.jsonl") { q: text, a: text }
       trainable v: "a system prompt" = "Answer step by step."
       fn solve(q: text) -> text { call e { system: v, user: q } }
       loss judge(ex) = rubric e on solve(ex.q) given ex.a "compare"
       optimize v using tgd(engine: e, momentum: 1) { data: d, batch: 3, epochs: 2, minimize: judge }`;
    const files = {
      "d.jsonl": [1, 2, 3, 4, 5].map((i) => JSON.stringify({ q: `I have ${"a cat, ".repeat(i)}and a dog. How many animals do I have?`, a: String(i + 1) })).join("\n"),
    };
    const a = await runSource(program, { files });
    const b = await runSource(program, { files });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(ofType(a.events, "gradient").length).toBeGreaterThan(0);
  });
});

describe("condensing gradients", () => {
  // Reference: accumulated gradients are sent whole until the provider refuses the request.
  it("condenses gradients longer than the limit before the update", async () => {
    const engine = replying((r) =>
      r.context.purpose === "update"
        ? tagged("new")
        : r.context.purpose === "condense"
          ? "<FEEDBACK>merged</FEEDBACK>"
          : r.context.purpose === "loss"
            ? `Problem ${"x".repeat(400)}\nScore: 1/10`
            : `Change ${"y".repeat(400)}`,
    );
    const { engine: rec, events } = await runSource(
      `engine e = sim()
       data d = jsonl("d.jsonl") { q: text }
       trainable v: "a prompt" = "p"
       fn f(q: text) -> text { call e { system: v, user: q } }
       loss l(ex) = rubric e on f(ex.q) "judge"
       optimize v using tgd(engine: e, condense_after: 1000) { data: d, batch: 4, minimize: l }`,
      { engine, files: { "d.jsonl": "{\"q\":\"1\"}\n{\"q\":\"2\"}\n{\"q\":\"3\"}\n{\"q\":\"4\"}\n" } },
    );
    expect(ofType(events, "gradients_condensed")).toHaveLength(1);
    const update = rec.requests.find((r) => r.context.purpose === "update")!;
    if (update.context.purpose !== "update") throw new Error("expected an update");
    expect(update.context.gradients).toEqual(["merged"]);
  });
});

describe("sampling options reach the engine", () => {
  // Reference: temperature and other options set on an engine are not passed to the API.
  it("passes engine options, overridden per call", async () => {
    const { engine } = await runSource(
      `engine e = sim() { temperature: 0.3, max_tokens: 99, seed: 5, stop: ["END"] }
       frozen q: "q" = "question"
       trainable v: "answer" = call e { user: q, temperature: 0.9 }
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e) { steps: 1 minimize: l }`,
    );
    const forward = engine.requests.find((r) => r.context.purpose === "forward")!;
    expect(forward.options).toEqual({ temperature: 0.9, max_tokens: 99, seed: 5, stop: ["END"] });
    const loss = engine.requests.find((r) => r.context.purpose === "loss")!;
    expect(loss.options).toEqual({ temperature: 0.3, max_tokens: 99, seed: 5, stop: ["END"] });
  });
});

describe("empty replies and refusals", () => {
  const program = `engine e = sim()
       trainable v: "an answer" = call e { user: "question" }
       loss l = rubric e on v "judge"
       optimize v using tgd(engine: e) { minimize: l }`;

  it("asks again a bounded number of times, records each, and goes on", async () => {
    let forwardCalls = 0;
    const engine = replying((r) => {
      if (r.context.purpose === "forward") return ++forwardCalls < 3 ? "" : "a real answer";
      return r.context.purpose === "update" ? tagged("v2") : r.context.purpose === "loss" ? "Vague.\nScore: 5/10" : "Be concrete.";
    });
    const { events, result, engine: rec } = await runSource(program, { engine });
    expect(result.status).toBe("completed");
    expect(ofType(events, "reply_malformed").map((e) => [e.purpose, e.attempt, e.problem])).toEqual([
      ["forward", 1, "empty reply"],
      ["forward", 2, "empty reply"],
    ]);
    expect(rec.requests.filter((r) => r.context.purpose === "forward").map((r) => r.variant)).toEqual([undefined, 1, 2]);
    expect(ofType(events, "variable_initialized")[0]!.value).toBe("a real answer");
  });

  it("accepts the reply after the last re-ask rather than stop the run", async () => {
    const engine = replying((r) => (r.context.purpose === "forward" ? "" : r.context.purpose === "update" ? tagged("v2") : "Score: 5/10"));
    const { events, result } = await runSource(program, { engine });
    expect(result.status).toBe("completed");
    expect(ofType(events, "reply_malformed").filter((e) => e.purpose === "forward")).toHaveLength(2);
  });
});
