// A plan from its hyperparameters: parse them, optimize the fluence, read the DVH and judge it against the
// protocol. A case's dose model is built once; plans are remembered by their canonical objectives, since one step
// of an optimization reads the same plan through several functions.
import { doseModel, type DoseModel } from "./dose.js";
import { metricName, metricUnit, metricValue, structureDoses, type StructureDose } from "./dvh.js";
import { optimizeFluence, type FluenceResult } from "./fluence.js";
import { formatObjectives, parseParameters, type Objective } from "./parameters.js";
import { buildPhantom, cases, type CaseSpec, type Goal } from "./phantom.js";

export interface GoalResult {
  readonly goal: Goal;
  readonly value: number;
  readonly met: boolean;
  /** How far the value is on the wrong side of the goal, in the metric's unit (0 when met). */
  readonly miss: number;
}

export interface Plan {
  readonly model: DoseModel;
  readonly objectives: readonly Objective[];
  readonly fluence: FluenceResult;
  readonly doses: readonly StructureDose[];
  readonly goals: readonly GoalResult[];
}

export type PlanOutcome = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly errors: readonly string[] };

const models = new Map<string, DoseModel>();
const plans = new Map<string, Plan>();
const REMEMBERED_PLANS = 32;

export function caseSpec(name: string): CaseSpec {
  const spec = cases.get(name.trim());
  if (!spec) throw new Error(`there is no radiotherapy case "${name}" (the cases: ${[...cases.keys()].join(", ")})`);
  return spec;
}

export function modelOf(spec: CaseSpec): DoseModel {
  let m = models.get(spec.name);
  if (!m) models.set(spec.name, (m = doseModel(buildPhantom(spec))));
  return m;
}

/** Displayed precision: a goal is met when its value, as shown, is on the right side. */
const round = (x: number) => Math.round(x * 10) / 10;

export function judge(doses: readonly StructureDose[], goals: readonly Goal[]): GoalResult[] {
  return goals.map((goal) => {
    const s = doses.find((d) => d.structure.name === goal.structure);
    if (!s) throw new Error(`the protocol names a structure "${goal.structure}" the case does not have`);
    const value = round(metricValue(s, goal.metric));
    const miss = goal.op === ">=" ? Math.max(0, goal.value - value) : Math.max(0, value - goal.value);
    return { goal, value, met: miss === 0, miss: round(miss) };
  });
}

/** Plans a case from the objectives written as text; the parse errors when the text is malformed. */
export function planFromText(caseName: string, text: string): PlanOutcome {
  const model = modelOf(caseSpec(caseName));
  const parsed = parseParameters(text, model.phantom);
  if (!parsed.ok) return parsed;
  return { ok: true, plan: planFromObjectives(model, parsed.objectives) };
}

export function planFromObjectives(model: DoseModel, objectives: readonly Objective[]): Plan {
  const key = `${model.phantom.spec.name}\n${formatObjectives(objectives)}`;
  const known = plans.get(key);
  if (known) return known;
  const fluence = optimizeFluence(model, objectives);
  const doses = structureDoses(model.phantom, fluence.dose);
  const plan = { model, objectives, fluence, doses, goals: judge(doses, model.phantom.spec.goals) };
  if (plans.size >= REMEMBERED_PLANS) plans.delete(plans.keys().next().value!);
  plans.set(key, plan);
  return plan;
}

const fixed = (x: number) => x.toFixed(1);
const opText = (op: Goal["op"]) => (op === ">=" ? "≥" : "≤");
export const goalText = (g: Goal) => `${g.structure} ${metricName(g.metric)} ${opText(g.op)} ${g.value} ${metricUnit(g.metric)}`;
const valueText = (r: GoalResult) => `${fixed(r.value)} ${metricUnit(r.goal.metric)}`;

