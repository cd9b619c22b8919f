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
