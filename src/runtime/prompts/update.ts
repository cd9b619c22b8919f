import type { RequestContext } from "../../engines/engine.js";
import { OPTIMIZER_SYSTEM, variableOpening } from "./optimizer-system.js";
import { prompt, tagged, type Prompt } from "./tags.js";

/** What an update call is asked to do; it follows the variable, after the shared opening. */
export const UPDATE_TASK = `This step is the update. Below is the feedback on the variable: its textual gradients. Write an improved
version of the whole variable that addresses the feedback. Keep what the feedback does not ask to change, and keep
the variable's kind and purpose. Reply with the complete improved variable between <IMPROVED_VARIABLE> and
</IMPROVED_VARIABLE>. Text outside the tags is ignored.`;

type Update = Extract<RequestContext, { purpose: "update" }>;

const numbered = (items: readonly string[]) => items.map((x, i) => `${i + 1}. ${x}`).join("\n");

/** The shared opening (the variable, as in the step's backward calls) comes first; the task and feedback follow. */
export function updateMessages(c: Update): Prompt {
  const parts: string[] = [UPDATE_TASK];
  parts.push("Feedback on it:", tagged("FEEDBACK", c.gradients.length === 1 ? c.gradients[0]! : numbered(c.gradients)));
  if (c.pastValues.length) {
    parts.push(
      "Earlier values of the variable, oldest first. Build on the direction they show; do not go back to them:",
      tagged("PAST_VALUES", c.pastValues.map((v, i) => tagged("VALUE", v, `age="${c.pastValues.length - i}"`)).join("\n")),
    );
  }
  if (c.pastGradients.length) {
    parts.push(
      "Feedback those earlier values received, oldest first:",
      tagged("PAST_FEEDBACK", c.pastGradients.map((g, i) => tagged("FEEDBACK", numbered(g), `age="${c.pastGradients.length - i}"`)).join("\n")),
    );
  }
  if (c.rejected.length) {
    parts.push(
      "These values were tried and rejected because the validation score got worse. Do not propose them again:",
      tagged("REJECTED", c.rejected.map((r) => tagged("VALUE", r.value, `score="${r.score}"`)).join("\n")),
    );
  }
  if (c.constraints.length) parts.push("The new value must follow these constraints:", tagged("CONSTRAINTS", numbered(c.constraints)));
  if (c.examples.length) parts.push("Examples of good values:", tagged("EXAMPLES", numbered(c.examples)));
  if (c.maxChange !== undefined) parts.push(maxChangeInstruction(c.maxChange));
  parts.push("Write the improved variable between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>.");
  return prompt(OPTIMIZER_SYSTEM, [variableOpening(c.variableRole, c.variable, tagged)], parts);
}

/** The step size, said in words: how much of the variable this update may change. */
export const maxChangeInstruction = (share: number) =>
  `Take a small step: change at most about ${Math.round(share * 100)}% of the variable's words, and keep the rest exactly as it is.`;

/** The reminder when an update changed more than the step size allows. */
export const tooFarReask = (changed: number, share: number) =>
  `Your new value changes about ${Math.round(changed * 100)}% of the variable's words; this step may change at most about ${Math.round(share * 100)}%. ` +
  "Make a smaller change that addresses the most important feedback, and reply with the complete variable between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>.";

/** The reminder when an update proposes a value validation already rejected. */
export const rejectedReask = (score: number) =>
  `That value was tried before and rejected: the validation score got worse (${score}). Propose a different improvement, ` +
  "and reply with the complete variable between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>.";

export const UPDATE_REASK =
  "Your reply did not contain the improved variable between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>. " +
  "Reply again with the complete improved variable inside those tags.";