/** The DVH statistics of every structure, as a table. */
export function dvhTable(plan: Plan): string {
  const columns = ["Dmean", "Dmax", "D98", "D95", "D50", "D2"] as const;
  const rows = plan.doses.map((s) => {
    const d = (p: number) => s.sorted[Math.min(s.sorted.length - 1, Math.max(0, Math.ceil((p / 100) * s.sorted.length) - 1))]!;
    const mean = s.sorted.reduce((a, x) => a + x, 0) / s.sorted.length;
    return [s.structure.name, mean, s.sorted[0]!, d(98), d(95), d(50), d(2)].map((x) => (typeof x === "number" ? fixed(x) : x));
  });
  const header = ["structure (Gy)", ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** Each goal with its value, ✓ or ✗ and the miss. */
export function goalLines(plan: Plan): string[] {
  return plan.goals.map((r) => {
    const miss = r.met ? "" : ` (${fixed(r.miss)} ${metricUnit(r.goal.metric)} ${r.goal.op === ">=" ? "short" : "over"})`;
    return `${r.met ? "✓" : "✗"} ${goalText(r.goal)}: ${valueText(r)}${miss}`;
  });
}

/** What a planner would change for a failing goal, naming the objective's current weight and dose. */
function advice(plan: Plan, r: GoalResult): string {
  const g = r.goal;
  const own = plan.objectives.filter((o) => o.structure === g.structure && o.weight > 0);
  const target = plan.model.phantom.structures.find((s) => s.name === g.structure)?.kind === "target";
  if (target && g.op === ">=") {
    const o = own.find((x) => x.kind !== "max");
    return o ? `Raise the ${g.structure} weight (now ${o.weight}) or its dose (now ${o.kind} ${o.dose} Gy) to cover it.` : `Add a uniform objective at the prescription on ${g.structure}.`;
  }
  if (target) {
    const o = own.find((x) => x.kind !== "min") ?? own[0];
    return o ? `Raise the ${g.structure} weight (now ${o.weight}) for a more uniform dose, or add "${g.structure}: max ${g.value - 2} Gy, weight ${o.weight}".` : `Add "${g.structure}: max ${g.value - 2} Gy, weight 100".`;
  }
  const o = own.find((x) => x.kind !== "min");
  if (!o) return `Add an objective such as "${g.structure}: max ${Math.round(g.op === "<=" && g.metric.kind === "V" ? g.metric.dose * 0.7 : g.value * 0.8)} Gy, weight 100".`;
  return `Raise the ${g.structure} weight (now ${o.weight}) or lower its dose (now ${o.kind} ${o.dose} Gy) to spare it.`;
}

/** The size of the review's loss: the fraction of the protocol's goals the plan misses. */
export const failingShare = (plan: Plan) => plan.goals.filter((r) => !r.met).length / plan.goals.length;

/** The oncologist's review: the decision first (for a glance), the DVH table and goals, what to change. */
export function review(plan: Plan): string {
  const failing = plan.goals.filter((r) => !r.met);
  const spec = plan.model.phantom.spec;
  if (failing.length === 0) return `Decision: the plan is acceptable: it meets all ${plan.goals.length} goals of the protocol.`;
  const brief = failing.map((r) => `${r.goal.structure} ${metricName(r.goal.metric)} ${valueText(r)} ${r.goal.op === ">=" ? "<" : ">"} ${r.goal.value}`).join("; ");
  return [
    `Decision: the plan needs improvement: ${failing.length} of ${plan.goals.length} goals fail (${brief}).`,
    "",
    `DVH statistics of the ${spec.name} plan (prescription ${spec.prescription} Gy):`,
    dvhTable(plan),
    "",
    "Protocol goals:",
    ...goalLines(plan),
    "",
    "What to change:",
    ...[...new Set(failing.map((r) => advice(plan, r)))].map((a) => `- ${a}`),
  ].join("\n");
}

/** The plan as a clinician is shown it: objectives, DVH table and goals, no verdict. */
export function report(plan: Plan): string {
  const spec = plan.model.phantom.spec;
  return [
    `Plan for the ${spec.name} case (${spec.description}).`,
    `Objectives: ${plan.objectives.map((o) => `${o.structure} ${o.kind} ${o.dose} Gy × ${o.weight}`).join("; ")}.`,
    "",
    dvhTable(plan),
    "",
    "Protocol goals:",
    ...goalLines(plan),
  ].join("\n");
}

export const unreadable = (errors: readonly string[]) =>
  `The planning parameters could not be read, so no plan was made:\n${errors.map((e) => `- ${e}`).join("\n")}`;
