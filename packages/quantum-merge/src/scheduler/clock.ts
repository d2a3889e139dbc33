/** A pending timer of a {@link Clock}. */
export interface TimerHandle {
  /** Stops the timer; its task will not run. */
  cancel(): void;
}

/**
 * Time as the scheduler sees it: real time in a server, virtual time in `simulate`.
 *
 * @remarks A clock runs timer tasks one at a time and waits for each task's promise before the next.
 */
export interface Clock {
  /** The current time, ms. */
  now(): number;
  /** Runs `task` once `delayMs` ms from now. */
  setTimer(delayMs: number, task: () => Promise<void>): TimerHandle;
}
