import type { Logger } from '@velocity/core';
import type { SpeculativeMerger } from '../merge/speculative-merger.js';
import type { Executor } from '../scheduler/executor.js';
import type { CiResult } from './event-router.js';
import { MergeQueueScheduler, type SchedulerOptions } from '../scheduler/merge-queue-scheduler.js';
import type { QueueId } from '../scheduler/types.js';
import { queueKeys } from '../state/keys.js';
import type { BuildRefStore } from '../state/build-refs.js';
import type { QueueSnapshot, RedisQueueStore } from '../state/redis-store.js';
import { JobClock } from './job-clock.js';
import type { PullRequestReporter } from './pull-request-reporter.js';
import type { QueueLock } from './queue-lock.js';
import { RelayExecutor, type ResultRelay } from './relay-executor.js';
import { QueueRegistry } from './queue-registry.js';
import type { RedisClient } from './redis-connection.js';
import { queueOrder } from './queue-view.js';

/** The long-lived parts of one queue in one process. */
export interface QueueBackend {
  readonly store: RedisQueueStore;
  /** Runs builds: `GitHubCiExecutor`, `LocalExecutor`. Reports results through the relay it is given. */
  readonly executor: Executor;
  /** Makes the speculative commits; those of builds that decide nothing any more are deleted. */
  readonly merger: SpeculativeMerger;
  /** The builds' speculative commits, as recorded. */
  readonly refs: BuildRefStore;
  /**
   * Reads the result of a running build from its CI, for builds whose result webhook may have been lost
   * (the GitHub-CI executor); absent where results always arrive (the local executor).
   */
  readonly pollResult?: (buildId: string) => Promise<CiResult>;
  /** Keeps the PRs' check runs in step; absent where nothing is reported (tests, `simulate`). */
  readonly reporter: PullRequestReporter | undefined;
}

/** What a {@link QueueRunner} works with. */
export interface QueueRunnerOptions {
  readonly redis: RedisClient;
  readonly lock: QueueLock;
  readonly scheduler: SchedulerOptions;
  readonly logger: Logger;
  /** The backend of a queue; called once per job, so it should cache. */
  readonly backend: (queue: QueueId) => Promise<QueueBackend>;
  /** How a build's result reaches the queue later (a result job). */
  readonly relay: (queue: QueueId) => ResultRelay;
  /** Asks for {@link QueueRunner.tick} at `dueMs` (a delayed job), so build timeouts fire and CI is polled. */
  readonly scheduleTick: (queue: QueueId, dueMs: number) => Promise<void>;
  /**
   * While builds run, how often their CI is read again in case a result webhook was lost, ms; `0` never.
   * Ticks are aligned to multiples of it, so many jobs in one interval schedule one tick.
   * @defaultValue `0`
   */
  readonly pollIntervalMs?: number;
  /** Key prefix. @defaultValue `qm` */
  readonly prefix?: string;
}

/**
 * Runs one job's change to a merge queue: under the queue's lock, rebuilds its scheduler from Redis
 * (`MergeQueueScheduler.resume`), applies the change, waits until the scheduler is idle, deletes the
 * speculative branches of builds that no longer decide anything, updates the PRs' reports, and schedules the
 * next timeout check.
 *
 * @remarks
 * No process keeps a queue in memory between jobs, so any worker on any machine can take the next job, and
 * a worker killed mid-job loses nothing: the job runs again (BullMQ moves a stalled job back to waiting) and
 * every state change it repeats is a no-op by operation id.
 */
export class QueueRunner {
  readonly #options: QueueRunnerOptions;
  readonly #registry: QueueRegistry;

  constructor(options: QueueRunnerOptions) {
    this.#options = options;
    this.#registry = new QueueRegistry(options.redis, options.prefix);
  }

  /**
   * Runs `action` on the queue's scheduler.
   *
   * @returns what `action` returns
   * @throws `QueueLockTimeoutError` when another worker holds the queue too long; whatever `action`, the
   *   store, the executor or the reporter throws (the job is retried)
   */
  async run<T>(
    queue: QueueId,
    action: (scheduler: MergeQueueScheduler, executor: RelayExecutor) => Promise<T>,
  ): Promise<T> {
    const { lock, prefix = 'qm' } = this.#options;
    return lock.run(queueKeys(queue, prefix).lock, async () => {
      await this.#registry.add(queue);
      const backend = await this.#options.backend(queue);
      const clock = new JobClock();
      const executor = new RelayExecutor(backend.executor, this.#options.relay(queue));
      const logger = this.#options.logger.child({ repo: queue.repo, base: queue.base });
      const scheduler = await MergeQueueScheduler.resume(this.#options.scheduler, {
        store: backend.store,
        executor,
        clock,
        logger,
      });
      const result = await action(scheduler, executor);
      await clock.drain();
      await scheduler.idle();
      const snapshot = await backend.store.load();
      // Reports first: a merged PR's closing comment names its build's commit.
      if (backend.reporter !== undefined) await backend.reporter.sync(snapshot);
      await deleteFinishedRefs(queue, backend, snapshot);
      const due = this.#nextTick(clock.nextDue, backend, snapshot);
      if (due !== undefined) await this.#options.scheduleTick(queue, due);
      return result;
    });
  }

  /**
   * The job of a tick: rebuilding the scheduler fires every build timeout that is due, and each running
   * build's CI is read again, so a result whose webhook was lost still arrives.
   *
   * @throws as {@link QueueRunner.run}
   */
  async tick(queue: QueueId): Promise<void> {
    const backend = await this.#options.backend(queue);
    const { pollResult } = backend;
    await this.run(queue, async (_scheduler, executor) => {
      if (pollResult === undefined) return;
      const snapshot = await backend.store.load();
      for (const build of snapshot.builds) {
        if (build.state !== 'running') continue;
        const result = await pollResult(build.id);
        if (result.outcome === 'pending') continue;
        const { outcome, ...details } = result;
        await executor.deliver(build.id, outcome, details);
      }
    });
  }

  /** The earliest of the next timeout and, while builds run and CI is polled, the next poll window. */
  #nextTick(
    timeout: number | undefined,
    backend: QueueBackend,
    snapshot: QueueSnapshot,
  ): number | undefined {
    const interval = this.#options.pollIntervalMs ?? 0;
    const running = snapshot.builds.some((build) => build.state === 'running');
    if (interval <= 0 || backend.pollResult === undefined || !running) return timeout;
    const poll = Math.ceil((Date.now() + interval) / interval) * interval;
    return timeout === undefined ? poll : Math.min(timeout, poll);
  }
}

/**
 * Deletes the speculative branches of builds that decide nothing any more: cancelled, decided (merged,
 * rejected, bisected, retried), or made stale by a change ahead of them.
 */
async function deleteFinishedRefs(
  queue: QueueId,
  backend: QueueBackend,
  snapshot: QueueSnapshot,
): Promise<void> {
  const live = new Set<string>();
  for (const build of snapshot.builds) if (build.state === 'running') live.add(build.id);
  for (const { build } of queueOrder(snapshot)) if (build !== undefined) live.add(build.id);
  for (const buildId of await backend.refs.list()) {
    if (live.has(buildId)) continue;
    await backend.merger.deleteSpeculativeRef(queue, buildId);
    await backend.refs.delete(buildId);
  }
}
