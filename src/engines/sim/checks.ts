// The simulator's critic: a short list of concrete, checkable properties of a response. Each check knows how to
// find its problem (quoting the text), what instruction in a prompt makes the simulated model avoid it, and how
// to fix an evaluated text directly. The same phrases let the backward and update steps recognize a critique,
// so a run shows cause and effect: critique → gradient → edit → a response without that problem.
import { clip, itemList, lastNumber, quantities, sentences, words } from "./text.js";

export interface CheckInput {
  readonly target: string;
  /** Context texts the rubric was given (a question, a reference answer). */
  readonly context: readonly string[];
}

/** An edit the simulated optimizer can apply. Gradients carry it as a "Suggested change:" line. */
export type Edit =
  | { readonly op: "append"; readonly text: string }
  | { readonly op: "prepend"; readonly text: string }
  | { readonly op: "replace"; readonly from: string; readonly to: string }
  | { readonly op: "number-steps" };

export interface Check {
  readonly id: string;
  /** Recognizes this check's critique in any feedback text. */
  readonly phrase: RegExp;
  /** The critique when the problem is present, undefined otherwise. */
  find(input: CheckInput): string | undefined;
  /** Whether the check judges this kind of response at all (an agent's trajectory, an answer with a name); all when absent. */
  applies?(input: CheckInput): boolean;
  /** What a prompt should ask for so the simulated model avoids the problem. */
  readonly instruction: string;
  /** Whether a prompt already asks for it. */
  followedBy(prompt: string): boolean;
  /** A direct fix to the evaluated text, from the critique. */
  fix(target: string, critique: string): Edit;
}

const questionOf = (ctx: readonly string[]) => ctx.find((c) => c.includes("?") || words(c).length >= 6);
const referenceOf = (ctx: readonly string[]) => ctx.find((c) => words(c).length > 0 && words(c).length <= 4);

/** The answer a response gives: its last "Answer:" line, else its last sentence. */
const finalAnswer = (target: string) => {
  const lines = [...target.matchAll(/^\s*Answer:\s*(.*)$/gim)];
  return (lines.length ? lines[lines.length - 1]![1]! : (sentences(target).pop() ?? "")).trim();
};

/** A reference that is a name ("Kessby", "Ilse Marrow"), not a number or a letter. */
const nameReference = (ctx: readonly string[]) => ctx.find((c) => words(c).length > 0 && words(c).length <= 4 && !/\d/.test(c) && /\b[A-Z][a-z]{2,}/.test(c));

const isTrajectory = (target: string) => /^Step 1: /m.test(target) && /^Final answer:$/m.test(target);

