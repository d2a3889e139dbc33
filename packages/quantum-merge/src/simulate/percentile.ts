/**
 * The nearest-rank percentile of `values`.
 *
 * @param percent - in (0, 100]
 * @returns the value, or `null` when `values` is empty
 */
export function percentile(values: readonly number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
