import type { Clock, TimerHandle } from '../scheduler/clock.js';

interface PendingTimer {
  readonly due: number;
  cancelled: boolean;
}

/**
 * The clock of a scheduler that lives for one job: real time, timers that are due run at once, and later
 * timers are only remembered, so the caller can schedule a delayed job for {@link JobClock.nextDue}.
 *
 * @remarks
 * A scheduler rebuilt by `MergeQueueScheduler.resume` re-arms the timeout of every running build with the time
 * left; one already past its deadline gets a delay ≤ 0 and fails at once. So a delayed "tick" job that
 * resumes the queue at the earliest due time is all it takes to enforce timeouts across processes.
 */
export class JobClock implements Clock {
  readonly #now: () => number;
  readonly #timers: PendingTimer[] = [];
  #running: Promise<unknown>[] = [];

  /** @param now - the time source, ms @defaultValue `Date.now` */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  setTimer(delayMs: number, task: () => Promise<void>): TimerHandle {
    const timer: PendingTimer = { due: this.#now() + delayMs, cancelled: false };
    if (delayMs <= 0) {
      this.#running.push(Promise.resolve().then(() => (timer.cancelled ? undefined : task())));
    } else {
      this.#timers.push(timer);
    }
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Waits for every timer task that was due and started, including ones those tasks started. */
  async drain(): Promise<void> {
    while (this.#running.length > 0) {
      const running = this.#running;
      this.#running = [];
      await Promise.all(running);
    }
  }

  /** The earliest due time of a timer still pending, ms, or `undefined` when none is. */
  get nextDue(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers) {
      if (!timer.cancelled && (next === undefined || timer.due < next)) next = timer.due;
    }
    return next;
  }
}