export const checks: readonly Check[] = [
  {
    // An agent's trajectory (see runtime/agent.ts) that reached its answer with no tool call.
    id: "tool-unused",
    phrase: /answered without calling a tool/,
    applies: ({ target }) => isTrajectory(target),
    find({ target }) {
      return /^Step 1: no tool call; the agent answered directly\.$/m.test(target)
        ? "At step 1 the agent answered without calling a tool, so its result is a guess."
        : undefined;
    },
    instruction: "Use the tools for every lookup and computation; never work a result out in your head.",
    followedBy: (p) => /never work a result out|use the tools/i.test(p),
    fix: () => ({ op: "prepend", text: "Check this result with a tool." }),
  },
  {
    // A tool call that failed and was the agent's last: it gave up instead of correcting the call.
    id: "tool-error",
    phrase: /and the agent answered without correcting it/,
    applies: ({ target }) => isTrajectory(target),
    find({ target }) {
      const steps = [...target.matchAll(/^Step (\d+): (.+?) → error: (.*)$/gm)];
      const last = steps[steps.length - 1];
      const total = [...target.matchAll(/^Step \d+:/gm)].length;
      if (!last || Number(last[1]) !== total) return undefined;
      return `At step ${last[1]} the call ${clip(last[2]!, 12)} failed ("${clip(last[3]!, 14)}"), and the agent answered without correcting it.`;
    },
    instruction: "When a tool reports an error, read it, correct the call and try again.",
    followedBy: (p) => /correct the call/i.test(p),
    fix: () => ({ op: "append", text: "(The last tool call failed; its result is not known.)" }),
  },
  {
    id: "reference-name",
    phrase: /does not name the reference/,
    applies: ({ context }) => nameReference(context) !== undefined,
    find({ target, context }) {
      const ref = nameReference(context);
      if (ref === undefined) return undefined;
      const got = finalAnswer(target);
      if (got.toLowerCase().includes(ref.trim().toLowerCase())) return undefined;
      return `Its final answer "${clip(got, 8) || "(none)"}" does not name the reference "${ref.trim()}".`;
    },
    instruction: "Follow the passages from one to the next, and answer with the name the last of them leads to.",
    followedBy: (p) => /follow the passages/i.test(p),
    fix(_target, critique) {
      const m = /does not name the reference "([^"]*)"/.exec(critique);
      return { op: "append", text: `Answer: ${m?.[1] ?? "?"}` };
    },
  },
  {
    id: "final-answer",
    phrase: /never states a final answer on a line of its own/,
    find({ target }) {
      if (/^\s*Answer:/im.test(target)) return undefined;
      const lines = target.trim().split("\n");
      return `It never states a final answer on a line of its own: it ends with "${clip(lines[lines.length - 1] ?? "", 10)}".`;
    },
    instruction: 'End with a final line of the form "Answer: <value>".',
    followedBy: (p) => /answer:/i.test(p) && /(last|final) line/i.test(p),
    fix(target) {
      const n = lastNumber(target);
      return { op: "append", text: `Answer: ${n ?? clip(sentences(target).pop() ?? "", 8)}` };
    },
  },
  {
    id: "steps",
    phrase: /instead of numbered steps/,
    find({ target }) {
      if (/^\s*(Step \d+|\d+\.)/im.test(target)) return undefined;
      return `It gives its reasoning in one block ("${clip(target, 8)}") instead of numbered steps, so a mistake is hard to locate.`;
    },
    instruction: "Work step by step and number each step.",
    followedBy: (p) => /step/i.test(p),
    fix: () => ({ op: "number-steps" }),
  },
  {
    id: "reference",
    phrase: /does not match the reference/,
    find({ target, context }) {
      const ref = referenceOf(context);
      const refNum = ref === undefined ? undefined : lastNumber(ref);
      const got = lastNumber(target);
      if (refNum === undefined || got === refNum) return undefined;
      return `Its final answer "${got ?? "(none)"}" does not match the reference "${ref!.trim()}".`;
    },
    instruction: "List every item with its quantity, then add up only the items the question asks about.",
    followedBy: (p) => /list (every|each|all)/i.test(p),
    fix(_target, critique) {
      const m = /does not match the reference "([^"]*)"/.exec(critique);
      return { op: "append", text: `Answer: ${m?.[1] ?? "?"}` };
    },
  },
  {
    id: "quantities",
    phrase: /which the question gives/,
    find({ target, context }) {
      const q = questionOf(context);
      if (!q) return undefined;
      const missing = quantities(q).filter((x) => !target.includes(x));
      if (missing.length === 0) return undefined;
      return `It never uses ${missing.map((m) => `"${m}"`).join(" or ")}, which the question gives.`;
    },
    instruction: "Use every quantity the question gives, and say where each one is used.",
    followedBy: (p) => /(every|each|all the) quantit/i.test(p),
    fix(_target, critique) {
      const given = [...critique.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
      return { op: "prepend", text: `Given: ${given.join(", ")}.` };
    },
  },
  {
    id: "items",
    phrase: /without listing the items/,
    find({ target, context }) {
      const q = questionOf(context) ?? "";
      if (!/how many/i.test(q) || itemList(q).length === 0 || /^\s*- /m.test(target)) return undefined;
      return "It states a count without listing the items it counted, so the total cannot be checked.";
    },
    instruction: "List every item with its quantity, then add up only the items the question asks about.",
    followedBy: (p) => /list (every|each|all)/i.test(p),
    fix: () => ({ op: "prepend", text: "Items counted: (list each item with its quantity here)." }),
  },
  {
    id: "long-sentence",
    phrase: /runs \d+ words/,
    // A trajectory's lines are calls and results, not prose.
    applies: ({ target }) => !isTrajectory(target),
    find({ target }) {
      const long = sentences(target).find((s) => words(s).length > 30);
      return long ? `The sentence "${clip(long, 8)}" runs ${words(long).length} words; it is hard to follow.` : undefined;
    },
    instruction: "Keep every sentence short.",
    followedBy: (p) => /short sentences|sentence short/i.test(p),
    fix(target) {
      const long = sentences(target).find((s) => words(s).length > 30) ?? "";
      const w = words(long);
      const half = Math.ceil(w.length / 2);
      return { op: "replace", from: long, to: `${w.slice(0, half).join(" ")}. ${w.slice(half).join(" ")}` };
    },
  },
];

