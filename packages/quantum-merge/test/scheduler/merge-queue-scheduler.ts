import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import t from 'tap';
import {
  MergeQueueScheduler,
  type SchedulerOptions,
} from '../../src/scheduler/merge-queue-scheduler.js';
import type { Priority } from '../../src/scheduler/types.js';
import { RedisQueueStore, type QueueSnapshot } from '../../src/state/redis-store.js';
import { SimulatedExecutor } from '../../src/simulate/simulated-executor.js';
import { VirtualClock } from '../../src/simulate/virtual-clock.js';
import { silentLogger, startTestRedis } from '../helpers/redis.js';
import { assertOnlyTestedMerges, entryStates } from '../helpers/queue-invariants.js';

const redis = await startTestRedis(t);
const BUILD_MS = 600_000;

interface Arrival {
  pr: number;
  atMs?: number;
  priority?: Priority;
}

/** Runs the scheduler on a virtual clock; `bad` PRs break every build containing them. */
async function runQueue(
  connection: Redis,
  options: Partial<SchedulerOptions>,
  arrivals: Arrival[],
  bad: number[],
  events: { atMs: number; run: (scheduler: MergeQueueScheduler) => Promise<unknown> }[] = [],
): Promise<QueueSnapshot> {
  const clock = new VirtualClock();
  const store = new RedisQueueStore(connection, { repo: `test/${randomUUID()}`, base: 'main' });
  const scheduler = new MergeQueueScheduler(
    {
      strategy: 'speculative',
      concurrency: 4,
      batchSize: 1,
      buildTimeoutMs: 3_600_000,
      ...options,
    },
    {
      store,
      clock,
      logger: silentLogger,
      executor: new SimulatedExecutor({
        clock,
        buildMs: BUILD_MS,
        isBad: (pr) => bad.includes(pr),
      }),
    },
  );
  for (const { pr, atMs = 0, priority = 'normal' } of arrivals) {
    clock.setTimer(atMs, () =>
      scheduler.enqueue({ pr, headSha: `${pr}`.padStart(40, 'a'), priority }),
    );
  }
  for (const event of events)
    clock.setTimer(event.atMs, async () => void (await event.run(scheduler)));
  await clock.run();
  return store.load();
}

t.test(
  'speculative: a failing PR is rejected, the others merge, only tested trees merge',
  async (t) => {
    const snapshot = await runQueue(
      redis,
      {},
      [1, 2, 3, 4, 5].map((pr) => ({ pr })),
      [3],
    );
    t.strictSame(snapshot.merged, [1, 2, 4, 5]);
    t.strictSame(entryStates(snapshot), {
      1: 'merged',
      2: 'merged',
      3: 'failed',
      4: 'merged',
      5: 'merged',
    });
    assertOnlyTestedMerges(t, snapshot);
    const first = snapshot.builds.slice(0, 4).map((build) => build.contents);
    t.strictSame(first, [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]], 'entry k built on base + 1..k');
    t.match(
      snapshot.builds[3],
      { state: 'cancelled', decided: undefined },
      "4's build containing 3 was cancelled once 3 failed",
    );
    const rebuilt = snapshot.builds.find(
      (build) => build.targets[0] === 4 && build.decided === 'merge',
    );
    t.strictSame(rebuilt?.contents, [1, 2, 4], '4 was rebuilt without 3');
  },
);

t.test(
  'speculative: a failure behind an unmerged failure waits until it is at the head',
  async (t) => {
    // 2 and 3 both bad: build [1,2,3] fails too, but 3 is only rejected on its own build [1,3].
    const snapshot = await runQueue(
      redis,
      {},
      [1, 2, 3, 4].map((pr) => ({ pr })),
      [2, 3],
    );
    t.strictSame(snapshot.merged, [1, 4]);
    const rejecting = snapshot.builds.filter((build) => build.decided === 'reject');
    t.strictSame(
      rejecting.map((build) => build.contents),
      [
        [1, 2],
        [1, 3],
      ],
    );
    assertOnlyTestedMerges(t, snapshot);
  },
);

