import { percentile } from './percentile.js';

/** What {@link perPrBound} computes. */
export interface PerPrBound {
  /** Good PRs, all of which merge. */
  readonly merged: number;
  /** Merged PRs per hour: `merged` over the time of the last merge. */
  readonly throughputPerHour: number;
  /** Time from arrival to merge, seconds. */
  readonly timeToMerge: { readonly p50: number | null; readonly p95: number | null };
}

/**
 * The per-PR bound a merge queue is measured against: every good PR is built exactly once, on arrival or
 * as soon as one of `concurrency` build slots frees up (FIFO), and merges when its build ends; bad PRs
 * cost nothing.
 *
 * @remarks An event-free calculation, O(n·C) for n PRs: each good PR takes the earliest free slot.
 * @param arrivalsMs - arrival time of each PR, ms, ascending
 * @param isGood - whether the PR at that index is good
 * @param buildMs - duration of one build, ms
 */
export function perPrBound(
  arrivalsMs: readonly number[],
  isGood: (index: number) => boolean,
  buildMs: number,
  concurrency: number,
): PerPrBound {
  const slotsFreeAt: number[] = Array.from({ length: concurrency }, () => 0);
  const waits: number[] = [];
  let last = 0;
  arrivalsMs.forEach((arrival, index) => {
    if (!isGood(index)) return;
    let slot = 0;
    for (let candidate = 1; candidate < concurrency; candidate += 1) {
      if ((slotsFreeAt[candidate] ?? 0) < (slotsFreeAt[slot] ?? 0)) slot = candidate;
    }
    const done = Math.max(arrival, slotsFreeAt[slot] ?? 0) + buildMs;
    slotsFreeAt[slot] = done;
    waits.push((done - arrival) / 1000);
    last = Math.max(last, done);
  });
  return {
    merged: waits.length,
    throughputPerHour: last === 0 ? 0 : (waits.length * 3_600_000) / last,
    timeToMerge: { p50: percentile(waits, 50), p95: percentile(waits, 95) },
  };
}
