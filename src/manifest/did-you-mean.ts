/**
 * "Did you mean …?" for misspelled field names and enum values. Written here (about 40 lines)
 * rather than pulled in as a dependency: the candidate lists are tiny and fixed.
 */

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, because "prot" for
 * "port" is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Case and `-`/`_`/space differences are not typos worth counting: `Health-Check` is `health_check`. */
const normalize = (s: string): string => s.toLowerCase().replace(/[-\s]/g, '_');

/**
 * The closest candidate, or null when nothing is close enough to be a plausible typo. The allowance
 * grows with the word (one edit per three characters, at least one) so short names are not matched
 * to unrelated short names.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | null {
  const wanted = normalize(input);
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowance = Math.max(1, Math.floor(wanted.length / 3));
  return best !== null && bestDistance <= allowance ? best : null;
}
