// Textual Gradient Descent: rewrites a variable from its gradients. Momentum shows the last `momentum` values,
// gradient memory the last `gradientMemory` sets of gradients; rejected values (reverted by validation) are
// shown so they are not proposed again. Gradients longer than `condenseAfter` characters are condensed first.
import type { TgdConfig } from "../ir/graph.js";
import type { Gradient } from "./backward.js";
import { OptimizerMemory } from "./optimizer-memory.js";
import { wordChange } from "../engines/word-change.js";
import { askTagged, askUntilUsable, taggedReading, type Reading, type RuntimeContext } from "./context.js";
import { CONDENSE_REASK, condenseMessages } from "./prompts/condense.js";
import { rejectedReask, tooFarReask, UPDATE_REASK, updateMessages } from "./prompts/update.js";

/** A model cannot count words exactly: a step may overshoot its size by this much before it is asked again. */
const STEP_TOLERANCE = 0.1;

export class TextualGradientDescent {
  readonly memory = new OptimizerMemory();

  constructor(readonly config: TgdConfig) {}

  /** Condenses gradients whose total length exceeds the limit; the order of the others is kept. */
  private async condense(ctx: RuntimeContext, name: string, role: string, gradients: readonly string[]): Promise<string[]> {
    const size = gradients.reduce((n, g) => n + g.length, 0);
    if (size <= this.config.condenseAfter || gradients.length < 2) return [...gradients];
    const site = { node: undefined, label: `condense ${name}`, sample: undefined };
    const merged = await askTagged(
      ctx,
      this.config.engine,
      condenseMessages(role, gradients),
      { purpose: "condense", variableRole: role, gradients },
      site,
      "FEEDBACK",
      CONDENSE_REASK,
      this.config.retries,
    );
    // Without a usable summary, keep the newest gradients that fit rather than overflow the update prompt.
    const kept: string[] = [];
    if (merged === undefined) {
      let room = this.config.condenseAfter;
      for (const g of [...gradients].reverse()) {
        if (g.length > room) break;
        kept.unshift(g);
        room -= g.length;
      }
      if (kept.length === 0) kept.push(gradients[gradients.length - 1]!.slice(0, this.config.condenseAfter));
    }
    const result = merged === undefined ? kept : [merged];
    ctx.emit({ type: "gradients_condensed", variable: name, count: gradients.length, before: size, after: result.reduce((n, g) => n + g.length, 0) });
    return result;
  }

  /** One update of one variable: the new value, or why no reply was usable. */
  async step(ctx: RuntimeContext, name: string, role: string, value: string, gradients: readonly Gradient[]): Promise<{ readonly value: string } | { readonly problem: string }> {
    const s = this.memory.of(name);
    const texts = await this.condense(ctx, name, role, gradients.map((g) => g.text));
    const context = {
      purpose: "update" as const,
      variable: value,
      variableRole: role,
      gradients: texts,
      pastValues: this.config.momentum ? s.pastValues.slice(-this.config.momentum) : [],
      pastGradients: this.config.gradientMemory ? s.pastGradients.slice(-this.config.gradientMemory) : [],
      rejected: s.rejected,
      constraints: this.config.constraints,
      examples: this.config.examples,
      maxChange: this.config.maxChange,
    };
    const tagged = taggedReading("IMPROVED_VARIABLE", UPDATE_REASK);
    const limit = this.config.maxChange;
    // A value validation rejected before, or (with a step size) one that moves too far, is asked again, like one
    // that lacks its tags.
    const read = (reply: string): Reading<string> => {
      const r = tagged(reply);
      if (!("value" in r)) return r;
      const again = s.rejected.find((x) => x.value === r.value);
      if (again) return { problem: `proposes a value validation rejected (score ${again.score})`, reask: rejectedReask(again.score) };
      if (limit === undefined) return r;
      const changed = wordChange(value, r.value);
      return changed <= limit + STEP_TOLERANCE
        ? r
        : { problem: `changes ${Math.round(changed * 100)}% of the words, more than max_change ${Math.round(limit * 100)}%`, reask: tooFarReask(changed, limit) };
    };
    const next = await askUntilUsable(ctx, this.config.engine, updateMessages(context), context, { node: undefined, label: `update ${name}`, sample: undefined }, read, this.config.retries);
    s.pastValues.push(value);
    s.pastGradients.push(texts);
    return next;
  }
}
