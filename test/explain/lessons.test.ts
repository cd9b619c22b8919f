// docs/teach: each lesson's printed narration is what `tgc explain` prints, so the lessons cannot drift from the tool.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, stackTrace, tgc } from "../cli/run-cli.js";
import { headingsOf } from "./headings.js";

const dir = join(root, "docs/teach");
const lessons = readdirSync(dir).filter((f) => /^\d\d-.*\.md$/.test(f));

describe("the lessons in docs/teach", () => {
  it("are three", () => expect(lessons).toHaveLength(3));

  for (const lesson of lessons) {
    it(`${lesson}: prints what the lesson shows`, () => {
      const md = readFileSync(join(dir, lesson), "utf8");
      const command = /```sh\ntgc (.*)\n```/.exec(md)![1]!.split(" ");
      const shown = /```text\n([\s\S]*?)\n```\n*$/.exec(md)![1]!;
      const r = tgc(command);
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd()).toBe(shown);
    });
  }
});

describe("tgc explain", () => {
  it("narrates the quickstart's first step with the simulator, the same every time", () => {
    const a = tgc(["explain", "examples/quickstart.tg", "--engine", "sim"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(tgc(["explain", "examples/quickstart.tg", "--engine", "sim"]).stdout);
    const headings = a.stdout.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(headings).toEqual([
      "1. The computation graph",
      "2. Initialization: call student [4]",
      "3. Step 1",
      "4. Loss: rubric teacher [6] = 0.30",
      "5. Backward: rubric teacher [6] → answer [2]",
      "6. Update: answer",
    ]);
    expect(a.stdout).toContain("↳ The first link of the chain rule");
    expect(a.stdout).toMatch(/^ {5}\+ Answer: 8\.6$/m); // the update as a diff
  });

  it("writes the same narration as a self-contained page", () => {
    const out = join(mkdtempSync(join(tmpdir(), "tgc-explain-")), "lesson.html");
    const r = tgc(["explain", "examples/quickstart.tg", "--engine", "sim", "--html", out]);
    expect(r.code).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toContain("<h2>5. Backward: rubric teacher [6] → answer [2]</h2>");
    expect(page).toContain('<span class="add">+ Answer: 8.6</span>');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it("tells validation from initialization: held-out scoring before training and after each update", () => {
    const r = tgc(["explain", "examples/prompt-optimization.tg", "--engine", "sim"]);
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    expect(headings.filter((h) => h.includes("Initialization"))).toEqual([]);
    // The first held-out example is told in full; the other two would only repeat it.
    expect(headings.filter((h) => h.includes("Validation before training: solve: call student"))).toHaveLength(1);
    expect(headings).toContainEqual(expect.stringMatching(/Validation before training: the same for the other 2 examples$/));
    const update = headings.findIndex((h) => h.includes("Update: system"));
    expect(headings[update + 1]).toMatch(/Validation: solve: call student/);
    expect(r.stdout).toContain("no loss is computed and no gradient flows");
  });

  it("tells the first example of an each: block whole, vote and score included, and stops there", () => {
    const r = tgc(["explain", "examples/multiple-choice.tg", "--engine", "sim"]);
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    expect(headings.filter((h) => /^Step \d of example 1$/.test(h))).toHaveLength(3);
    expect(headings.slice(-2)).toEqual(["Vote for example 1: the majority chose A", "End of example 1: score 0 → 0"]);
    expect(r.stdout).not.toContain("Example 2 of 6");
  });

  it("says so when a program has nothing to explain", () => {
    const r = tgc(["explain", "stdlib/metrics.tg"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no optimize block: there is no step to explain");
    expect(r.stderr).not.toMatch(stackTrace);
  });
});

describe("tgc explain RUN_FOLDER", () => {
  const runOf = (example: string) => {
    const runs = mkdtempSync(join(tmpdir(), "tgc-explain-runs-"));
    const r = tgc(["run", example, "--engine", "sim", "--runs-dir", runs, "--quiet"]);
    if (r.code !== 0) throw new Error(`tgc run failed (${r.code}): ${r.stderr}`);
    return join(runs, readdirSync(runs)[0]!);
  };

  it("tells test-time optimization over a data set example by example: first values, steps from 1, vote, score; then the means", () => {
    const r = tgc(["explain", runOf("examples/multiple-choice.tg")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    const start = headings.indexOf("Example 2 of 6");
    const end = headings.indexOf("End of example 2: score 0 → 0");
    expect(start).toBeGreaterThan(0);
    expect(headings.slice(start, end + 1)).toEqual([
      "Example 2 of 6",
      "Initialization: call student [9]",
      "Step 1 of example 2",
      "Loss: rubric teacher [11] = 0.00",
      "No update: answer",
      "Step 2 of example 2",
      "Loss: rubric teacher [11] = 0.00",
      "No update: answer",
      "Step 3 of example 2",
      "Loss: rubric teacher [11] = 0.00",
      "No update: answer",
      "Vote for example 2: the majority chose A",
      "End of example 2: score 0 → 0",
    ]);
    expect(headings.filter((h) => /^Example \d of 6$/.test(h))).toHaveLength(6);
    expect(headings.at(-1)).toBe("All 6 examples optimized: mean score 0.167 → 0.167 (0 improved, 0 worse, 6 unchanged)");
    // The example's story opens with its own first values.
    expect(r.stdout).toMatch(/Example 2 of 6\n {3}question starts as:\n {5}│ Which gas makes up the largest share/);
    expect(r.stdout).toMatch(/ {3}answer starts as:\n {5}│ Step 1: The question gives: \(A\) carbon dioxide/);
    // Inside an example's story, every sample is that example: not said again at each heading.
    expect(headings.some((h) => h.includes("(example"))).toBe(false);
  });

  it("narrates an ordinary run folder whole, as the program's steps are narrated", () => {
    const r = tgc(["explain", runOf("examples/quickstart.tg")]);
    expect(r.code).toBe(0);
    const headings = headingsOf(r.stdout);
    expect(headings.slice(0, 6)).toEqual([
      "The computation graph",
      "Initialization: call student [4]",
      "Step 1",
      "Loss: rubric teacher [6] = 0.30",
      "Backward: rubric teacher [6] → answer [2]",
      "Update: answer",
    ]);
    expect(headings.some((h) => h.startsWith("Example"))).toBe(false);
  });

  it("says what is wrong with a folder that is not a run's", () => {
    const r = tgc(["explain", mkdtempSync(join(tmpdir(), "tgc-explain-"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tgc explain: .* is not a run folder: it has no config\.json\n$/);
    expect(r.stderr).not.toMatch(stackTrace);
  });
});
