// The natives of std/radiotherapy (declared in radiotherapy.tg): a treatment plan made from hyperparameters written
// as text, read as a DVH and judged against the case's protocol.
import type { NativeFunction } from "../../src/runtime/natives.js";
import { caseSpec, failingShare, goalText, planFromText, report, review, unreadable } from "./plan.js";

export const radiotherapy: Record<string, NativeFunction> = {
  plan_report: ([parameters, name]) => {
    const outcome = planFromText(name ?? "", parameters ?? "");
    return outcome.ok ? report(outcome.plan) : unreadable(outcome.errors);
  },
  protocol: ([name]) => {
    const spec = caseSpec(name ?? "");
    return [`Protocol for the ${spec.name} case (${spec.description}):`, ...spec.goals.map((g) => `- ${goalText(g)}`)].join("\n");
  },
  goals_met: ([parameters, name]) => {
    const outcome = planFromText(name ?? "", parameters ?? "");
    return outcome.ok ? 1 - failingShare(outcome.plan) : 0;
  },
  plan_review: ([parameters, name]) => {
    const outcome = planFromText(name ?? "", parameters ?? "");
    if (!outcome.ok) return { critique: unreadable(outcome.errors), loss: 1 };
    return { critique: review(outcome.plan), loss: failingShare(outcome.plan) };
  },
};
