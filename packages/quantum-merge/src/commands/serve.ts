import type { AddressInfo } from 'node:net';
import { UsageError, type CliIo, type Logger } from '@velocity/core';
import { QuantumMergeApp, type QuantumMergeConfig } from '../runtime/app.js';
import { connectRedis, type RedisClient } from '../runtime/redis-connection.js';
import { startWorkers, type RunningWorkers } from '../runtime/workers.js';
import { createQuantumMergeServer } from '../server/http-server.js';
import { QueueApi } from '../server/queue-api.js';

/** Flags of `serve` and `worker`. */
export interface ServeFlags {
  /** `serve` only: run no workers in this process (`--no-worker`). */
  readonly worker: boolean;
  /** `serve` only: `HOST:PORT`, overriding `quantumMerge.listen`. */
  readonly listen: string | undefined;
}

/**
 * `quantum-merge serve`: the webhook receiver and JSON API, plus (unless `--no-worker`) the job workers,
 * until SIGINT or SIGTERM; then it stops taking requests and jobs and lets running jobs finish.
 *
 * @returns 0 after a graceful stop (the CLI turns the signal into 130 or 143)
 * @throws `UsageError` when `quantumMerge.webhookSecret` or the executor's settings are missing
 * @throws `RedisUnavailableError` when Redis cannot be reached at start-up, `RedisUrlError` when a Redis
 *   Cluster node list is malformed
 */
export async function serveCommand(
  io: CliIo,
  logger: Logger,
  config: QuantumMergeConfig,
  flags: ServeFlags,
): Promise<number> {
  if (config.webhookSecret === undefined) {
    throw new UsageError(
      'No webhook secret. Set quantumMerge.webhookSecret (or VELOCITY_QUANTUM_MERGE_WEBHOOK_SECRET) to the secret of the GitHub App.',
    );
  }
  checkExecutorConfig(config);
  const listen = flags.listen ?? config.listen;
  const redis = await connectRedis(config.redisUrl, logger);
  const app = new QuantumMergeApp({ config, redis, logger, cwd: io.cwd, env: io.env });
  const workers = flags.worker ? await startAppWorkers(app, redis, config, logger) : undefined;
  const server = createQuantumMergeServer({
    webhookSecret: config.webhookSecret,
    jobs: app.jobs,
    api: new QueueApi(redis),
    apiToken: config.apiToken,
    ping: () => redis.ping(),
    logger,
  });
  const split = listen.lastIndexOf(':');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      Number(listen.slice(split + 1)),
      listen.slice(0, split).replace(/^\[|\]$/g, ''),
      () => resolve(),
    );
  });
  const address = server.address() as AddressInfo;
  logger.info('Quantum Merge listening', {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    workers: flags.worker,
  });
  await untilAborted(io.signal);
  logger.info('Stopping', { reason: String(io.signal.reason ?? 'SIGINT') });
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await workers?.close();
  await app.close();
  redis.disconnect();
  return 0;
}

/**
 * `quantum-merge worker`: runs the job workers only, until SIGINT or SIGTERM; then finishes the running jobs
 * and exits.
 *
 * @returns 0 after a graceful stop
 * @throws `UsageError` when the executor's settings are missing
 * @throws `RedisUnavailableError` when Redis cannot be reached at start-up, `RedisUrlError` when a Redis
 *   Cluster node list is malformed
 */
export async function workerCommand(
  io: CliIo,
  logger: Logger,
  config: QuantumMergeConfig,
): Promise<number> {
  checkExecutorConfig(config);
  const redis = await connectRedis(config.redisUrl, logger);
  const app = new QuantumMergeApp({ config, redis, logger, cwd: io.cwd, env: io.env });
  const workers = await startAppWorkers(app, redis, config, logger);
  await untilAborted(io.signal);
  logger.info('Stopping: finishing running jobs', { reason: String(io.signal.reason ?? 'SIGINT') });
  await workers.close();
  await app.close();
  redis.disconnect();
  return 0;
}

function checkExecutorConfig(config: QuantumMergeConfig): void {
  if (config.executor === 'github' && config.requiredChecks.length === 0) {
    throw new UsageError(
      'No required checks. Set quantumMerge.requiredChecks to the CI check names that must pass on a speculative build (e.g. ["test"]).',
    );
  }
  if (config.executor === 'local' && config.buildCommand === undefined) {
    throw new UsageError(
      'No build command. Set quantumMerge.buildCommand (e.g. ["npm", "test"]) for the local executor.',
    );
  }
}

function startAppWorkers(
  app: QuantumMergeApp,
  redis: RedisClient,
  config: QuantumMergeConfig,
  logger: Logger,
): Promise<RunningWorkers> {
  return startWorkers({
    redis,
    handlers: app.handlers,
    concurrency: config.workerConcurrency,
    logger,
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
