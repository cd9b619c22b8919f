import { describe, expect, it } from "vitest";
import { EngineError, type EngineRequest } from "../../src/engines/engine.js";
import { parseScript, ScriptedEngine } from "../../src/engines/scripted.js";

const request = (purpose: "forward" | "loss", content: string): EngineRequest =>
  purpose === "forward"
    ? { messages: [{ role: "user", content }], options: {}, context: { purpose, system: undefined, user: content, role: "r" } }
    : { messages: [{ role: "user", content }], options: {}, context: { purpose, targets: [], context: [], criteria: content } };

describe("scripted engine", () => {
  it("answers with the first matching rule, using replies in turn and repeating the last", async () => {
    const parsed = parseScript({
      rules: [
        { purpose: "forward", match: "/ball|stone/i", replies: ["one", "two"] },
        { purpose: "forward", reply: "fallback" },
        { purpose: "loss", match: "strict", reply: "strict critique" },
      ],
    });
    if (!("rules" in parsed)) throw new Error(parsed.problems.join());
    const e = new ScriptedEngine("scripted:test", parsed.rules);
    const texts = [];
    for (const q of ["A Ball", "a stone", "a ball", "nothing"]) texts.push((await e.complete(request("forward", q))).text);
    expect(texts).toEqual(["one", "two", "two", "fallback"]);
    expect((await e.complete(request("loss", "be strict"))).text).toBe("strict critique");
  });

  it("fails clearly when no rule matches", async () => {
    const e = new ScriptedEngine("scripted:test", [{ purpose: "forward", reply: "x" }]);
    await expect(e.complete(request("loss", "judge this"))).rejects.toThrow(EngineError);
    await expect(e.complete(request("loss", "judge this"))).rejects.toThrow(/no scripted reply matches this loss request/);
  });

  it("reports every problem of a malformed rules file", () => {
    const parsed = parseScript({ rules: [{ purpose: "sideways", reply: "x" }, { match: 3 }, "nope"] });
    expect("problems" in parsed && parsed.problems).toEqual([
      "rule 1: purpose must be one of forward, loss, backward, update, condense, propose",
      "rule 2: match must be a string",
      'rule 2: give either "reply" (a string) or "replies" (a non-empty list of strings)',
      "rule 3: expected an object",
    ]);
    expect(parseScript([])).toEqual({ problems: ['expected an object with a "rules" list'] });
    const badRegex = parseScript({ rules: [{ match: "/(/", reply: "x" }] });
    expect("problems" in badRegex && badRegex.problems[0]).toMatch(/^rule 1: match is not a valid regular expression/);
  });
});
