import type { Clock, TimerHandle } from '../scheduler/clock.js';

interface Task {
  readonly at: number;
  readonly sequence: number;
  readonly run: () => Promise<void>;
  cancelled: boolean;
}

/**
 * A {@link Clock} whose time only moves when {@link VirtualClock.run} jumps to the next task: a simulated
 * day takes as long as its events take to process.
 *
 * @remarks Tasks run in order of time, then of scheduling (so equal times are deterministic), one at a
 * time, each awaited. The queue is a binary heap: O(log n) per task.
 */
export class VirtualClock implements Clock {
  #now = 0;
  #sequence = 0;
  readonly #heap: Task[] = [];

  /** The virtual time, ms since the start of the simulation. */
  now(): number {
    return this.#now;
  }

  /** Schedules `task` at `now() + delayMs` (negative delays count as 0). */
  setTimer(delayMs: number, task: () => Promise<void>): TimerHandle {
    const entry: Task = {
      at: this.#now + Math.max(0, delayMs),
      sequence: this.#sequence++,
      run: task,
      cancelled: false,
    };
    this.#push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /**
   * Runs tasks until none is left, advancing the time to each.
   *
   * @param signal - stops the run (between tasks) when aborted
   */
  async run(signal?: AbortSignal): Promise<void> {
    for (let task = this.#pop(); task !== undefined; task = this.#pop()) {
      if (signal?.aborted === true) return;
      if (task.cancelled) continue;
      this.#now = task.at;
      await task.run();
    }
  }

  #push(task: Task): void {
    const heap = this.#heap;
    heap.push(task);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(task, heap[parent] as Task)) break;
      heap[index] = heap[parent] as Task;
      index = parent;
    }
    heap[index] = task;
  }

  #pop(): Task | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as Task, heap[left] as Task) ? right : left;
      if (!before(heap[child] as Task, last)) break;
      heap[index] = heap[child] as Task;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}
