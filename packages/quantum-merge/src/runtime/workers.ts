import type { Logger } from '@velocity/core';
import { Worker, type Job } from 'bullmq';
import {
  BULLMQ_PREFIX,
  ORCHESTRATION_QUEUE,
  WEBHOOK_QUEUE,
  type OrchestrationJobData,
  type WebhookJobData,
} from './job-queues.js';
import type { RedisClient } from './redis-connection.js';

/** The handlers a worker process runs jobs with. */
export interface JobHandlers {
  webhook(data: WebhookJobData): Promise<void>;
  orchestration(data: OrchestrationJobData): Promise<void>;
}

/** Options of {@link startWorkers}. */
export interface StartWorkersOptions {
  /** A connection created with `maxRetriesPerRequest: null`; each worker duplicates it. */
  readonly redis: RedisClient;
  readonly handlers: JobHandlers;
  /** Jobs each worker runs at once (jobs of one merge queue still run one at a time). */
  readonly concurrency: number;
  readonly logger: Logger;
  /**
   * How often a worker looks for jobs whose worker died (BullMQ's stalled check), ms; such a job runs again.
   * @defaultValue `30000`
   */
  readonly stalledIntervalMs?: number;
}

/** Running workers. */
export interface RunningWorkers {
  /**
   * Stops taking jobs and waits for the running ones to finish (graceful shutdown on SIGTERM). A job cut
   * off by a harder stop runs again on another worker.
   */
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers of `quantum-merge worker` (and `serve`): one on the webhook queue, one on the
 * orchestration queue. Any number of processes on any number of machines may run them against one Redis.
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const { redis, handlers, concurrency, logger } = options;
  const common = {
    connection: redis,
    prefix: BULLMQ_PREFIX,
    concurrency,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
  };
  const log = (queue: string) => (job: Job | undefined, error: Error) => {
    logger.warn('Job failed; it is retried with backoff', {
      queue,
      job: job?.id,
      attempt: job?.attemptsMade,
      error,
    });
  };
  const webhooks = new Worker<WebhookJobData>(
    WEBHOOK_QUEUE,
    async (job) => handlers.webhook(job.data),
    common,
  );
  const orchestration = new Worker<OrchestrationJobData>(
    ORCHESTRATION_QUEUE,
    async (job) => handlers.orchestration(job.data),
    common,
  );
  webhooks.on('failed', log(WEBHOOK_QUEUE));
  orchestration.on('failed', log(ORCHESTRATION_QUEUE));
  for (const worker of [webhooks, orchestration]) {
    worker.on('error', (error) => logger.error('Worker error', { error }));
  }
  await Promise.all([webhooks.waitUntilReady(), orchestration.waitUntilReady()]);
  logger.info('Workers started', { concurrency });
  return {
    close: async () => {
      await Promise.all([webhooks.close(), orchestration.close()]);
    },
  };
}
