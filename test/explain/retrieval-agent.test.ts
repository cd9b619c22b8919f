// tgc explain narrates the two nodes that are not a single call: a search (retrieve) and an agent's loop, forward and
// backward, each with its analogy. The simulator makes both examples run offline, the same every time.
import { describe, expect, it } from "vitest";
import { tgc } from "../cli/run-cli.js";
import { headingsOf } from "./headings.js";

/** The text of the last section with this heading (steps repeat headings), up to the next. */
const sectionOf = (stdout: string, heading: string) => {
  const all = stdout.split("\n");
  const start = all.map((l) => l.replace(/^\d+\. /, "")).lastIndexOf(heading);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const lines = all.slice(start);
  const end = lines.findIndex((l, i) => i > 0 && /^\d+\. /.test(l));
  return lines.slice(0, end < 0 ? undefined : end).join("\n");
};

describe("tgc explain: retrieval", () => {
  const r = tgc(["explain", "examples/rag.tg", "--engine", "sim"]);

  it("tells each search in its place in the forward pass: between the call that wrote the query and the one that reads the passages", () => {
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    const first = headings.indexOf("Forward: answer: call student [5] (example 3)");
    expect(first).toBeGreaterThan(0);
    expect(headings.slice(first, first + 5)).toEqual([
      "Forward: answer: call student [5] (example 3)",
      "Forward: answer: retrieve notes [6] (example 3)",
      "Forward: answer: call student [8] (example 3)",
      "Forward: answer: retrieve notes [9] (example 3)",
      "Forward: answer: call student [11] (example 3)",
    ]);
    // Validation searches too, before training, with no gradient.
    expect(headings).toContain("Validation before training: answer: retrieve notes [6]");
  });

  it("shows the query, the passages ranked with their scores, and the lookup analogy", () => {
    const search = sectionOf(r.stdout, "Forward: answer: retrieve notes [6] (example 3)");
    expect(search).toMatch(/ {3}Query:\n {5}│ man rebuilt ferry pier lunde born\n/);
    expect(search).toMatch(/ {3}Passages of notes, best first \(ranked by bm25\):\n {5}│ 1\. rag\/notes\/lunde-pier\.md \(score \d+\.\d\d\): The ferry pier at Lunde was rebuilt by Per Okafor/);
    expect(search).toContain("↳ A lookup layer: its output is chosen from the corpus, not computed");
    expect(search).toContain("only the query that chose these passages");
  });

  it("tells the backward step through a search: to the query's writer, with the passages, asking what the query should contain", () => {
    const back = sectionOf(r.stdout, "Backward: answer: retrieve notes [6] → answer: call student [5] (example 3)");
    expect(back).toContain("The variable was the query of a search over the corpus notes. These passages were retrieved, best first:");
    // The prompt's question, at its end, is not cut off.
    expect(back).toContain("Name the words the query should contain.");
    expect(back).toContain("↳ Through the lookup: the passages cannot change");
    // The passages' own gradient, on its way to the query.
    expect(sectionOf(r.stdout, "Backward: answer: call student [11] → answer: retrieve notes [9] (example 3)")).toContain("the search's own backward step passes it on to the query");
  });
});

describe("tgc explain: agents", () => {
  const r = tgc(["explain", "examples/agent.tg", "--engine", "sim", "--steps", "2"]);

  it("tells each turn, each tool call and the answer, in order", () => {
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    // Before its first update the agent answers at once, without a tool.
    expect(headings).toContain("Forward: solve: agent student [5], turn 1: the answer, after no tool call (example 1)");
    const step2 = headings.indexOf("Step 2 (epoch 2, examples 2, 0, 1)");
    expect(headings.slice(step2 + 1, step2 + 6)).toEqual([
      "Forward: solve: agent student [5], turn 1 (example 2)",
      "Tool call 1 of solve: agent student [5]: calculate, failed (example 2)",
      "Forward: solve: agent student [5], turn 2: the answer, after 1 tool call (example 2)",
      "Loss: rubric teacher [8] (example 2) = 0.30",
      "Backward: rubric teacher [8] → solve: agent student [5] (example 2)",
    ]);
    // After the second update the agent corrects its call.
    expect(headings.slice(-6)).toEqual([
      "Validation: solve: agent student [5], turn 1",
      "Tool call 1 of solve: agent student [5]: calculate, failed",
      "Validation: solve: agent student [5], turn 2",
      "Tool call 2 of solve: agent student [5]: calculate",
      "Validation: solve: agent student [5], turn 3: the answer, after 2 tool calls",
      "Validation after step 2: 1.000",
    ]);
  });

  it("shows the tool calls' arguments, results and errors, and the answer, with the unrolled-loop analogy", () => {
    const turn = sectionOf(r.stdout, "Forward: solve: agent student [5], turn 1 (example 2)");
    expect(turn).toMatch(/ {3}Prompt sent:\n {5}│ \[system\]\n {5}│ You help with shopping sums/);
    expect(turn).toMatch(/ {3}Tool call asked for:\n {5}│ calculate\(expression: "10 - \(6 x 1\.10\)"\)/);
    expect(turn).toContain("↳ An agent is a loop, unrolled");
    const failed = sectionOf(r.stdout, "Tool call 1 of solve: agent student [5]: calculate, failed (example 2)");
    expect(failed).toMatch(/ {3}Arguments:\n {5}│ expression: "10 - \(6 x 1\.10\)"\n {3}Error, sent back to the agent as the tool's reply:\n {5}│ expected '\)', found 'x'/);
    expect(failed).toContain("the agent can read it and correct the call at its next turn");
    const answer = sectionOf(r.stdout, "Forward: solve: agent student [5], turn 2: the answer, after 1 tool call (example 2)");
    expect(answer).toMatch(/ {3}Answer:\n {5}│ The calculator could not help; estimating, the total is 33\.\n {5}│ Answer: 33/);
    expect(answer).toContain("asks at which step the agent went wrong");
    const tail = r.stdout.slice(r.stdout.indexOf("Tool call 2 of solve"));
    expect(tail).toMatch(/ {3}Arguments:\n {5}│ expression: "5 \* 0\.40 \+ 3 \* 1\.50"\n {3}Result:\n {5}│ 6\.5\n/);
    expect(tail).toMatch(/ {3}Answer:\n {5}│ The calculator gives 6\.5\./);
  });

  it("tells the backward step through an agent: the numbered trajectory, and the question which step went wrong", () => {
    const back = sectionOf(r.stdout, "Backward: solve: agent student [5] → instruction [0] (example 2)");
    expect(back).toContain('│ Step 1: calculate(expression: "10 - (6 x 1.10)") → error:');
    expect(back).toContain("At which step did the agent first go wrong (name the step by its number)");
    expect(back).toContain("↳ Backpropagation through time");
    expect(sectionOf(r.stdout, "Backward: rubric teacher [8] → solve: agent student [5] (example 2)")).toContain("the agent's whole trajectory, so the critique can name the step that went wrong");
  });
});
