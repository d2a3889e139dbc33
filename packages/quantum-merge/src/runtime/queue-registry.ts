import type { QueueId } from '../scheduler/types.js';
import type { RedisClient } from './redis-connection.js';

/**
 * The set of merge queues (repository and base branch) the App has seen, so CI results and the JSON API can
 * find them. One Redis set, `<prefix>:queues`, of `owner/name:base` (neither part may contain `:`).
 */
export class QueueRegistry {
  readonly #redis: RedisClient;
  readonly #key: string;

  constructor(redis: RedisClient, prefix = 'qm') {
    this.#redis = redis;
    this.#key = `${prefix}:queues`;
  }

  /** Records a queue; recording it again changes nothing. */
  async add(queue: QueueId): Promise<void> {
    await this.#redis.sadd(this.#key, `${queue.repo}:${queue.base}`);
  }

  /** Every recorded queue, sorted by repository then base; only `repo`'s when given. */
  async list(repo?: string): Promise<QueueId[]> {
    const members = await this.#redis.smembers(this.#key);
    return members
      .map((member) => {
        const split = member.indexOf(':');
        return { repo: member.slice(0, split), base: member.slice(split + 1) };
      })
      .filter((queue) => repo === undefined || queue.repo === repo)
      .sort((a, b) => a.repo.localeCompare(b.repo) || a.base.localeCompare(b.base));
  }
}
