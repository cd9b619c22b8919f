import type { Message, RequestContext } from "../../engines/engine.js";
import { tagged } from "./tags.js";

export const BACKWARD_SYSTEM = `You are the backward pass of an optimization system that improves text.
You receive one text (the variable), what it is for, how it took part in producing an output, and feedback on that output.
Explain how the variable should change so that the output improves in the way the feedback asks.
Be specific: point to the parts of the variable to change and say how to change them. Do not write the new version
of the variable; describe the changes. If the feedback is not about anything the variable controls, say so briefly.`;

type Backward = Extract<RequestContext, { purpose: "backward" }>;

export function backwardMessages(c: Backward): Message[] {
  const parts = [`Role of the variable: ${c.variableRole}.\nIts full current value:`, tagged("VARIABLE", c.variable)];
  const feedback = c.feedback.length === 1 ? c.feedback[0]! : c.feedback.map((f, i) => `${i + 1}. ${f}`).join("\n\n");
  switch (c.relation) {
    case "evaluated":
      parts.push("An evaluator judged the variable itself and wrote:", tagged("FEEDBACK", feedback));
      parts.push("How should the variable change to address this evaluation?");
      break;
    case "prompt":
      parts.push("The variable was part of this prompt to a language model:");
      if (c.prompt?.system !== undefined) parts.push(tagged("SYSTEM_PROMPT", c.prompt.system));
      parts.push(tagged("USER_PROMPT", c.prompt?.user ?? ""));
      parts.push(`The model's reply (${c.outputRole}):`, tagged("OUTPUT", c.output));
      parts.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      parts.push(`How should the variable (${c.variableRole}) change so that the model's output improves as the feedback asks?`);
      break;
    case "argument":
      parts.push(`The variable was an input to a step whose result (${c.outputRole}) was:`, tagged("OUTPUT", c.output));
      parts.push("That output received this feedback:", tagged("FEEDBACK", feedback));
      parts.push(`How should the variable (${c.variableRole}) change so that the output improves as the feedback asks?`);
      break;
    default: {
      const never: never = c.relation;
      return never;
    }
  }
  return [
    { role: "system", content: BACKWARD_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}
