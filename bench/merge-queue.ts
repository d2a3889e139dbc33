/**
 * `npm run bench -- merge-queue [--prs 200] [--seed 1] [--batch-size 4]`: `quantum-merge simulate` (the real
 * scheduler on a real Redis, virtual clock) over a grid of arrival rate (10/30/60 PRs per hour), failure
 * rate (0.05/0.1/0.2), build time (10 and 30 minutes) and concurrency (1/4/10), for the serial, speculative
 * and batch strategies, next to the per-PR bound computed in the same run on the same arrivals (every good
 * PR built exactly once, C at a time).
 *
 * Prints, per cell and strategy: merged PRs per hour, p50/p95 time to merge (minutes), builds per merged PR,
 * and throughput as a ratio to the bound. One redis-server, started here on a free port, serves every run.
 *
 * Target (issue 5): at concurrency 10, 10-minute builds, 30 PRs/hour and 10% failures, speculative
 * throughput within 5% of the bound and p50 time to merge under 2x the build time.
 */
import { createLogger } from '@velocity/core';
import {
  isBadPr,
  perPrBound,
  poissonArrivals,
  runSimulation,
  startRedisServer,
  STRATEGIES,
} from '@velocity/quantum-merge';
import { Redis } from 'ioredis';
import { flag } from './lib/flags.js';

const prs = Number(flag('--prs') ?? '200');
const seed = Number(flag('--seed') ?? '1');
const batchSize = Number(flag('--batch-size') ?? '4');

const logger = createLogger({ destination: process.stderr, level: 'silent' });
const server = await startRedisServer();
const redis = new Redis(server.url);
const minutes = (seconds: number | null) => (seconds === null ? '-' : (seconds / 60).toFixed(1));
const row = (cells: (string | number)[]) =>
  cells.map((cell, index) => String(cell).padStart(index === 0 ? 12 : 9)).join(' ');

const started = Date.now();
let target = '';
try {
  process.stdout.write(
    `${row(['strategy', 'arrive/h', 'fail', 'build min', 'C', 'merged/h', 'p50 min', 'p95 min', 'builds/PR', 'vs bound'])}\n`,
  );
  for (const arrivalRatePerHour of [10, 30, 60]) {
    for (const failureRate of [0.05, 0.1, 0.2]) {
      for (const buildMinutes of [10, 30]) {
        for (const concurrency of [1, 4, 10]) {
          const cell = [arrivalRatePerHour, failureRate, buildMinutes, concurrency];
          const bound = perPrBound(
            poissonArrivals(prs, arrivalRatePerHour, seed),
            (index) => !isBadPr(seed, index + 1, failureRate),
            buildMinutes * 60_000,
            concurrency,
          );
          process.stdout.write(
            `${row(['bound', ...cell, bound.throughputPerHour.toFixed(2), minutes(bound.timeToMerge.p50), minutes(bound.timeToMerge.p95), '1.00', '1.000'])}\n`,
          );
          for (const strategy of STRATEGIES) {
            const { summary } = await runSimulation(
              {
                prs,
                failureRate,
                buildSeconds: buildMinutes * 60,
                concurrency,
                arrivalRatePerHour,
                strategy,
                batchSize,
                seed,
                buildTimeoutMs: 2 * buildMinutes * 60_000,
              },
              { redis, logger },
            );
            const ratio = summary.throughputPerHour / bound.throughputPerHour;
            const line = row([
              strategy,
              ...cell,
              summary.throughputPerHour.toFixed(2),
              minutes(summary.timeToMerge.p50),
              minutes(summary.timeToMerge.p95),
              (summary.builds / Math.max(1, summary.merged)).toFixed(2),
              ratio.toFixed(3),
            ]);
            process.stdout.write(`${line}\n`);
            if (
              strategy === 'speculative' &&
              arrivalRatePerHour === 30 &&
              failureRate === 0.1 &&
              buildMinutes === 10 &&
              concurrency === 10
            ) {
              target =
                `speculative ${summary.throughputPerHour.toFixed(2)} merged/h vs bound ` +
                `${bound.throughputPerHour.toFixed(2)} (${(ratio * 100).toFixed(1)}%), p50 ` +
                `${minutes(summary.timeToMerge.p50)} min (target < 20), builds/PR ` +
                `${(summary.builds / Math.max(1, summary.merged)).toFixed(2)}`;
            }
          }
        }
      }
    }
  }
} finally {
  redis.disconnect();
  await server.stop();
}
process.stdout.write(
  `\nTarget cell (C=10, 10-min builds, 30 PRs/h, 10% failures): ${target}\n` +
    `${prs} PRs per cell, seed ${seed}, batch size ${batchSize}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
