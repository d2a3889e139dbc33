import type { CliIo, Logger } from '@velocity/core';
import { Redis } from 'ioredis';
import { SimulationOptionsError } from '../errors.js';
import { STRATEGIES, type Strategy } from '../scheduler/types.js';
import { startRedisServer } from '../simulate/redis-server.js';
import { runSimulation, type SimulationSummary } from '../simulate/run-simulation.js';

/** The raw flag values of `simulate` (strings or numbers as cac parsed them; `undefined` when absent). */
export interface SimulateFlags {
  readonly prs: string | undefined;
  readonly failureRate: string | undefined;
  readonly buildSeconds: string | undefined;
  readonly concurrency: string | undefined;
  readonly arrivalRate: string | undefined;
  readonly strategy: string | undefined;
  readonly batchSize: string | undefined;
  readonly seed: string | undefined;
  readonly redis: string | undefined;
  readonly json: boolean;
}

/** Config values `simulate` falls back on (from `quantumMerge`). */
export interface SimulateDefaults {
  readonly concurrency: number;
  readonly batchSize: number;
  readonly buildTimeoutMinutes: number;
}

/** Mean arrivals per hour when `--arrival-rate` is absent. */
const DEFAULT_ARRIVAL_RATE = 30;

/**
 * `quantum-merge simulate`: validates the flags, runs {@link runSimulation} on `--redis URL` or on a private
 * `redis-server` it starts and stops, and prints the summary (one JSON document with `--json`).
 *
 * @returns 0
 * @throws {@link SimulationOptionsError} for a missing or out-of-range flag (exit code 2)
 * @throws `RedisServerError` when no `--redis` is given and redis-server cannot be started
 */
export async function simulateCommand(
  io: CliIo,
  logger: Logger,
  flags: SimulateFlags,
  defaults: SimulateDefaults,
): Promise<number> {
  const strategy = parseStrategy(flags.strategy);
  const batchSize = integerFlag('--batch-size', flags.batchSize ?? defaults.batchSize, 1, 100);
  if (strategy === 'batch' && batchSize < 2) {
    throw new SimulationOptionsError(
      `Batch size "${batchSize}" cannot batch anything. Pass --batch-size 2 or more (or set quantumMerge.batchSize).`,
    );
  }
  const options = {
    prs: integerFlag('--prs', required('--prs', flags.prs), 1, 1_000_000),
    failureRate: numberFlag('--failure-rate', required('--failure-rate', flags.failureRate), 0, 1),
    buildSeconds: numberFlag(
      '--build-seconds',
      required('--build-seconds', flags.buildSeconds),
      1,
      Infinity,
    ),
    concurrency: integerFlag('--concurrency', flags.concurrency ?? defaults.concurrency, 1, 100),
    arrivalRatePerHour: numberFlag(
      '--arrival-rate',
      flags.arrivalRate ?? DEFAULT_ARRIVAL_RATE,
      Number.MIN_VALUE,
      Infinity,
    ),
    strategy,
    batchSize,
    seed: integerFlag('--seed', flags.seed ?? 1, 0, 0xffffffff),
    buildTimeoutMs: defaults.buildTimeoutMinutes * 60_000,
  };
  const server = flags.redis === undefined ? await startRedisServer() : undefined;
  const url = flags.redis ?? (server as { url: string }).url;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const { summary } = await runSimulation(options, { redis, logger, signal: io.signal });
    io.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return 0;
  } finally {
    redis.disconnect();
    await server?.stop();
  }
}

function formatSummary(summary: SimulationSummary): string {
  const seconds = (value: number | null) => (value === null ? '-' : `${Math.round(value)} s`);
  return [
    `merged            ${summary.merged}`,
    `rejected          ${summary.rejected}`,
    `builds            ${summary.builds} (${summary.wastedBuilds} wasted)`,
    `throughput        ${summary.throughputPerHour.toFixed(2)} PRs/hour`,
    `time to merge     p50 ${seconds(summary.timeToMerge.p50)}, p95 ${seconds(summary.timeToMerge.p95)}`,
    '',
  ].join('\n');
}

function parseStrategy(value: string | undefined): Strategy {
  if (value === undefined) return 'speculative';
  const strategy = STRATEGIES.find((candidate) => candidate === value);
  if (strategy === undefined) {
    throw new SimulationOptionsError(
      `Unknown strategy "${value}". Pass --strategy ${STRATEGIES.join(', ')}.`,
    );
  }
  return strategy;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined) {
    throw new SimulationOptionsError(`Missing ${flag}. Pass ${flag} VALUE (see --help).`);
  }
  return value;
}

function numberFlag(flag: string, raw: string | number, min: number, max: number): number {
  const value = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    const range =
      max === Infinity
        ? `at least ${min === Number.MIN_VALUE ? 'above 0' : min}`
        : `between ${min} and ${max}`;
    throw new SimulationOptionsError(`Invalid ${flag} "${raw}". Pass a number ${range}.`);
  }
  return value;
}

function integerFlag(flag: string, raw: string | number, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimulationOptionsError(
      `Invalid ${flag} "${raw}". Pass a whole number between ${min} and ${max}.`,
    );
  }
  return value;
}
