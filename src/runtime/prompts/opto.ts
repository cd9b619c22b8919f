import type { RequestContext } from "../../engines/engine.js";
import { prompt, tagged, type Prompt } from "./tags.js";

/** The whole-graph optimizer's system prompt: one call per step proposes every variable's new value. */
export const OPTO_SYSTEM = `You are the optimizer of a program that calls language models. Some of its texts are trainable variables.
You see the program as it ran on this step's examples: every node in the order it was computed, with its inputs,
its role and its value, and the feedback the program's losses gave on the result. Work out which variables caused
the problems the feedback names, through the nodes between them, and propose new values for those variables.
Reply with each new value, complete, between <VARIABLE name="NAME"> and </VARIABLE>, one block per variable you
change; leave out variables that should stay as they are. Text outside the blocks is ignored.`;

type Propose = Extract<RequestContext, { purpose: "propose" }>;

const numbered = (items: readonly string[]) => items.map((x, i) => `${i + 1}. ${x}`).join("\n");

/** The variables first (shared by every step of a run while they do not change), then the traces and feedback. */
export function optoMessages(c: Propose): Prompt {
  const variables = c.variables.map((v) => {
    const parts = [tagged("VALUE", v.value)];
    if (v.pastValues.length) parts.push(tagged("PAST_VALUES", v.pastValues.map((p, i) => tagged("VALUE", p, `age="${v.pastValues.length - i}"`)).join("\n")));
    if (v.rejected.length) {
      parts.push(tagged("REJECTED", v.rejected.map((r) => tagged("VALUE", r.value, `score="${r.score}"`)).join("\n")));
    }
    return tagged("TRAINABLE", parts.join("\n"), `name="${v.name}" role="${v.role}"`);
  });
  const varying: string[] = [];
  c.traces.forEach((t, i) => varying.push(tagged("EXECUTION", t, c.traces.length > 1 ? `example="${i + 1}"` : "")));
  varying.push("The feedback the losses gave:", tagged("FEEDBACK", c.feedback.length === 1 ? c.feedback[0]! : numbered(c.feedback)));
  if (c.constraints.length) varying.push("Every new value must follow these constraints:", tagged("CONSTRAINTS", numbered(c.constraints)));
  if (c.examples.length) varying.push("Examples of good values:", tagged("EXAMPLES", numbered(c.examples)));
  varying.push(
    'Past values show the direction of earlier steps (do not go back to them); rejected values made validation worse (do not propose them again). Reply with a <VARIABLE name="NAME"> block for each variable you change.',
  );
  return prompt(OPTO_SYSTEM, [["The trainable variables, with their roles and current values:", ...variables]], varying);
}

export const OPTO_REASK =
  'Your reply held no usable <VARIABLE name="NAME">…</VARIABLE> block for any trainable variable. Reply again with ' +
  "a block for each variable you change, its complete new value inside, or <NO_CHANGE/> if none should change.";

/**
 * The proposals in a reply, by variable (the last block for a name wins; names that are not targets are
 * ignored); an empty map for an explicit <NO_CHANGE/>; undefined when the reply is not usable.
 */
export function readProposals(reply: string, names: readonly string[]): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const m of reply.matchAll(/<VARIABLE\s+name\s*=\s*"([^"]+)"\s*>\n?([\s\S]*?)\n?<\/VARIABLE>/g)) {
    const [name, value] = [m[1]!, m[2]!];
    if (names.includes(name) && value.trim() !== "") out.set(name, value.trim());
  }
  if (out.size) return out;
  return /<NO_CHANGE\s*\/>/.test(reply) ? out : undefined;
}
