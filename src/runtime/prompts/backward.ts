import type { RequestContext } from "../../engines/engine.js";
import { OPTIMIZER_SYSTEM, variableOpening } from "./optimizer-system.js";
import { prompt, tagged, type Prompt } from "./tags.js";

/** What a backward call is asked to do; it follows the variable, after the shared opening. */
export const BACKWARD_TASK = `This step is the backward pass. Below, you see how the variable took part in producing an output, and the
feedback that output received. Explain how the variable should change so that the output improves in the way the
feedback asks. Be specific: point to the parts of the variable to change and say how to change them. Do not write
the new version of the variable; describe the changes. If the feedback is not about anything the variable controls,
say so briefly.`;

type Backward = Extract<RequestContext, { purpose: "backward" }>;

/**
 * Shared first: the opening (the variable, shared with the update), then the task and the prompt the variable took
 * part in (shared by the examples of a batch); the output and its feedback, which differ per example, come last.
 */
export function backwardMessages(c: Backward): Prompt {
  const stable = [BACKWARD_TASK];
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
      if (c.process?.kind === "agent") {
        varying.push("The model ran as an agent: it called tools, read their results, and answered. Its trajectory, step by step:", tagged("OUTPUT", c.output));
        varying.push("That trajectory received this feedback:", tagged("FEEDBACK", feedback));
        varying.push(
          `At which step did the agent first go wrong (name the step by its number), and how should the variable (${c.variableRole}) change so that the agent acts differently there?`,
        );
        break;
      }
      varying.push(`The model's reply (${c.outputRole}):`, tagged("OUTPUT", c.output));
      varying.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      varying.push(`How should the variable (${c.variableRole}) change so that the model's output improves as the feedback asks?`);
      break;
    case "argument":
      if (c.process?.kind === "retrieval") {
        varying.push(`The variable was the query of a search over the corpus ${c.process.corpus}. These passages were retrieved, best first:`, tagged("OUTPUT", c.output));
        varying.push("What the program made from them received this feedback:", tagged("FEEDBACK", feedback));
        varying.push(
          `What do the passages lack that the feedback asks for? How should the variable (${c.variableRole}) change so that the search retrieves it? Name the words the query should contain.`,
        );
        break;
      }
      varying.push(`The variable was an input to a step whose result (${c.outputRole}) was:`, tagged("OUTPUT", c.output));
      varying.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      varying.push(`How should the variable (${c.variableRole}) change so that the output improves as the feedback asks?`);
      break;
    default: {
      const never: never = c.relation;
      return never;
    }
  }
  return prompt(OPTIMIZER_SYSTEM, [variableOpening(c.variableRole, c.variable, tagged), stable], varying);
}
