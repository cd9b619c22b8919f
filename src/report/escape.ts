// Every text a report shows comes from a run (prompts, replies, gradients, values): it is escaped, always.

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML and SVG, in element content and in quoted attributes. */
export const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!);

/** A number for people: up to `digits` decimals, without trailing zeros. */
export function num(n: number | undefined | null, digits = 3): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "–";
  return String(Number(n.toFixed(digits)));
}

/** US dollars: cents for sums of a cent or more, four decimals below; `unknown` when a price was not known. */
export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return "unknown";
  if (n === 0) return "$0.00";
  return n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`;
}

/** A count with thousands separators. */
export const count = (n: number): string => n.toLocaleString("en-US");
