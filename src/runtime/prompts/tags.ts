import type { Message, StablePrefix } from "../../engines/engine.js";

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


/** A prompt: its messages, and where the part shared by many calls of the same kind ends. */
export interface Prompt {
  readonly messages: Message[];
  readonly stablePrefix: StablePrefix | undefined;
}

/**
 * A system message and a user message whose first `stable` parts are the same across the calls of a step (the
 * instructions, the variable being improved, the shared prompt) and whose remaining parts vary: shared first, so
 * that a provider's prompt cache can serve it.
 */
export function prompt(system: string, stable: readonly string[], varying: readonly string[]): Prompt {
  const head = stable.join("\n\n");
  const user = [...stable, ...varying].join("\n\n");
  return {
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    stablePrefix: stable.length ? { message: 1, chars: head.length } : { message: 1, chars: 0 },
  };
}
