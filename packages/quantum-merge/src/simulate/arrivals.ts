import { mulberry32 } from '@velocity/core';
import { keyedRandom } from './prng.js';

/**
 * Arrival times of `count` PRs from a Poisson process: exponential gaps with mean `3600 / ratePerHour`
 * seconds, drawn from {@link mulberry32} seeded with `seed`.
 *
 * @param ratePerHour - arrivals per hour, greater than 0
 * @returns times in whole ms from the start, ascending; PR `i + 1` arrives at index `i`
 */
export function poissonArrivals(count: number, ratePerHour: number, seed: number): number[] {
  const random = mulberry32(seed);
  const meanGapMs = 3_600_000 / ratePerHour;
  const times: number[] = [];
  let time = 0;
  for (let index = 0; index < count; index += 1) {
    time += -Math.log(1 - random()) * meanGapMs;
    times.push(Math.round(time));
  }
  return times;
}

/**
 * Whether a PR is "bad" (breaks every build containing it): decided by `seed` and the PR number alone, so
 * it does not depend on the strategy or on the order of events.
 *
 * @param failureRate - probability in [0, 1]
 */
export function isBadPr(seed: number, pr: number, failureRate: number): boolean {
  return keyedRandom(seed, pr) < failureRate;
}
