/**
 * Seeded pseudo-random numbers for `simulate`: the same seed gives the same arrivals and the same failing
 * PRs on every machine.
 *
 * @module
 */
import { mulberry32 } from '@velocity/core';

/**
 * A number in [0, 1) that depends only on `seed` and `key`: the first output of `mulberry32` (from `@velocity/core`) seeded
 * with both, mixed by MurmurHash3's 32-bit finalizer so that neighbouring keys give unrelated values.
 *
 * @see https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp
 */
export function keyedRandom(seed: number, key: number): number {
  let hash = (seed ^ Math.imul(key, 0x9e3779b1)) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return mulberry32(hash)();
}
