// docs/teach: each lesson's printed narration is what `tgc explain` prints, so the lessons cannot drift from the tool.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, stackTrace, tgc } from "../cli/run-cli.js";

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
    const headings = r.stdout.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(headings.filter((h) => h.includes("Initialization"))).toEqual([]);
    expect(headings.filter((h) => h.includes("Validation before training: solve: call student"))).toHaveLength(3);
    const update = headings.findIndex((h) => h.includes("Update: system"));
    expect(headings[update + 1]).toMatch(/Validation: solve: call student/);
    expect(r.stdout).toContain("no loss is computed and no gradient flows");
  });

  it("says so when a program has nothing to explain", () => {
    const r = tgc(["explain", "stdlib/metrics.tg"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has no optimize block: there is no step to explain");
    expect(r.stderr).not.toMatch(stackTrace);
  });
});
