/**
 * Time for hot reload: durations, the rollback window, crash-loop backoff and stop timeouts.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

/** Milliseconds and timers, injectable so tests can pin them. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are used). */
  now(): number;
  /**
   * Calls `callback` once after `delayMs` milliseconds.
   *
   * @returns cancels the timer; calling it after the timer fired does nothing
   */
  setTimer(callback: () => void, delayMs: number): () => void;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: () => performance.now(),
  setTimer: (callback: () => void, delayMs: number) => {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
});

/**
 * Settles after `delayMs`, or as soon as `promise` settles, whichever is first.
 *
 * @returns true when `promise` settled first (its rejection counts as settled)
 */
export async function settlesWithin(
  promise: Promise<unknown>,
  delayMs: number,
  clock: Clock,
): Promise<boolean> {
  let cancel: (() => void) | undefined;
  const timedOut = new Promise<false>((resolve) => {
    cancel = clock.setTimer(() => resolve(false), delayMs);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      timedOut,
    ]);
  } finally {
    cancel?.();
  }
}

/** Settles after `delayMs` on `clock`. */
export function sleep(delayMs: number, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimer(resolve, delayMs);
  });
}
