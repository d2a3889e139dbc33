import { Queue } from 'bullmq';
import type { BuildReport } from '../scheduler/executor.js';
import type { BuildOutcome, QueueId } from '../scheduler/types.js';
import type { RedisClient } from './redis-connection.js';

/**
 * BullMQ key prefix. Braces make it a Redis Cluster hash tag, so every key of every BullMQ queue lands in one
 * slot, as BullMQ's Lua scripts need.
 *
 * @see https://docs.bullmq.io/bull/patterns/redis-cluster
 */
export const BULLMQ_PREFIX = '{quantum-merge}';
/** The BullMQ queue of verified webhook deliveries, one job per delivery id. */
export const WEBHOOK_QUEUE = 'webhooks';
/** The BullMQ queue of build orchestration: build results relayed by executors, timeout ticks. */
export const ORCHESTRATION_QUEUE = 'orchestration';

/** A verified delivery, as the server queued it. */
export interface WebhookJobData {
  /** `X-GitHub-Event`. */
  readonly event: string;
  /** `X-GitHub-Delivery`. */
  readonly deliveryId: string;
  /** The raw body. */
  readonly payload: string;
}

/** A job of the orchestration queue. */
export type OrchestrationJobData =
  | { readonly kind: 'tick'; readonly repo: string; readonly base: string }
  | {
      readonly kind: 'result';
      readonly repo: string;
      readonly base: string;
      readonly buildId: string;
      readonly outcome: BuildOutcome;
      readonly details: BuildReport;
    };

/** Retries of a failed job, with exponential backoff from 1 s (about 4 minutes in all). */
const JOB_RETRY = { attempts: 8, backoff: { type: 'exponential', delay: 1000 } } as const;
/** Finished jobs are kept a day (completed) or a week (failed), for inspection. */
const KEEP = { removeOnComplete: { age: 86_400 }, removeOnFail: { age: 604_800 } } as const;
/** How long a delivery id is remembered to drop redeliveries, seconds (a week). */
const DELIVERY_TTL_S = 604_800;

/** BullMQ job ids may not contain `:` and may not be integers. */
function jobId(...parts: string[]): string {
  return parts.join('~').replaceAll(':', '_');
}

/**
 * The producer side of Quantum Merge's BullMQ queues, with deterministic job ids: a delivery id is queued
 * once, a build's result once, a tick once per queue and due time.
 */
export class JobQueues {
  readonly webhooks: Queue<WebhookJobData>;
  readonly orchestration: Queue<OrchestrationJobData>;
  readonly #redis: RedisClient;
  readonly #prefix: string;

  /**
   * @param redis - a connection created with `maxRetriesPerRequest: null` (BullMQ's requirement)
   * @param prefix - the merge queues' key prefix, for the delivery ids @defaultValue `qm`
   */
  constructor(redis: RedisClient, prefix = 'qm') {
    this.#redis = redis;
    this.#prefix = prefix;
    this.webhooks = new Queue(WEBHOOK_QUEUE, { connection: redis, prefix: BULLMQ_PREFIX });
    this.orchestration = new Queue(ORCHESTRATION_QUEUE, {
      connection: redis,
      prefix: BULLMQ_PREFIX,
    });
  }

  /**
   * Queues a verified delivery, unless its delivery id was queued in the last week (GitHub redelivers with
   * the same id).
   *
   * @returns `'duplicate'` when the delivery id was seen before (nothing queued)
   * @throws the ioredis error when Redis cannot be written (the delivery id is then forgotten, so GitHub's
   *   redelivery is accepted)
   */
  async addWebhook(data: WebhookJobData): Promise<'queued' | 'duplicate'> {
    const key = `${this.#prefix}:delivery:${data.deliveryId}`;
    if ((await this.#redis.set(key, '1', 'EX', DELIVERY_TTL_S, 'NX')) !== 'OK') return 'duplicate';
    try {
      await this.webhooks.add(data.event, data, {
        jobId: jobId('delivery', data.deliveryId),
        ...JOB_RETRY,
        ...KEEP,
      });
    } catch (error) {
      await this.#redis.del(key);
      throw error;
    }
    return 'queued';
  }

  /** Queues a build's result for its queue, once per build. */
  async addResult(
    queue: QueueId,
    buildId: string,
    outcome: BuildOutcome,
    details: BuildReport = {},
  ): Promise<void> {
    await this.orchestration.add(
      'result',
      { kind: 'result', repo: queue.repo, base: queue.base, buildId, outcome, details },
      { jobId: jobId('result', queue.repo, queue.base, buildId), ...JOB_RETRY, ...KEEP },
    );
  }

  /** Queues a rebuild of the queue at `dueMs` (ms since the epoch), once per queue and due time. */
  async addTick(queue: QueueId, dueMs: number): Promise<void> {
    await this.orchestration.add(
      'tick',
      { kind: 'tick', repo: queue.repo, base: queue.base },
      {
        jobId: jobId('tick', queue.repo, queue.base, String(dueMs)),
        delay: Math.max(0, dueMs - Date.now()),
        ...JOB_RETRY,
        ...KEEP,
      },
    );
  }

  /** Closes the queues' connections (not the Redis connection passed in). */
  async close(): Promise<void> {
    await Promise.all([this.webhooks.close(), this.orchestration.close()]);
  }
}
