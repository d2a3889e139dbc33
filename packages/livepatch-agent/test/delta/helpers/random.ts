/**
 * Seeded randomness for the delta tests, so that every run (and every failure) is reproducible.
 *
 * @module
 */
import { mulberry32 } from '@velocity/core';

/** A deterministic source of random numbers. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `length` uniform bytes. */
  bytes(length: number): Uint8Array;
}

/** A {@link Random} from `mulberry32` (`@velocity/core`), seeded. */
export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
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