/**
 * What a query-writing prompt lacks when retrieval finds nothing new: never found in a response, only raised by
 * the simulator's backward step through a retrieval (see sim/index.ts), and recognized upstream from there.
 */
export const searchFurther: Check = {
  id: "search-further",
  phrase: /what the passages so far leave open/,
  find: () => undefined,
  instruction: "Search for what the passages so far leave open: name the people and places they mention that the question does not.",
  followedBy: (p) => /leave open/i.test(p),
  fix: () => ({ op: "append", text: "(search for what the passages leave open)" }),
};

export function checksIn(feedback: string): Check[] {
  return [...checks, searchFurther].filter((c) => c.phrase.test(feedback));
}

export function encodeEdit(e: Edit): string {
  switch (e.op) {
    case "append":
      return `Suggested change: append ${JSON.stringify(e.text)}`;
    case "prepend":
      return `Suggested change: prepend ${JSON.stringify(e.text)}`;
    case "replace":
      return `Suggested change: replace ${JSON.stringify(e.from)} with ${JSON.stringify(e.to)}`;
    case "number-steps":
      return "Suggested change: number the steps";
    default: {
      const never: never = e;
      return never;
    }
  }
}

const editLine = /Suggested change: (append|prepend) ("(?:[^"\\]|\\.)*")|Suggested change: replace ("(?:[^"\\]|\\.)*") with ("(?:[^"\\]|\\.)*")|Suggested change: number the steps/g;

export function decodeEdits(text: string): Edit[] {
  const out: Edit[] = [];
  for (const m of text.matchAll(editLine)) {
    try {
      if (m[1]) out.push({ op: m[1] as "append" | "prepend", text: JSON.parse(m[2]!) as string });
      else if (m[3]) out.push({ op: "replace", from: JSON.parse(m[3]) as string, to: JSON.parse(m[4]!) as string });
      else out.push({ op: "number-steps" });
    } catch {
      // A garbled suggestion is skipped; the others still apply.
    }
  }
  return out;
}

export function applyEdit(text: string, e: Edit): string {
  switch (e.op) {
    case "append":
      return text.includes(e.text) ? text : `${text.trimEnd()}\n${e.text}`;
    case "prepend":
      return text.includes(e.text) ? text : `${e.text}\n${text.trimStart()}`;
    case "replace":
      return e.from && text.includes(e.from) ? text.replace(e.from, e.to) : text;
    case "number-steps": {
      if (/^\s*Step \d+/im.test(text)) return text;
      const lines = text.split("\n");
      const keep = lines.filter((l) => /^\s*(Answer:|Given:)/i.test(l));
      const body = sentences(lines.filter((l) => !/^\s*(Answer:|Given:)/i.test(l)).join(" "));
      const given = keep.filter((l) => /^\s*Given:/i.test(l));
      const answer = keep.filter((l) => /^\s*Answer:/i.test(l));
      return [...given, ...body.map((s, i) => `Step ${i + 1}: ${s}`), ...answer].join("\n");
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}
