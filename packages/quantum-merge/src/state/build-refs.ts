import type { RedisClient } from '../runtime/redis-connection.js';
import type { QueueId } from '../scheduler/types.js';
import { queueKeys } from './keys.js';

/** The speculative commit of one build, as an executor created it. */
export interface BuildRef {
  /** Branch name without `refs/heads/`, e.g. `velocity-mq/main/b3`. */
  readonly ref: string;
  /** The commit under test; 40 hex digits. */
  readonly sha: string;
}

/**
 * Where executors record each build's speculative commit, so any process can find the build a CI result
 * (`check_run`, `status`) is about and the exact commit to fast-forward the base branch to.
 *
 * @remarks
 * Two Redis hashes under the queue's hash tag (one Redis Cluster slot with the queue's other keys):
 * `refs` (build id → JSON {@link BuildRef}) and `shas` (sha → build id) of {@link queueKeys}. The connection is passed
 * in and left open.
 */
export class BuildRefStore {
  readonly #redis: RedisClient;
  readonly #refs: string;
  readonly #shas: string;

  /**
   * @param redis - a connected ioredis client
   * @param queue - the repository and base branch
   * @param prefix - key prefix, as for `queueKeys` @defaultValue `qm`
   */
  constructor(redis: RedisClient, queue: QueueId, prefix = 'qm') {
    this.#redis = redis;
    ({ refs: this.#refs, shas: this.#shas } = queueKeys(queue, prefix));
  }

  /** Records (or replaces) the speculative commit of `buildId`, in one MULTI. */
  async set(buildId: string, ref: BuildRef): Promise<void> {
    await this.#redis
      .multi()
      .hset(this.#refs, buildId, JSON.stringify(ref))
      .hset(this.#shas, ref.sha, buildId)
      .exec();
  }

  /** The speculative commit of `buildId`, or `undefined` when none was recorded. */
  async get(buildId: string): Promise<BuildRef | undefined> {
    const raw = await this.#redis.hget(this.#refs, buildId);
    return raw === null ? undefined : (JSON.parse(raw) as BuildRef);
  }

  /** Ids of the builds with a recorded commit, in no particular order. */
  async list(): Promise<string[]> {
    return this.#redis.hkeys(this.#refs);
  }

  /** Forgets a build's commit (both hashes, in one MULTI); forgetting an unknown build changes nothing. */
  async delete(buildId: string): Promise<void> {
    const ref = await this.get(buildId);
    const multi = this.#redis.multi().hdel(this.#refs, buildId);
    if (ref !== undefined) multi.hdel(this.#shas, ref.sha);
    await multi.exec();
  }

  /**
   * The build whose speculative commit is `sha`, or `undefined`. When two builds tested the same commit (a
   * rebuild of the same tree), the later one.
   */
  async buildForSha(sha: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#shas, sha)) ?? undefined;
  }
}
