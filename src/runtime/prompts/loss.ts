import type { Labeled, Message } from "../../engines/engine.js";
import { tagged } from "./tags.js";

export const LOSS_SYSTEM = `You evaluate text against criteria, as the loss of an optimization system.
Report every problem you find, concretely: quote the part of the text each problem is in and say what is wrong with it.
Do not rewrite the text and do not solve the task yourself. If you find nothing to criticize, say so plainly.
End your evaluation with a line "Score: N/10", where 10 means the text fully meets the criteria.`;

export function lossMessages(criteria: string, targets: readonly Labeled[], context: readonly Labeled[]): Message[] {
  const parts = [tagged("CRITERIA", criteria)];
  for (const c of context) parts.push(tagged("CONTEXT", c.text, `label="${c.label}"`));
  for (const t of targets) parts.push(tagged("EVALUATED", t.text, `label="${t.label}"`));
  parts.push(
    targets.length > 1
      ? `Evaluate the texts marked EVALUATED (${targets.map((t) => t.label).join(", ")}) against the criteria.`
      : "Evaluate the text marked EVALUATED against the criteria.",
  );
  return [
    { role: "system", content: LOSS_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** The score out of 10 a reply ends with, as a loss in [0, 1] (0 = nothing left to fix); undefined if absent. */
export function lossScore(reply: string): number | undefined {
  const m = /Score:\s*(\d+(?:\.\d+)?)\s*\/\s*10/gi;
  let last: RegExpExecArray | null = null;
  for (let x = m.exec(reply); x; x = m.exec(reply)) last = x;
  if (!last) return undefined;
  const s = Math.min(10, Math.max(0, Number(last[1])));
  return 1 - s / 10;
}
