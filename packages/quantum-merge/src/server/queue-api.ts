import { percentile } from '../simulate/percentile.js';
import type { QueueId } from '../scheduler/types.js';
import { queueOrder } from '../runtime/queue-view.js';
import { QueueRegistry } from '../runtime/queue-registry.js';
import type { RedisClient } from '../runtime/redis-connection.js';
import { RedisQueueStore, type StoredBuild, type StoredEntry } from '../state/redis-store.js';

/** One queue in the list of queues. */
export interface QueueSummary extends QueueId {
  /** Entries queued, building or passed. */
  readonly active: number;
  /** Builds running now. */
  readonly running: number;
  /** PRs merged since the queue began. */
  readonly merged: number;
  /** PRs rejected since the queue began. */
  readonly failed: number;
}

/** An active entry with its position and the live build deciding it. */
export interface QueueEntryView extends StoredEntry {
  /** 1 for the head of the queue. */
  readonly position: number;
  /** Id of the live build deciding it, if any. */
  readonly buildId: string | null;
}

/** The live state of one queue. */
export interface QueueDetail extends QueueId {
  /** Active entries in queue order. */
  readonly entries: QueueEntryView[];
  /** Builds running, or finished but not yet decided (waiting for the entries ahead). */
  readonly builds: StoredBuild[];
  /** PRs merged, in merge order (the base branch's history since the queue began). */
  readonly merged: number[];
}

/** Finished entries and decided builds, most recent first. */
export interface QueueHistory extends QueueId {
  /** Merged, failed and dequeued entries, by `finishedAt` descending. */
  readonly entries: StoredEntry[];
  /** Every build that is not running, by start time descending. */
  readonly builds: StoredBuild[];
}

/** One hour of a queue's metrics. */
export interface MetricsBucket {
  /** Start of the hour, ms since the epoch. */
  readonly hour: number;
  /** PRs merged in that hour. */
  readonly merged: number;
  /** Median seconds from enqueue to merge of those PRs; `null` when none merged. */
  readonly timeToMergeP50: number | null;
  /** Builds started in that hour. */
  readonly builds: number;
}

/** Throughput, time to merge and builds per merged PR of one queue. */
export interface QueueMetrics extends QueueId {
  readonly merged: number;
  readonly failed: number;
  readonly builds: number;
  /** Builds per merged PR; `null` when nothing merged. */
  readonly buildsPerMergedPr: number | null;
  /** PRs merged per hour between the first enqueue and the last merge; `null` when nothing merged. */
  readonly throughputPerHour: number | null;
  /** Seconds from enqueue to merge, nearest-rank percentiles; `null` when nothing merged. */
  readonly timeToMerge: { readonly p50: number | null; readonly p95: number | null };
  /** Per hour, oldest first, for the hours with any merge or build. */
  readonly hourly: MetricsBucket[];
}

const HOUR_MS = 3_600_000;

/**
 * The read side of the JSON API the dashboard uses: queues, entries, builds, history and metrics, read from
 * the same Redis keys the workers write.
 */
export class QueueApi {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #registry: QueueRegistry;

  constructor(redis: RedisClient, prefix = 'qm') {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#registry = new QueueRegistry(redis, prefix);
  }

  /** Every known queue with its counts. */
  async queues(): Promise<QueueSummary[]> {
    const queues = await this.#registry.list();
    return Promise.all(
      queues.map(async (queue) => {
        const snapshot = await this.#store(queue).load();
        const count = (state: string): number =>
          snapshot.entries.filter((entry) => entry.state === state).length;
        return {
          ...queue,
          active: count('queued') + count('building') + count('passed'),
          running: snapshot.builds.filter((build) => build.state === 'running').length,
          merged: snapshot.merged.length,
          failed: count('failed'),
        };
      }),
    );
  }

  /** Whether the queue is known. */
  async has(queue: QueueId): Promise<boolean> {
    return (await this.#registry.list(queue.repo)).some((known) => known.base === queue.base);
  }

  /** The live queue. */
  async detail(queue: QueueId): Promise<QueueDetail> {
    const snapshot = await this.#store(queue).load();
    return {
      ...queue,
      entries: queueOrder(snapshot).map(({ entry, position, build }) => ({
        ...entry,
        position,
        buildId: build?.id ?? null,
      })),
      builds: snapshot.builds.filter(
        (build) => build.state !== 'cancelled' && build.decided === undefined,
      ),
      merged: snapshot.merged,
    };
  }

  /** Finished entries and builds, most recent first, at most `limit` of each. */
  async history(queue: QueueId, limit = 200): Promise<QueueHistory> {
    const snapshot = await this.#store(queue).load();
    return {
      ...queue,
      entries: snapshot.entries
        .filter((entry) => entry.finishedAt !== undefined && !isActive(entry))
        .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
        .slice(0, limit),
      builds: snapshot.builds
        .filter((build) => build.state !== 'running')
        .reverse()
        .slice(0, limit),
    };
  }

  /** Throughput, time to merge and builds per merged PR, overall and per hour. */
  async metrics(queue: QueueId): Promise<QueueMetrics> {
    const snapshot = await this.#store(queue).load();
    const merged = snapshot.entries.filter((entry) => entry.state === 'merged');
    const seconds = merged.map(
      (entry) => ((entry.finishedAt ?? entry.enqueuedAt) - entry.enqueuedAt) / 1000,
    );
    // Loops, not Math.min(...): a long history could exceed the call stack.
    let first = Infinity;
    for (const entry of snapshot.entries) first = Math.min(first, entry.enqueuedAt);
    let last = 0;
    for (const entry of merged) last = Math.max(last, entry.finishedAt ?? 0);
    const hours = new Map<number, { merged: number[]; builds: number }>();
    const bucket = (ms: number) => {
      const hour = Math.floor(ms / HOUR_MS) * HOUR_MS;
      let found = hours.get(hour);
      if (found === undefined) hours.set(hour, (found = { merged: [], builds: 0 }));
      return found;
    };
    for (const entry of merged) {
      bucket(entry.finishedAt ?? entry.enqueuedAt).merged.push(
        ((entry.finishedAt ?? entry.enqueuedAt) - entry.enqueuedAt) / 1000,
      );
    }
    for (const build of snapshot.builds) bucket(build.startedAt).builds += 1;
    return {
      ...queue,
      merged: merged.length,
      failed: snapshot.entries.filter((entry) => entry.state === 'failed').length,
      builds: snapshot.builds.length,
      buildsPerMergedPr: merged.length === 0 ? null : snapshot.builds.length / merged.length,
      throughputPerHour:
        merged.length === 0 ? null : merged.length / Math.max((last - first) / HOUR_MS, 1 / 60),
      timeToMerge: { p50: percentile(seconds, 50), p95: percentile(seconds, 95) },
      hourly: [...hours.entries()]
        .sort(([a], [b]) => a - b)
        .map(([hour, { merged: times, builds }]) => ({
          hour,
          merged: times.length,
          timeToMergeP50: percentile(times, 50),
          builds,
        })),
    };
  }

  #store(queue: QueueId): RedisQueueStore {
    return new RedisQueueStore(this.#redis, queue, { prefix: this.#prefix });
  }
}

function isActive(entry: StoredEntry): boolean {
  return entry.state === 'queued' || entry.state === 'building' || entry.state === 'passed';
}
