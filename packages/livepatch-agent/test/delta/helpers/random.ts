/**
 * Seeded randomness for the delta tests, so that every run (and every failure) is reproducible.
 *
 * @module
 */

/** A deterministic source of random numbers. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `length` uniform bytes. */
  bytes(length: number): Uint8Array;
}

/**
 * Mulberry32, a 32-bit PRNG, seeded.
 *
 * @see {@link https://gist.github.com/tommyettinger/46a874533244883189143505d203312c | mulberry32}
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 1) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
