import { describe, expect, it } from "vitest";
import { arrange, choice, chosenLetter, formatQuestion } from "../../stdlib/choice.js";

const q = "Which particle carries the electromagnetic force?";
const wrong = ["Gluon", "W boson", "Graviton"];

describe("std/choice", () => {
  it("shuffles the options with a seed from the question: the same letters every time", () => {
    const a = arrange(q, "Photon", wrong);
    expect(arrange(q, "Photon", wrong)).toEqual(a);
    expect(a.options[a.correct]).toBe("Photon");
    expect([...a.options].sort()).toEqual(["Gluon", "Graviton", "Photon", "W boson"]);
    // Across questions the correct answer lands on every letter.
    const letters = new Set(Array.from({ length: 40 }, (_, i) => choice.correct_letter([`${q} (${i})`, "Photon", ...wrong])));
    expect(letters).toEqual(new Set(["A", "B", "C", "D"]));
  });

  it("formats the question with lettered options", () => {
    const text = formatQuestion(q, "Photon", wrong);
    expect(text.split("\n")[0]).toBe(q);
    expect(text).toMatch(/\n\(A\) .+\n\(B\) .+\n\(C\) .+\n\(D\) .+$/);
  });

  it("reads the chosen letter from free text", () => {
    const options = ["Gluon", "Photon", "W boson", "Graviton"];
    const cases: [string, string | undefined][] = [
      ["Reasoning…\nAnswer: C", "C"],
      ["First I thought answer: A, but the answer is (b).", "B"],
      ["The correct option is D.", "D"],
      ["Long reasoning.\n(C)", "C"],
      ["Long reasoning.\nB.", "B"],
      ["So it must be the photon", "B"],
      ["It is the W boson", "C"],
      ["Either the gluon or the photon", undefined],
      ["I cannot tell.", undefined],
    ];
    for (const [response, expected] of cases) expect(chosenLetter(response, options), response).toBe(expected);
  });

  it("scores a response against the correct letter", () => {
    const letter = choice.correct_letter([q, "Photon", ...wrong]);
    expect(choice.choice_correct([`Answer: ${letter}`, q, "Photon", ...wrong])).toBe(1);
    const other = ["A", "B", "C", "D"].find((l) => l !== letter)!;
    expect(choice.choice_correct([`Answer: ${other}`, q, "Photon", ...wrong])).toBe(0);
    expect(choice.chosen_letter(["no idea", q, "Photon", ...wrong])).toBe("");
  });
});
