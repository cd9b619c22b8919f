// Replies taken from a file of rules: for tests and for teaching, where every reply must be known in advance.
//
//   { "rules": [
//       { "purpose": "forward", "match": "ball", "reply": "Step 1: …\nAnswer: 2.02 s" },
//       { "purpose": "update", "replies": ["<IMPROVED_VARIABLE>v1</IMPROVED_VARIABLE>", "<IMPROVED_VARIABLE>v2</IMPROVED_VARIABLE>"] }
//   ] }
//
// The first rule whose purpose (if given) and `match` (a substring, or /a regex/) fit the request answers it.
// `replies` are used in turn, the last one repeating. A request no rule fits is an error that shows the request.
//
// An agent's turn may call tools: `{ "purpose": "agent", "tool_calls": [{ "name": "search", "arguments": { "q": "x" } }] }`,
// alone or with a `reply`. Calls get ids call_1, call_2, … in the order the engine makes them. The tools' results
// are in the next turn's messages, so a rule that matches a result can answer it (put it before the calling rule).
import { EngineError, estimateTokens, usageOf, yieldToEventLoop, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest, type Purpose, type ToolCall } from "./engine.js";

export interface ScriptedToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface ScriptRule {
  readonly purpose?: Purpose;
  readonly match?: string;
  readonly reply?: string;
  readonly replies?: readonly string[];
  readonly tool_calls?: readonly ScriptedToolCall[];
}

const purposes: readonly Purpose[] = ["forward", "agent", "loss", "backward", "update", "condense", "propose"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems of a rule's `tool_calls`, each naming the rule and the call. */
function toolCallProblems(calls: unknown, rule: number): string[] {
  const at = `rule ${rule}: tool_calls`;
  if (!Array.isArray(calls) || calls.length === 0) return [`${at} must be a non-empty list of { "name": "...", "arguments": { ... } }`];
  const problems: string[] = [];
  calls.forEach((c: unknown, j) => {
    const call = `${at}[${j + 1}]`;
    if (!isRecord(c)) {
      problems.push(`${call}: expected an object { "name": "...", "arguments": { ... } }`);
      return;
    }
    if (typeof c.name !== "string" || c.name === "") problems.push(`${call}: name must be a non-empty string`);
    if (c.arguments !== undefined && !isRecord(c.arguments)) problems.push(`${call}: arguments must be an object of the tool's parameters`);
    for (const key of Object.keys(c)) if (key !== "name" && key !== "arguments") problems.push(`${call}: unknown field '${key}' (expected name, arguments)`);
  });
  return problems;
}

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
    if (rule.tool_calls !== undefined) {
      problems.push(...toolCallProblems(rule.tool_calls, i + 1));
      if (rule.replies !== undefined) problems.push(`rule ${i + 1}: tool_calls go with "reply" (or alone), not with "replies"`);
      else if (rule.reply !== undefined && !hasReply) problems.push(`rule ${i + 1}: reply must be a string`);
    } else if (hasReply === hasReplies) {
      problems.push(`rule ${i + 1}: give either "reply" (a string), "replies" (a non-empty list of strings) or "tool_calls"`);
    }
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
  /** Tool calls made so far, for their ids. */
  private calls = 0;
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
    if (rule.tool_calls) {
      if (!request.tools?.length) {
        throw new EngineError(
          `scripted rule ${index + 1} calls tools, but this ${purpose} request offers none`,
          this.id,
          `give the rule "purpose": "agent", or a "match" that only agent turns fit`,
        );
      }
      const text = rule.reply ?? "";
      const toolCalls: ToolCall[] = rule.tool_calls.map((c) => ({ id: `call_${++this.calls}`, name: c.name, arguments: { ...(c.arguments ?? {}) } }));
      const usage = usageOf(request, text + JSON.stringify(rule.tool_calls));
      return { text, toolCalls, usage, finishReason: "tool_calls" };
    }
    const reply = rule.reply ?? rule.replies![Math.min(n, rule.replies!.length - 1)]!;
    return { text: reply, usage: usageOf(request, reply), finishReason: "stop" };
  }

  /**
   * A deterministic stand-in for embeddings, so scripted programs can retrieve: each word (lower-cased letters and
   * digits) adds ±1 to one of 64 dimensions chosen by its hash, and the vector is scaled to length 1. Texts that
   * share words are near; nothing more is meant by it.
   */
  async embed(texts: readonly string[]): Promise<EmbeddingReply> {
    await yieldToEventLoop();
    return { vectors: texts.map(hashedWords), usage: { inputTokens: texts.reduce((n, t) => n + estimateTokens(t), 0), outputTokens: 0 } };
  }
}

export const SCRIPTED_EMBEDDING_DIMENSIONS = 64;

function hashedWords(text: string): number[] {
  const v = new Array<number>(SCRIPTED_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 0x811c9dc5; // FNV-1a, 32 bits
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
    v[h % SCRIPTED_EMBEDDING_DIMENSIONS]! += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}
