/**
 * The system prompt of every call that works on a variable (backward and update): one text, so that those calls
 * share their opening (this, then the variable) and a provider's prompt cache can serve it to all of them.
 * What each call must do follows the variable, in its user message.
 */
export const OPTIMIZER_SYSTEM = `You are part of an optimization system that improves a text, called the variable, by textual gradients:
feedback in words about how the text should change. The variable may be a prompt, an answer, code or any other text.
You will be shown the variable, what it is for, and what is asked of you in this step.`;

/** The opening every backward and update message shares: what the variable is for, and its whole current value. */
export function variableOpening(role: string, value: string, tagged: (tag: string, text: string) => string): string[] {
  return [`Role of the variable: ${role}.\nIts full current value:`, tagged("VARIABLE", value)];
}
