// Textual Gradient Descent's step size: `max_change` limits how far one update may move a variable.
import { describe, expect, it } from "vitest";
import { wordChange } from "../../src/engines/word-change.js";
import { ofType, replying, runSource } from "./harness.js";

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
