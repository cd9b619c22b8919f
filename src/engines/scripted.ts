// Replies taken from a file of rules: for tests and for teaching, where every reply must be known in advance.
//
//   { "rules": [
//       { "purpose": "forward", "match": "ball", "reply": "Step 1: …\nAnswer: 2.02 s" },
//       { "purpose": "update", "replies": ["<IMPROVED_VARIABLE>v1</IMPROVED_VARIABLE>", "<IMPROVED_VARIABLE>v2</IMPROVED_VARIABLE>"] }
//   ] }
//
// The first rule whose purpose (if given) and `match` (a substring, or /a regex/) fit the request answers it.
// `replies` are used in turn, the last one repeating. A request no rule fits is an error that shows the request.
import { EngineError, usageOf, yieldToEventLoop, type Engine, type EngineReply, type EngineRequest, type Purpose } from "./engine.js";

export interface ScriptRule {
  readonly purpose?: Purpose;
  readonly match?: string;
  readonly reply?: string;
  readonly replies?: readonly string[];
}

const purposes: readonly Purpose[] = ["forward", "loss", "backward", "update", "condense", "propose"];

/** Validates a parsed rules file; returns the rules or a list of problems. */
export function parseScript(json: unknown): { rules: ScriptRule[] } | { problems: string[] } {
  const problems: string[] = [];
  const rules: ScriptRule[] = [];
  const list = (json as { rules?: unknown })?.rules;
  if (!Array.isArray(list)) return { problems: ['expected an object with a "rules" list'] };
  list.forEach((r: unknown, i) => {
    const rule = r as Record<string, unknown>;
    if (typeof rule !== "object" || rule === null) {
      problems.push(`rule ${i + 1}: expected an object`);
      return;
    }
    if (rule.purpose !== undefined && !purposes.includes(rule.purpose as Purpose)) {
      problems.push(`rule ${i + 1}: purpose must be one of ${purposes.join(", ")}`);
    }
    if (rule.match !== undefined && typeof rule.match !== "string") problems.push(`rule ${i + 1}: match must be a string`);
    else if (typeof rule.match === "string") {
      try {
        matcher(rule.match);
      } catch (e) {
        problems.push(`rule ${i + 1}: match is not a valid regular expression (${(e as Error).message})`);
      }
    }
    const hasReply = typeof rule.reply === "string";
    const hasReplies = Array.isArray(rule.replies) && rule.replies.length > 0 && rule.replies.every((x) => typeof x === "string");
    if (hasReply === hasReplies) problems.push(`rule ${i + 1}: give either "reply" (a string) or "replies" (a non-empty list of strings)`);
    rules.push(rule as ScriptRule);
  });
  return problems.length ? { problems } : { rules };
}

function matcher(match: string | undefined): (text: string) => boolean {
  if (match === undefined) return () => true;
  const re = /^\/(.*)\/([a-z]*)$/s.exec(match);
  if (re) {
    const regex = new RegExp(re[1]!, re[2]);
    return (t) => regex.test(t);
  }
  return (t) => t.includes(match);
}

export class ScriptedEngine implements Engine {
  readonly simulated = true;
  private readonly used = new Map<number, number>();
  private readonly matchers: ((text: string) => boolean)[];

  constructor(
    readonly id: string,
    private readonly rules: readonly ScriptRule[],
  ) {
    this.matchers = rules.map((r) => matcher(r.match));
  }

  async complete(request: EngineRequest): Promise<EngineReply> {
    await yieldToEventLoop();
    const text = request.messages.map((m) => m.content).join("\n");
    const purpose = request.context.purpose;
    const index = this.rules.findIndex((r, i) => (r.purpose === undefined || r.purpose === purpose) && this.matchers[i]!(text));
    if (index < 0) {
      const last = request.messages[request.messages.length - 1]?.content ?? "";
      throw new EngineError(
        `no scripted reply matches this ${purpose} request: ${JSON.stringify(last.slice(0, 160))}${last.length > 160 ? "…" : ""}`,
        this.id,
        `add a rule with "purpose": "${purpose}" to the replies file`,
      );
    }
    const rule = this.rules[index]!;
    const n = this.used.get(index) ?? 0;
    this.used.set(index, n + 1);
    const reply = rule.reply ?? rule.replies![Math.min(n, rule.replies!.length - 1)]!;
    return { text: reply, usage: usageOf(request, reply), finishReason: "stop" };
  }
}
