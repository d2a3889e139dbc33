/**
 * A concurrency limit for file system operations (vitest's `withLimit`, without p-limit).
 *
 * @module
 */

/** Runs `task` once fewer than the limit's concurrency are running; resolves or rejects as `task` does. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A {@link Limit} running at most `concurrency` tasks at once, first come first served.
 *
 * @remarks
 * Tasks must not wait on other tasks of the same limit, or they can deadlock; callers limit single file
 * system calls, never a recursion. Once `signal` is aborted, tasks not yet started reject with its reason.
 */
export function createLimit(concurrency: number, signal?: AbortSignal): Limit {
  const slots = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the first waiter, so `running` never exceeds `slots`.
    if (running < slots) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}
