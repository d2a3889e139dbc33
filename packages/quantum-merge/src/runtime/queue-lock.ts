import { randomUUID } from 'node:crypto';
import { QueueLockTimeoutError } from '../errors.js';
import type { RedisClient } from './redis-connection.js';

/** Deletes the lock only when it still holds this holder's token. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** Extends the lock only when it still holds this holder's token. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Timing of a {@link QueueLock}. */
export interface QueueLockOptions {
  /** How long a held lock lives without renewal, ms; a crashed holder's lock expires after this. */
  readonly ttlMs: number;
  /** How long {@link QueueLock.run} waits for a busy lock before giving up, ms. */
  readonly waitMs: number;
  /** Delay between attempts while waiting, ms. @defaultValue `25` */
  readonly retryMs?: number;
}

/**
 * A mutual-exclusion lock in Redis, so one merge queue's events are handled one at a time even with many
 * worker processes on many machines.
 *
 * @remarks
 * The single-instance Redis lock: `SET key token NX PX ttl` to take it, a compare-and-delete script to
 * release it, renewed every `ttl / 3` while held. The key sits under the queue's hash tag, so it lives in the
 * same Redis Cluster slot as the queue. Safe against crashed holders (the key expires); not a fencing lock
 * — the queue's compare-and-set operations are what keep a stale holder from corrupting state.
 *
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/
 */
export class QueueLock {
  readonly #redis: RedisClient;
  readonly #options: QueueLockOptions;

  constructor(redis: RedisClient, options: QueueLockOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  /**
   * Runs `task` while holding the lock `key`, and releases it afterwards (also when `task` throws).
   *
   * @throws {@link QueueLockTimeoutError} when the lock stays busy for `waitMs`
   * @throws whatever `task` throws
   */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const { ttlMs, waitMs, retryMs = 25 } = this.#options;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.#redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new QueueLockTimeoutError(key, waitMs);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    const renewal = setInterval(
      () => {
        this.#redis.eval(RENEW_SCRIPT, 1, key, token, String(ttlMs)).catch(() => undefined);
      },
      Math.max(1, Math.floor(ttlMs / 3)),
    );
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await this.#redis.eval(RELEASE_SCRIPT, 1, key, token);
    }
  }
}
