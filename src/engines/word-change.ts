// How far an update moved a text, in words: the measure behind TGD's step size (`max_change`), shared with the
// simulator, which honours it.

/** The share of words that differ between two texts: 1 − (longest common subsequence of words) / (longer length). */
export function wordChange(before: string, after: string): number {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 0;
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    [prev, row] = [row, prev];
  }
  return 1 - prev[b.length]! / longest;
}