t.test('serial: one build at a time, each entry alone on the current base', async (t) => {
  const snapshot = await runQueue(
    redis,
    { strategy: 'serial', concurrency: 10 },
    [1, 2, 3].map((pr) => ({ pr })),
    [2],
  );
  t.strictSame(
    snapshot.builds.map((build) => build.contents),
    [[1], [1, 2], [1, 3]],
  );
  for (const [index, build] of snapshot.builds.entries()) {
    t.equal(build.startedAt, index * BUILD_MS, 'starts when the previous one ends');
  }
  assertOnlyTestedMerges(t, snapshot);
});

t.test('batch: a failed batch is bisected down to the bad PR', async (t) => {
  const snapshot = await runQueue(
    redis,
    { strategy: 'batch', concurrency: 1, batchSize: 4 },
    [1, 2, 3, 4, 5].map((pr) => ({ pr })),
    [4],
  );
  // 1 starts alone (no backlog yet); 2-5 queue up behind it and share one build.
  t.strictSame(
    snapshot.builds.map((build) => [build.targets, build.decided]),
    [
      [[1], 'merge'],
      [[2, 3, 4, 5], 'bisect'],
      [[2, 3], 'merge'],
      [[4, 5], 'bisect'],
      [[4], 'reject'],
      [[5], 'merge'],
    ],
  );
  t.strictSame(snapshot.merged, [1, 2, 3, 5]);
  assertOnlyTestedMerges(t, snapshot);
});

t.test('batch: entries get builds of their own while there is no backlog', async (t) => {
  const snapshot = await runQueue(
    redis,
    { strategy: 'batch', concurrency: 4, batchSize: 4 },
    [1, 2, 3].map((pr) => ({ pr })),
    [],
  );
  t.strictSame(
    snapshot.builds.map((build) => build.targets),
    [[1], [2], [3]],
  );
});

t.test('priorities: high before normal among waiting entries, FIFO within', async (t) => {
  const snapshot = await runQueue(
    redis,
    { strategy: 'serial' },
    [
      { pr: 1 },
      { pr: 2, atMs: 1000 },
      { pr: 3, atMs: 2000 },
      { pr: 4, atMs: 3000, priority: 'high' },
      { pr: 5, atMs: 4000, priority: 'high' },
    ],
    [],
  );
  t.strictSame(snapshot.merged, [1, 4, 5, 2, 3]);
});

t.test('a build that times out counts as failed', async (t) => {
  const snapshot = await runQueue(redis, { buildTimeoutMs: BUILD_MS / 2 }, [{ pr: 1 }], []);
  t.strictSame(entryStates(snapshot), { 1: 'failed' });
  t.match(snapshot.builds, [{ state: 'failed', outcome: 'timeout', decided: 'reject' }]);
  t.equal(snapshot.builds[0]?.finishedAt, BUILD_MS / 2);
});

t.test('dequeue cancels the build and restarts the ones behind without the PR', async (t) => {
  let dequeued: unknown[] = [];
  const snapshot = await runQueue(
    redis,
    {},
    [1, 2, 3].map((pr) => ({ pr })),
    [],
    [
      {
        atMs: 1000,
        run: async (scheduler) =>
          (dequeued = [await scheduler.dequeue(2), await scheduler.dequeue(2)]),
      },
    ],
  );
  t.strictSame(dequeued, [true, false]);
  t.strictSame(snapshot.merged, [1, 3]);
  t.strictSame(entryStates(snapshot), { 1: 'merged', 2: 'dequeued', 3: 'merged' });
  t.strictSame(
    snapshot.builds.filter((build) => build.state === 'cancelled').map((build) => build.targets),
    [[2], [3]],
  );
  assertOnlyTestedMerges(t, snapshot);
});

t.test(
  'enqueueing an active PR again: same head changes nothing, another head is refused',
  async (t) => {
    const results: unknown[] = [];
    const snapshot = await runQueue(
      redis,
      {},
      [{ pr: 1 }],
      [],
      [
        {
          atMs: 10,
          run: async (scheduler) => {
            results.push(await scheduler.enqueue({ pr: 1, headSha: '1'.padStart(40, 'a') }));
            results.push(
              await scheduler
                .enqueue({ pr: 1, headSha: 'b'.repeat(40) })
                .catch((error: unknown) => error),
            );
          },
        },
      ],
    );
    t.equal(results[0], undefined);
    t.match(results[1], { name: 'AlreadyQueuedError', code: 'QM_ALREADY_QUEUED', pr: 1 });
    t.equal(snapshot.builds.length, 1);
    t.strictSame(snapshot.merged, [1]);
  },
);
