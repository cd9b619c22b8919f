// Textual Gradient Descent's step size: `max_change` limits how far one update may move a variable.
import { describe, expect, it } from "vitest";
import { wordChange } from "../../src/engines/word-change.js";
import { ofType, rejectedValueProgram, replying, runSource } from "./harness.js";

describe("wordChange", () => {
  it("is the share of words outside the longest common subsequence, over the longer text", () => {
    expect(wordChange("a b c d", "a b c d")).toBe(0);
    expect(wordChange("a b c d", "a x c d")).toBe(0.25);
    expect(wordChange("a b c d", "a b c d e f g h")).toBe(0.5);
    expect(wordChange("a b", "c d")).toBe(1);
    expect(wordChange("", "")).toBe(0);
  });
});

const source = (args: string) => `engine e = sim()
  trainable v: "a value" = "one two three four five six seven eight nine ten"
  loss l = rubric e on v "judge"
  optimize v using tgd(engine: e${args}) { steps: 1, minimize: l }`;

describe("max_change", () => {
  it("says the step size in the update prompt, and asks again when an update moves further", async () => {
    let attempts = 0;
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "update") {
        return ++attempts === 1
          ? "<IMPROVED_VARIABLE>a completely different text with nothing of the old</IMPROVED_VARIABLE>"
          : "<IMPROVED_VARIABLE>one two three four five six seven eight nine eleven</IMPROVED_VARIABLE>";
      }
      return c.purpose === "loss" ? "The last word is wrong.\nScore: 5/10" : "Change the last word.";
    });
    const { events, engine: rec } = await runSource(source(", max_change: 0.2"), { engine });
    const updates = rec.requests.filter((r) => r.context.purpose === "update");
    expect(updates[0]!.messages.at(-1)!.content).toContain("change at most about 20% of the variable's words");
    expect(ofType(events, "reply_malformed")).toMatchObject([{ purpose: "update", attempt: 1, problem: "changes 100% of the words, more than max_change 20%" }]);
    expect(updates[1]!.messages.at(-1)!.content).toMatch(/^Your new value changes about 100% of the variable's words; this step may change at most about 20%/);
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["one two three four five six seven eight nine eleven"]);
  });

  it("leaves the size of an update alone when not given", async () => {
    const engine = replying((r) => (r.context.purpose === "update" ? "<IMPROVED_VARIABLE>all new</IMPROVED_VARIABLE>" : r.context.purpose === "loss" ? "Bad.\nScore: 1/10" : "Rewrite it."));
    const { events } = await runSource(source(""), { engine });
    expect(ofType(events, "reply_malformed")).toEqual([]);
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["all new"]);
  });
});

describe("unusable updates", () => {
  it("says why an update was skipped when no attempt was usable, and that the last attempt is not asked again", async () => {
    const engine = replying((r) => (r.context.purpose === "update" ? "<IMPROVED_VARIABLE>entirely new words here</IMPROVED_VARIABLE>" : r.context.purpose === "loss" ? "Bad.\nScore: 1/10" : "Rewrite it."));
    const { events } = await runSource(source(", max_change: 0.2, retries: 1"), { engine });
    expect(ofType(events, "reply_malformed").map((e) => e.retrying)).toEqual([true, false]);
    expect(ofType(events, "update_skipped").map((e) => e.reason)).toEqual(["no usable reply from the optimizer (the last one changes 100% of the words, more than max_change 20%)"]);
  });

  it("asks again when an update proposes a value validation already rejected", async () => {
    const { source: program, files } = rejectedValueProgram("tgd");
    const proposals = ["GAMMA", "GAMMA", "DELTA"];
    const engine = replying((r) => {
      const c = r.context;
      if (c.purpose === "update") return `<IMPROVED_VARIABLE>${proposals.shift()}</IMPROVED_VARIABLE>`;
      if (c.purpose === "forward") return c.system === "GAMMA" ? "Answer: 9" : "Answer: 1";
      return c.purpose === "loss" ? "Could be clearer.\nScore: 5/10" : "Be clearer.";
    });
    const { events } = await runSource(program, { engine, files });
    // Step 1: GAMMA scores 0 and is reverted. Step 2: GAMMA again is refused before paying to validate it.
    expect(ofType(events, "validation").map((v) => [v.score, v.reverted])).toEqual([[1, false], [0, true], [1, false]]);
    expect(ofType(events, "reply_malformed")).toMatchObject([{ purpose: "update", problem: "proposes a value validation rejected (score 0)", retrying: true }]);
    expect(ofType(events, "update").map((u) => u.after)).toEqual(["GAMMA", "DELTA"]);
  });
});
