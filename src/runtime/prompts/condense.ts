import { prompt, tagged, type Prompt } from "./tags.js";

export const CONDENSE_SYSTEM = `You condense feedback for an optimization system that improves text.
Several pieces of feedback were given for the same text. Merge them into one list of distinct, concrete changes:
keep every distinct point, drop repetition, keep quotes of the text they refer to.
Reply with the list between <FEEDBACK> and </FEEDBACK>.`;

export function condenseMessages(variableRole: string, gradients: readonly string[]): Prompt {
  return prompt(CONDENSE_SYSTEM, [], [`The text is ${variableRole}. The feedback it received:\n\n${gradients.map((g, i) => tagged("ITEM", g, `n="${i + 1}"`)).join("\n")}`]);
}

export const CONDENSE_REASK = "Reply again with the merged list between <FEEDBACK> and </FEEDBACK>.";
