/**
 * Seeded pseudo-random numbers, for what must come out the same on every machine and run (simulations,
 * generated benchmark inputs).
 *
 * @module
 */

/**
 * Mulberry32 (Tommy Ettinger, 2017): a 32-bit state generator, fast and good enough for simulation and
 * test data (not for cryptography).
 *
 * @param seed - any number; only its low 32 bits are used
 * @returns a function giving numbers in [0, 1)
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
