// Native parts of std/choice (declared in choice.tg): multiple-choice questions in GPQA's shape (a question, the
// correct answer, three incorrect ones). The options are shuffled with a seed taken from the question, so a
// question's letters are the same in every run, on every machine.

const LETTERS = ["A", "B", "C", "D"] as const;

/** FNV-1a of the question: the shuffle's seed. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The options in their lettered order, and the index of the correct one. */
export function arrange(question: string, correct: string, wrong: readonly string[]): { options: string[]; correct: number } {
  const options = [correct, ...wrong].map((o) => o.trim());
  let a = seedOf(question.trim());
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = options.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { options: order.map((i) => options[i]!), correct: order.indexOf(0) };
}

export function formatQuestion(question: string, correct: string, wrong: readonly string[]): string {
  const { options } = arrange(question, correct, wrong);
  return `${question.trim()}\n\n${options.map((o, i) => `(${LETTERS[i]}) ${o}`).join("\n")}`;
}

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, " ").trim();

/**
 * The letter a response chose, from the most explicit form to the least: "Answer: C" (the last one), "the answer is
 * (c)", a lone "(C)" or "C)" on the last lines, then a last line that repeats one option's text. Undefined when it
 * chose none, or named two options in the same breath.
 */
export function chosenLetter(response: string, options: readonly string[]): string | undefined {
  const letter = "([A-Da-d])";
  const patterns = [
    new RegExp(`answer\\s*(?:is|:)?\\s*[:\\-]?\\s*\\(?${letter}\\)?(?![A-Za-z0-9])`, "gi"),
    new RegExp(`(?:option|choice)\\s*(?:is\\s*)?\\(?${letter}\\)?(?![A-Za-z0-9])`, "gi"),
  ];
  for (const re of patterns) {
    const found = [...response.matchAll(re)];
    if (found.length) return found[found.length - 1]![1]!.toUpperCase();
  }
  const lines = response.trim().split("\n").map((l) => l.trim()).filter(Boolean);
  for (const line of lines.slice(-2).reverse()) {
    const m = /^\(?([A-Da-d])\)?[.:)]?$/.exec(line) ?? /^\(([A-Da-d])\)/.exec(line);
    if (m) return m[1]!.toUpperCase();
  }
  const last = normalize(lines[lines.length - 1] ?? "");
  const named = options.map((o, i) => (normalize(o) && last.includes(normalize(o)) ? i : -1)).filter((i) => i >= 0);
  // The longest option named wins over one it contains ("10 m" inside "10 m/s"); two unrelated ones are ambiguous.
  if (named.length === 0) return undefined;
  const longest = named.sort((a, b) => normalize(options[b]!).length - normalize(options[a]!).length)[0]!;
  const others = named.filter((i) => i !== longest && !normalize(options[longest]!).includes(normalize(options[i]!)));
  return others.length ? undefined : LETTERS[longest];
}

type Args = readonly string[];
const parts = (args: Args) => ({ question: args[0]!, correct: args[1]!, wrong: args.slice(2, 5) });

export const choice = {
  choices: (args: Args) => {
    const p = parts(args);
    return formatQuestion(p.question, p.correct, p.wrong);
  },
  correct_letter: (args: Args) => {
    const p = parts(args);
    return LETTERS[arrange(p.question, p.correct, p.wrong).correct]!;
  },
  chosen_letter: ([response, ...rest]: Args) => {
    const p = parts(rest);
    return chosenLetter(response!, arrange(p.question, p.correct, p.wrong).options) ?? "";
  },
  choice_correct: ([response, ...rest]: Args) => {
    const p = parts(rest);
    const { options, correct } = arrange(p.question, p.correct, p.wrong);
    return chosenLetter(response!, options) === LETTERS[correct] ? 1 : 0;
  },
};
