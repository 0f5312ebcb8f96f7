/** "did you mean X?" for a mistyped name: the closest known names by edit distance, case-insensitive. */

/** Levenshtein distance of two strings (case-insensitive). */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[t.length]!;
}

/** The closest known names (ties, sorted), when within a third of the typed name's length in edits (at least 2). */
export function closestNames(typed: string, known: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  const scored = [...known].map((name) => ({ name, d: distance(typed, name) })).filter((x) => x.d <= limit);
  const best = Math.min(...scored.map((x) => x.d));
  return scored
    .filter((x) => x.d === best)
    .map((x) => x.name)
    .sort()
    .slice(0, max);
}

/** `; did you mean A or B?`, or '' when nothing is close. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const close = closestNames(typed, known);
  return close.length ? `; did you mean ${close.join(' or ')}?` : '';
}
