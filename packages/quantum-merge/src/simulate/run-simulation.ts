import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@velocity/core';
import type { Redis } from 'ioredis';
import { MergeQueueScheduler } from '../scheduler/merge-queue-scheduler.js';
import type { QueueId, Strategy } from '../scheduler/types.js';
import { RedisQueueStore, type QueueSnapshot } from '../state/redis-store.js';
import { isBadPr, poissonArrivals } from './arrivals.js';
import { percentile } from './percentile.js';
import { SimulatedExecutor } from './simulated-executor.js';
import { VirtualClock } from './virtual-clock.js';

/** The parameters of one simulation. */
export interface SimulationOptions {
  /** Pull requests that arrive, numbered 1..prs. */
  readonly prs: number;
  /** Probability that a PR is bad, in [0, 1]. */
  readonly failureRate: number;
  /** Duration of every build, seconds. */
  readonly buildSeconds: number;
  /** Builds at once (`speculative`, `batch`). */
  readonly concurrency: number;
  /** Mean PR arrivals per hour (Poisson process). */
  readonly arrivalRatePerHour: number;
  readonly strategy: Strategy;
  /** Entries per build at most (`batch`). */
  readonly batchSize: number;
  /** Seeds the arrivals and which PRs are bad. */
  readonly seed: number;
  /** A build running longer than this counts as failed, ms. */
  readonly buildTimeoutMs: number;
}

/** The JSON document `simulate --json` prints. */
export interface SimulationSummary {
  /** PRs merged. */
  readonly merged: number;
  /** PRs rejected (their build failed conclusively). */
  readonly rejected: number;
  /** Builds started. */
  readonly builds: number;
  /** Builds whose result decided nothing: cancelled, or made stale by a failure ahead. */
  readonly wastedBuilds: number;
  /** PRs merged per hour, over the time from the start to the last merge. */
  readonly throughputPerHour: number;
  /** Seconds from enqueue to merge, nearest-rank percentiles; `null` when nothing merged. */
  readonly timeToMerge: { readonly p50: number | null; readonly p95: number | null };
}

/** What {@link runSimulation} returns. */
export interface SimulationOutcome {
  readonly summary: SimulationSummary;
  /** PR numbers merged, in merge order. */
  readonly mergedPrs: readonly number[];
  /** PR numbers rejected, ascending. */
  readonly rejectedPrs: readonly number[];
}

/** What {@link runSimulation} works with. */
export interface SimulationContext {
  /** A connected client; the run's keys are deleted at the end. */
  readonly redis: Redis;
  readonly logger: Logger;
  /** Stops the simulation between events. */
  readonly signal?: AbortSignal;
  /** The queue to use; a fresh `simulate/<uuid>` repository by default. */
  readonly queue?: QueueId;
}

/**
 * Runs the real {@link MergeQueueScheduler} and {@link RedisQueueStore} against a {@link SimulatedExecutor}
 * on a {@link VirtualClock}: no real waiting, so simulated days take seconds.
 *
 * @remarks
 * PRs arrive as a Poisson process ({@link poissonArrivals}); PR n is bad when {@link isBadPr} says so, which
 * depends on the seed and n alone, so two runs with one seed merge the same PRs. A build fails iff its tree
 * contains a bad PR. The summary is computed from what Redis holds at the end.
 */
export async function runSimulation(
  options: SimulationOptions,
  context: SimulationContext,
): Promise<SimulationOutcome> {
  const clock = new VirtualClock();
  const store = new RedisQueueStore(
    context.redis,
    context.queue ?? { repo: `simulate/${randomUUID()}`, base: 'main' },
    { now: () => clock.now() },
  );
  const scheduler = new MergeQueueScheduler(
    {
      strategy: options.strategy,
      concurrency: options.concurrency,
      batchSize: options.batchSize,
      buildTimeoutMs: options.buildTimeoutMs,
    },
    {
      store,
      clock,
      logger: context.logger,
      executor: new SimulatedExecutor({
        clock,
        buildMs: options.buildSeconds * 1000,
        isBad: (pr) => isBadPr(options.seed, pr, options.failureRate),
      }),
    },
  );
  poissonArrivals(options.prs, options.arrivalRatePerHour, options.seed).forEach((at, index) => {
    const pr = index + 1;
    clock.setTimer(at, () =>
      scheduler.enqueue({
        pr,
        headSha: createHash('sha1').update(`${options.seed}:${pr}`).digest('hex'),
      }),
    );
  });
  try {
    await clock.run(context.signal);
    return summarize(await store.load());
  } finally {
    await store.clear();
  }
}

function summarize(snapshot: QueueSnapshot): SimulationOutcome {
  const merged = snapshot.entries.filter((entry) => entry.state === 'merged');
  const waits = merged.map((entry) => ((entry.finishedAt ?? 0) - entry.enqueuedAt) / 1000);
  const lastMergeMs = Math.max(0, ...merged.map((entry) => entry.finishedAt ?? 0));
  const rejectedPrs = snapshot.entries
    .filter((entry) => entry.state === 'failed')
    .map((entry) => entry.pr);
  return {
    summary: {
      merged: merged.length,
      rejected: rejectedPrs.length,
      builds: snapshot.builds.length,
      wastedBuilds: snapshot.builds.filter((build) => build.decided === undefined).length,
      throughputPerHour: lastMergeMs === 0 ? 0 : (merged.length * 3_600_000) / lastMergeMs,
      timeToMerge: { p50: percentile(waits, 50), p95: percentile(waits, 95) },
    },
    mergedPrs: snapshot.merged,
    rejectedPrs,
  };
}
