/**
 * "Did you mean" suggestions for misspelt keys and environment variables.
 *
 * @module
 */

/**
 * The candidate closest to `input`, or `undefined` when none is close.
 *
 * @remarks
 * Case-insensitive edit distance counting a swap of adjacent characters as one edit, O(|input| × |candidate|)
 * per candidate. A candidate is close when it is at
 * most one edit away per three characters of `input` (at least one edit), so `runer` → `runner` and
 * `depci` → `depCi`, while unrelated short words are not matched.
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Optimal string alignment distance between `a` and `b`: Levenshtein plus swapping two adjacent characters as one
 * edit, the most common typo (`lable` → `label`).
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
