import type { AgentEventBus, AgentLogRecord } from '../events/index.js';
import type { BatchSummary, GetStatusResponse } from '../protocol/index.js';

/** Agent events {@link AgentStatusTracker} keeps, the oldest dropped first (the proto's "at most 100"). */
export const STATUS_EVENT_CAPACITY = 100;

/** Options of {@link AgentStatusTracker}. */
export interface AgentStatusTrackerOptions {
  /** The agent's event bus; its `event` records are kept, app output is not. */
  events: AgentEventBus;
}

/**
 * What `GetStatus` answers: when the agent started (when this was created), how many batches it applied, the last one, and its
 * recent events.
 *
 * @remarks
 * The event bus's ring buffer holds app output too, so a chatty app pushes the agent's own events out of
 * it within seconds; this keeps the last {@link STATUS_EVENT_CAPACITY} records of stream `event` apart
 * (already scrubbed by the bus). Storing is O(1) amortized, {@link AgentStatusTracker.status} is
 * O(capacity).
 */
export class AgentStatusTracker {
  readonly #startedAtMs: number;
  readonly #events: AgentLogRecord[] = [];
  readonly #unsubscribe: () => void;
  #batchesApplied = 0;
  #lastBatch: BatchSummary | null = null;

  /** @param options - see {@link AgentStatusTrackerOptions} */
  constructor(options: AgentStatusTrackerOptions) {
    this.#startedAtMs = Date.now();
    this.#unsubscribe = options.events.subscribe((record) => {
      if (record.stream !== 'event') return;
      this.#events.push(record);
      if (this.#events.length > STATUS_EVENT_CAPACITY) this.#events.shift();
    });
  }

  /**
   * Records a batch that was applied and whose reloads ran; it becomes `lastBatch`.
   *
   * @param batch - its id, commit time (ms since the epoch), counts, bytes written, latency (ms) and
   *   reload reports (details already scrubbed)
   */
  batchApplied(batch: BatchSummary): void {
    this.#batchesApplied += 1;
    this.#lastBatch = batch;
  }

  /**
   * The agent's status now.
   *
   * @returns the `GetStatus` answer: `events` is a new array, oldest first; `lastBatch` is `null` before
   *   the first batch
   */
  status(): GetStatusResponse {
    return {
      startedAtMs: this.#startedAtMs,
      batchesApplied: this.#batchesApplied,
      lastBatch: this.#lastBatch,
      events: [...this.#events],
    };
  }

  /** Stops following the event bus. */
  close(): void {
    this.#unsubscribe();
  }
}
