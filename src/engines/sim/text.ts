// Small text utilities for the simulator: sentences, numbers, item lists, a stable hash.

export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.?!])\s+(?=[A-Z0-9"(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export function clip(text: string, n: number): string {
  const w = words(text);
  return w.length <= n ? w.join(" ") : `${w.slice(0, n).join(" ")}…`;
}

/** Quantities as written: "20 m", "9.8 m/s^2", "3". */
export function quantities(text: string): string[] {
  const out: string[] = [];
  const re = /(?<![\w.])(\d+(?:\.\d+)?)(\s?(?:m\/s\^2|m\/s|km|kg|cm|mm|m|s|g|h|%|°C))?(?![\w.])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[0].trim());
  return [...new Set(out)];
}

/** The last number in a text (after "Answer:" when there is one). */
export function lastNumber(text: string): string | undefined {
  const answer = /Answer:\s*([^\n]*)/gi;
  let tail = text;
  for (let m = answer.exec(text); m; m = answer.exec(text)) tail = m[1]!;
  const nums = tail.match(/-?\d+(?:\.\d+)?/g);
  return nums?.[nums.length - 1];
}

const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

export interface Item {
  readonly quantity: number;
  readonly name: string;
}

/** "I have a flute, two pianos, and a drum." → [1 flute, 2 pianos, 1 drum]; empty when there is no such list. */
export function itemList(text: string): Item[] {
  const m = /\bI have ([^.?!]+)[.?!]/i.exec(text);
  if (!m) return [];
  return m[1]!
    .split(/,\s*(?:and\s+)?|\s+and\s+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [first, ...rest] = part.split(/\s+/);
      const q = numberWords[first!.toLowerCase()] ?? (Number.isFinite(Number(first)) ? Number(first) : undefined);
      return q === undefined ? { quantity: 1, name: part } : { quantity: q, name: rest.join(" ") };
    });
}

/** FNV-1a: a stable 32-bit hash, so simulated values depend on their input and nothing else. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A toy lexicon, so the simulator can tell which listed things a counting question asks about. */
const categories: Record<string, readonly string[]> = {
  "musical instrument": ["flute", "piano", "trombone", "violin", "accordion", "clarinet", "drum", "trumpet", "guitar"],
  animal: ["cat", "dog", "goat", "fish", "snail", "frog", "rabbit", "pig", "cow", "bear"],
  vegetable: ["cabbage", "broccoli", "onion", "potato", "celery", "yam", "carrot", "lettuce"],
  fruit: ["banana", "apple", "plum", "nectarine", "strawberr", "peach", "grape"],
  furniture: ["chair", "table", "couch", "bed", "bookshelf"],
  appliance: ["oven", "microwave", "toaster", "fridge"],
};

/** The items of a list that belong to the category a "How many …" question names; all of them if it names none. */
export function itemsAskedAbout(question: string, items: readonly Item[]): Item[] {
  const asked = /how many ([a-z ]+?)s? do/i.exec(question)?.[1]?.toLowerCase() ?? "";
  const category = Object.keys(categories).find((c) => asked.includes(c) || asked.includes(c.split(" ").pop()!));
  if (!category) return [...items];
  return items.filter((i) => categories[category]!.some((stem) => i.name.toLowerCase().includes(stem)));
}

const notNames = new Set(["The", "A", "An", "It", "Its", "In", "On", "At", "Where", "Which", "Who", "Whom", "What", "When", "How", "She", "He", "His", "Her", "They", "Question", "Passages", "Answer", "From", "So", "Then"]);

/** Capitalized names in a text ("the Varn Island lighthouse" → "Varn Island"), in order, without repeats. */
export function names(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*/g)) {
    const parts = m[0].split(/\s+/);
    while (parts.length && notNames.has(parts[0]!)) parts.shift();
    const name = parts.join(" ");
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

const stopWords = new Set(
  "a an the of in on at to for from by with and or is was were be been which who whom what when where how did does do its his her their this that these those as into than then so".split(" "),
);

/** The words of a text a search should look for: lowercased, without punctuation and common words. */
export function contentWords(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !stopWords.has(w)))];
}
