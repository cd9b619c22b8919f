import type { RequestContext } from "../../engines/engine.js";
import { prompt, tagged, type Prompt } from "./tags.js";

export const BACKWARD_SYSTEM = `You are the backward pass of an optimization system that improves text.
You receive one text (the variable), what it is for, how it took part in producing an output, and feedback on that output.
Explain how the variable should change so that the output improves in the way the feedback asks.
Be specific: point to the parts of the variable to change and say how to change them. Do not write the new version
of the variable; describe the changes. If the feedback is not about anything the variable controls, say so briefly.`;

type Backward = Extract<RequestContext, { purpose: "backward" }>;

/**
 * What every backward message about the same variable shares comes first (the instructions, the variable, and the
 * prompt it took part in); the output and its feedback, which differ per example, come last.
 */
export function backwardMessages(c: Backward): Prompt {
  const stable = [`Role of the variable: ${c.variableRole}.\nIts full current value:`, tagged("VARIABLE", c.variable)];
  const varying: string[] = [];
  const feedback = c.feedback.length === 1 ? c.feedback[0]! : c.feedback.map((f, i) => `${i + 1}. ${f}`).join("\n\n");
  switch (c.relation) {
    case "evaluated":
      varying.push("An evaluator judged the variable itself and wrote:", tagged("FEEDBACK", feedback));
      varying.push("How should the variable change to address this evaluation?");
      break;
    case "prompt":
      // When the variable is a whole message, it is not repeated: it stands above, in full.
      if (c.prompt?.system !== undefined && c.prompt.system === c.variable) {
        stable.push("The variable is the whole system prompt of a call to a language model. The call's user prompt:");
      } else {
        stable.push("The variable was part of this prompt to a language model:");
        if (c.prompt?.system !== undefined) stable.push(tagged("SYSTEM_PROMPT", c.prompt.system));
      }
      varying.push(c.prompt?.user === c.variable ? "(The user prompt is the variable itself.)" : tagged("USER_PROMPT", c.prompt?.user ?? ""));
      varying.push(`The model's reply (${c.outputRole}):`, tagged("OUTPUT", c.output));
      varying.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      varying.push(`How should the variable (${c.variableRole}) change so that the model's output improves as the feedback asks?`);
      break;
    case "argument":
      varying.push(`The variable was an input to a step whose result (${c.outputRole}) was:`, tagged("OUTPUT", c.output));
      varying.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      varying.push(`How should the variable (${c.variableRole}) change so that the output improves as the feedback asks?`);
      break;
    default: {
      const never: never = c.relation;
      return never;
    }
  }
  return prompt(BACKWARD_SYSTEM, stable, varying);
}
