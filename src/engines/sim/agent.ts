// The simulator as an agent, for shopping sums ("3 notebooks at 2.50 dollars each … How much?"). It calls a
// calculator tool only when its instruction says to use the tools; it first writes multiplication as "x", which a
// strict calculator refuses; it corrects the call only when its instruction says to correct failed calls.
// Otherwise it answers with a stable guess. So a run shows an instruction learn, step by step, what the agent lacks.
import type { RequestContext, ToolCall } from "../engine.js";
import { checks } from "./checks.js";
import { hash } from "./text.js";

type AgentTurn = Extract<RequestContext, { purpose: "agent" }>;

const follows = (id: string, prompt: string) => checks.find((k) => k.id === id)!.followedBy(prompt);

/** "3 notebooks at 2.50 dollars each and 2 pens at 1.25 dollars each … pays with a 20 dollar note" → an expression. */
export function shoppingSum(text: string, times: string): string | undefined {
  const terms = [...text.matchAll(/(\d+(?:\.\d+)?)\s+[a-z][a-z ]*?\s+at\s+\$?(\d+(?:\.\d+)?)/gi)].map((m) => `${m[1]} ${times} ${m[2]}`);
  if (terms.length === 0) return undefined;
  const paid = /pays with (?:a |an )?\$?(\d+(?:\.\d+)?)/i.exec(text)?.[1];
  return paid ? `${paid} - (${terms.join(" + ")})` : terms.join(" + ");
}

export function agentTurn(c: AgentTurn): { text: string; toolCalls?: ToolCall[] } {
  const instruction = c.system ?? "";
  const guess = String(((hash(c.user) % 400) + 10) / 10);
  const calculator = c.tools.find((t) => t.parameters.length === 1 && /calculat|arithmetic|expression/i.test(`${t.name} ${t.description}`));
  const sloppy = shoppingSum(c.user, "x");
  const call = (expression: string): { text: string; toolCalls: ToolCall[] } => ({
    text: "",
    toolCalls: [{ id: `call_${c.trajectory.length + 1}`, name: calculator!.name, arguments: { [calculator!.parameters[0]!.name]: expression } }],
  });
  if (!follows("tool-unused", instruction) || !calculator || !sloppy || c.turnsLeft === 0) {
    return { text: `Working it out directly, the total is ${guess}.\nAnswer: ${guess}` };
  }
  const last = c.trajectory[c.trajectory.length - 1];
  if (!last) return call(sloppy);
  if (!last.failed) return { text: `The calculator gives ${last.result}.\nAnswer: ${last.result}` };
  if (follows("tool-error", instruction) && c.trajectory.length < 3) return call(shoppingSum(c.user, "*")!);
  return { text: `The calculator could not help; estimating, the total is ${guess}.\nAnswer: ${guess}` };
}
