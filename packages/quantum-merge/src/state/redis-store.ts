import type { RedisClient } from '../runtime/redis-connection.js';
import { TransitionConflictError } from '../errors.js';
import type {
  BuildOutcome,
  BuildState,
  EntryState,
  Priority,
  QueueId,
} from '../scheduler/types.js';
import { APPLY_SCRIPT } from './apply-script.js';
import { queueKeys, type QueueKeys } from './keys.js';

/** One record change inside an operation: move `kind`/`id` from state `from` to `to`, merging `set` in. */
export type StoreChange =
  | {
      readonly kind: 'entry';
      /** PR number, as a string. */
      readonly id: string;
      /** Required current state; `''` means the record must not exist yet. */
      readonly from: EntryState | '';
      readonly to: EntryState;
      /** Fields written with the new state. */
      readonly set?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'build';
      /** Build id. */
      readonly id: string;
      readonly from: BuildState | '';
      readonly to: BuildState;
      readonly set?: Readonly<Record<string, unknown>>;
    };

/** One operation: its changes are applied all together or not at all. */
export interface StoreOperation {
  /** Idempotency key: an operation id applied once is a no-op ever after (e.g. `finish:b12`). */
  readonly opId: string;
  readonly changes: readonly StoreChange[];
  /** PR numbers appended to the base branch's merged history, in order. */
  readonly append?: readonly number[];
}

/** An entry as stored. */
export interface StoredEntry {
  readonly pr: number;
  readonly headSha: string;
  readonly priority: Priority;
  /** ms. */
  readonly enqueuedAt: number;
  readonly state: EntryState;
  /** When it merged or failed, ms; absent before. */
  readonly finishedAt?: number;
  /** PR title, when known. */
  readonly title?: string;
}

/** A build as stored. */
export interface StoredBuild {
  readonly id: string;
  /** PRs of the tested tree, in merge order. */
  readonly contents: readonly number[];
  /** The entries it decides; the tail of `contents`. */
  readonly targets: readonly number[];
  /** ms. */
  readonly startedAt: number;
  readonly state: BuildState;
  /** When it finished or was cancelled, ms; absent while running. */
  readonly finishedAt?: number;
  /** How it ended, once finished. */
  readonly outcome?: BuildOutcome;
  /** Link to the build (e.g. the CI run), when the executor gave one. */
  readonly url?: string;
  /** Why it failed, when the executor said. */
  readonly reason?: string;
  /** 1 for a first run, 2 for the first retry, … (absent in records written before retries existed). */
  readonly attempt?: number;
  /**
   * What its result decided: `merge` (its targets merged), `reject` (its single target failed), `bisect`
   * (its batch was split), `retry` (it failed at the head and was run again), `flaky` (it failed but a later
   * build containing it passed, and merged it); absent when the result decided nothing (cancelled, or made
   * stale before use).
   */
  readonly decided?: 'merge' | 'reject' | 'bisect' | 'retry' | 'flaky';
}

/** Everything stored for one queue. */
export interface QueueSnapshot {
  /** Sorted by PR number. */
  readonly entries: StoredEntry[];
  /** Sorted by start time, then id. */
  readonly builds: StoredBuild[];
  /** PR numbers in merge order: the base branch's history since the queue began. */
  readonly merged: number[];
}

/**
 * The durable state of one merge queue in Redis (or Redis Cluster), behind compare-and-set operations.
 *
 * @remarks
 * Every change goes through {@link RedisQueueStore.apply}, one Lua script run: each record must be in its
 * expected state, and an operation id is applied at most once, so a redelivered event changes nothing. All
 * keys share the hash tag `{owner/repo:base}` ({@link queueKeys}). The connection is passed in and left
 * open.
 */
export class RedisQueueStore {
  /** The keys this store uses. */
  readonly keys: QueueKeys;
  readonly #redis: RedisClient;
  readonly #now: () => number;

  /**
   * @param redis - a connected ioredis client
   * @param queue - the repository and base branch
   * @param options - `now`: the time recorded for applied operations, ms (default `Date.now`); `prefix`:
   *   key prefix (default `qm`)
   */
  constructor(
    redis: RedisClient,
    queue: QueueId,
    options: { now?: () => number; prefix?: string } = {},
  ) {
    this.#redis = redis;
    this.keys = queueKeys(queue, options.prefix);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Applies an operation atomically.
   *
   * @returns `'applied'`, or `'duplicate'` when `opId` was applied before (nothing changed)
   * @throws {@link TransitionConflictError} when a record is not in its `from` state (nothing changed)
   */
  async apply(operation: StoreOperation): Promise<'applied' | 'duplicate'> {
    const { keys } = this;
    const payload = JSON.stringify({ changes: operation.changes, append: operation.append ?? [] });
    const reply = (await this.#redis.eval(
      APPLY_SCRIPT,
      4,
      keys.ops,
      keys.merged,
      keys.entries,
      keys.builds,
      operation.opId,
      payload,
      String(this.#now()),
    )) as string[];
    const [status, kind = '', id = '', expected = '', actual = ''] = reply;
    if (status === 'conflict') {
      throw new TransitionConflictError({ kind, id, expected, actual, opId: operation.opId });
    }
    return status === 'duplicate' ? 'duplicate' : 'applied';
  }

  /** Reads the whole queue: entries, builds and the merged history. */
  async load(): Promise<QueueSnapshot> {
    const [entries, builds, merged] = await Promise.all([
      this.#redis.hvals(this.keys.entries),
      this.#redis.hvals(this.keys.builds),
      this.#redis.lrange(this.keys.merged, 0, -1),
    ]);
    return {
      entries: entries.map((raw) => JSON.parse(raw) as StoredEntry).sort((a, b) => a.pr - b.pr),
      builds: builds
        .map((raw) => JSON.parse(raw) as StoredBuild)
        .sort((a, b) => a.startedAt - b.startedAt || compareBuildIds(a.id, b.id)),
      merged: merged.map(Number),
    };
  }

  /** Deletes every key of this queue, the lock included. */
  async clear(): Promise<void> {
    const { entries, builds, merged, ops, refs, shas, reports, lock } = this.keys;
    await this.#redis.del(entries, builds, merged, ops, refs, shas, reports, lock);
  }
}

/** Orders `b2` before `b10`. */
function compareBuildIds(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}
