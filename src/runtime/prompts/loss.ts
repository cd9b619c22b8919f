import type { Labeled } from "../../engines/engine.js";
import { prompt, tagged, type Prompt } from "./tags.js";

export const LOSS_SYSTEM = `You evaluate text against criteria, as the loss of an optimization system.
Report every problem you find, concretely: quote the part of the text each problem is in and say what is wrong with it.
Do not rewrite the text and do not solve the task yourself. If you find nothing to criticize, say so plainly.
End your evaluation with a line "Score: N/10", where 10 means the text fully meets the criteria.`;

/** The criteria are shared by every example's evaluation; the context and the evaluated text vary. */
export function lossMessages(criteria: string, targets: readonly Labeled[], context: readonly Labeled[]): Prompt {
  const varying: string[] = [];
  for (const c of context) varying.push(tagged("CONTEXT", c.text, `label="${c.label}"`));
  for (const t of targets) varying.push(tagged("EVALUATED", t.text, `label="${t.label}"`));
  varying.push(
    targets.length > 1
      ? `Evaluate the texts marked EVALUATED (${targets.map((t) => t.label).join(", ")}) against the criteria.`
      : "Evaluate the text marked EVALUATED against the criteria.",
  );
  return prompt(LOSS_SYSTEM, [[tagged("CRITERIA", criteria)]], varying);
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
