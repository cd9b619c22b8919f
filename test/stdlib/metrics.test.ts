import { describe, expect, it } from "vitest";
import { finalNumber, metrics } from "../../stdlib/metrics.js";

describe("std/metrics", () => {
  it("reads the number a response settles on", () => {
    expect(finalNumber("Step 1: 3 apples.\nAnswer: 1,234,567")).toBe(1234567);
    expect(finalNumber("there are 12 items, then 7")).toBe(7);
    expect(finalNumber("Answer: -2.5 m")).toBe(-2.5);
    expect(finalNumber("no numbers")).toBeUndefined();
  });

  it("scores exact numbers, exact matches and containment", () => {
    expect(metrics.exact_number!(["Answer: 1,000", "1000"])).toBe(1);
    expect(metrics.exact_number!(["Answer: 8", "7"])).toBe(0);
    expect(metrics.exact_match!(["  yes  ", "yes"])).toBe(1);
    expect(metrics.contains!(["The answer is Paris.", "paris"])).toBe(1);
  });
});
