import type { Message, PrefixMark } from "../../engines/engine.js";

/** The text between the last `<TAG>` and the `</TAG>` after it, trimmed; undefined when the reply lacks them. */
export function extractTagged(reply: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const end = reply.lastIndexOf(close);
  if (end < 0) return undefined;
  const start = reply.lastIndexOf(open, end);
  if (start < 0) return undefined;
  const inner = reply.slice(start + open.length, end).replace(/^\s*\n/, "").replace(/\n\s*$/, "");
  return inner.trim() === "" ? undefined : inner.trim();
}

/** Wraps text in a tag on lines of their own. */
export function tagged(tag: string, text: string, attrs = ""): string {
  return `<${tag}${attrs ? ` ${attrs}` : ""}>\n${text}\n</${tag}>`;
}


/** A prompt: its messages, and where the parts shared by other calls end (shortest first). */
export interface Prompt {
  readonly messages: Message[];
  readonly prefixMarks: readonly PrefixMark[];
}

/**
 * A system message and a user message made of shared groups of parts, then parts that vary per call. Each shared
 * group ends a prefix that other calls repeat (the variable, then the prompt it took part in): shared first, so that
 * a provider's prompt cache can serve it, with a mark where each group ends.
 */
export function prompt(system: string, shared: readonly (readonly string[])[], varying: readonly string[]): Prompt {
  const parts: string[] = [];
  const prefixMarks: PrefixMark[] = [];
  for (const group of shared) {
    parts.push(...group);
    if (group.length) prefixMarks.push({ message: 1, chars: parts.join("\n\n").length });
  }
  return {
    messages: [
      { role: "system", content: system },
      { role: "user", content: [...parts, ...varying].join("\n\n") },
    ],
    prefixMarks,
  };
}
