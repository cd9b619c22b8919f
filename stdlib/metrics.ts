// Native parts of std/metrics (declared in metrics.tg).
import type { NativeFunction } from "../src/runtime/natives.js";

const normalize = (s: string) => s.trim().replace(/\s+/g, " ");

/** The number a response settles on: after the last "Answer:" if there is one, else the last number in it. */
export function finalNumber(text: string): number | undefined {
  const answers = [...text.matchAll(/Answer:\s*([^\n]*)/gi)];
  const tail = answers.length ? answers[answers.length - 1]![1]! : text;
  // Thousands separators go first: "1,234,567" is one number.
  const nums = tail.replace(/(\d),(?=\d{3}(?!\d))/g, "$1").match(/-?\d+(?:\.\d+)?/g);
  return nums ? Number(nums[nums.length - 1]) : undefined;
}

export const metrics: Record<string, NativeFunction> = {
  exact_match: ([response, reference]) => (normalize(response!) === normalize(reference!) ? 1 : 0),
  exact_number: ([response, reference]) => {
    const a = finalNumber(response!);
    const b = finalNumber(reference!);
    return a !== undefined && b !== undefined && Math.abs(a - b) < 1e-9 ? 1 : 0;
  },
  answer_is: ([response, reference]) => {
    const answers = [...response!.matchAll(/^\s*Answer:\s*(.*)$/gim)];
    const said = answers.length ? answers[answers.length - 1]![1]! : "";
    return normalize(said).toLowerCase() === normalize(reference!).toLowerCase() ? 1 : 0;
  },
  answer_words: ([response, reference]) => {
    const answers = [...response!.matchAll(/^\s*Answer:\s*(.*)$/gim)];
    const words = (t: string) => t.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? [];
    const said = words(answers.length ? answers[answers.length - 1]![1]! : "");
    const ref = words(reference!);
    return said.length === ref.length && said.every((w, i) => w === ref[i]) ? 1 : 0;
  },
  contains: ([response, reference]) => (response!.toLowerCase().includes(reference!.trim().toLowerCase()) ? 1 : 0),
};
