// The simulator's side of retrieval: writing a search query, answering from retrieved passages, saying what a
// search missed, and a stand-in for embeddings. Each follows, or fails to follow, an instruction a prompt can
// learn, so a run shows both prompts of a retrieval pipeline change and the answers change with them.
import { searchFurther } from "./checks.js";
import { contentWords, hash, names, sentences } from "./text.js";

/** A prompt that asks for a search query (as a query-rewriting step's does). */
export const asksForQuery = (system: string | undefined) => /\bsearch query\b|\bquery\b.*\bsearch\b/i.test(system ?? "");

/** Passages as `retrieve` writes them: `[n] source` then the text. */
const passageBodies = (text: string) =>
  text
    .split(/^\[\d+\] .*$/m)
    .slice(1)
    .map((b) => b.trim())
    .filter(Boolean);

export const hasPassages = (text: string) => /^\[\d+\] \S/m.test(text);

const questionIn = (text: string) => sentences(text).find((s) => s.includes("?"))?.replace(/^Question:\s*/i, "") ?? text;

/**
 * A search query: the question's own words; or, when the prompt asks to search for what the passages leave open,
 * the names the passages mention that the question does not, with the question's words the passages lack.
 */
export function writeQuery(system: string | undefined, user: string): string {
  const question = questionIn(user);
  const asked = contentWords(question);
  if (!searchFurther.followedBy(system ?? "") || !hasPassages(user)) return asked.join(" ");
  const passages = passageBodies(user).join("\n");
  const fresh = names(passages).filter((n) => !question.includes(n));
  const seen = new Set(contentWords(passages));
  return [...fresh, ...asked.filter((w) => !seen.has(w))].join(" ");
}

/**
 * An answer from passages: the sentence that mentions what the question names, and the new name it gives; when the
 * prompt says to follow the passages, on from that name to the sentence about it, as far as the chain goes.
 */
export function answerFromPassages(user: string, follows: (check: string) => boolean): string {
  const question = questionIn(user);
  const all = passageBodies(user).flatMap((b) => sentences(b));
  const known = new Set(names(question));
  const follow = follows("reference-name");
  const finalLine = follows("final-answer");
  const used: string[] = [];
  let answer: string | undefined;
  let lead = [...known];
  while (lead.length) {
    const next = all.find((s) => !used.includes(s) && lead.some((n) => s.includes(n)) && names(s).some((n) => !known.has(n)));
    if (!next) break;
    used.push(next);
    const fresh = names(next).filter((n) => !known.has(n));
    answer = fresh[fresh.length - 1];
    fresh.forEach((n) => known.add(n));
    lead = fresh;
    if (!follow) break;
  }
  if (answer === undefined) return `The passages do not say.${finalLine ? "\nAnswer: unknown" : ""}`;
  const lines = [...used.map((s, i) => `${i === 0 ? "From the passages:" : "Then:"} ${s}`), `So it is ${answer}.`];
  const body = follows("steps") ? lines.map((l, i) => `Step ${i + 1}: ${l}`).join("\n") : lines.join(" ");
  return `${body}${finalLine ? `\nAnswer: ${answer}` : ""}`;
}

/**
 * What a search missed, from the passages it retrieved and the feedback on what was made of them. Only a wrong
 * answer is the search's fault; feedback on form (numbered steps, a final line) is not.
 */
export function retrievalGradient(query: string, passages: readonly { readonly source: string; readonly text: string }[], feedback: string): string {
  if (!/does not name the reference|does not match the reference/.test(feedback)) {
    return `The feedback is not about what the search for "${query}" found: the passages are not what needs to change.`;
  }
  const fresh = names(passages.map((p) => p.text).join("\n")).filter((n) => !query.includes(n));
  const sources = passages.map((p) => p.source).join(", ") || "nothing";
  if (fresh.length === 0) {
    return `The search for "${query}" retrieved ${sources}, which do not hold what the answer needed. The query should use other words from the question.`;
  }
  return [
    `The search for "${query}" retrieved ${sources}. They mention ${fresh.join(", ")}, but the query does not, so nothing about them was found.`,
    `The query should look for what the passages so far leave open: ${fresh.join(", ")}.`,
  ].join(" ");
}

const DIMENSIONS = 256;

/**
 * A stand-in for an embeddings endpoint: each word, and each three-letter piece of it, hashed into one of 256
 * dimensions, the vector scaled to length 1. Texts that share words point the same way; it knows no synonyms.
 */
export function embedText(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const w of contentWords(text)) {
    v[hash(w) % DIMENSIONS]! += 2;
    for (let i = 0; i + 3 <= w.length; i++) v[hash(`#${w.slice(i, i + 3)}`) % DIMENSIONS]! += 0.5;
  }
  const norm = Math.sqrt(v.reduce((n, x) => n + x * x, 0));
  return norm === 0 ? v : v.map((x) => Number((x / norm).toFixed(6)));
}
