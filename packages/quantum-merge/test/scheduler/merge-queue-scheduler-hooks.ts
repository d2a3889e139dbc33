/**
 * The scheduler's retries of flaky failures, the executor's merge step (and a base branch that moved outside
 * the queue), and priority changes, on a virtual clock with a real Redis.
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { SpeculativeRefMissingError } from '../../src/errors.js';
import { BaseNotFastForwardError } from '../../src/github/errors.js';
import type { BuildReporter, Executor } from '../../src/scheduler/executor.js';
import {
  MergeQueueScheduler,
  type SchedulerOptions,
} from '../../src/scheduler/merge-queue-scheduler.js';
import type { Build } from '../../src/scheduler/types.js';
import { RedisQueueStore } from '../../src/state/redis-store.js';
import { VirtualClock } from '../../src/simulate/virtual-clock.js';
import { assertOnlyTestedMerges, entryStates } from '../helpers/queue-invariants.js';
import { silentLogger, startTestRedis } from '../helpers/redis.js';

const redis = await startTestRedis(t);
const BUILD_MS = 60_000;

/** Builds take BUILD_MS; `fails(build, attempt)` decides each; `merge` records (or refuses) landings. */
class ScriptedExecutor implements Executor {
  readonly started: Build[] = [];
  readonly landed: string[] = [];
  refuseLandings = 0;
  readonly #clock: VirtualClock;
  readonly #fails: (build: Build) => boolean;

  constructor(clock: VirtualClock, fails: (build: Build) => boolean) {
    this.#clock = clock;
    this.#fails = fails;
  }

  async start(build: Build, report: BuildReporter): Promise<void> {
    this.started.push(build);
    this.#clock.setTimer(BUILD_MS, () =>
      report(this.#fails(build) ? 'failed' : 'passed', { url: `https://ci.example/${build.id}` }),
    );
  }

  async cancel(): Promise<void> {}

  async merge(build: Build): Promise<void> {
    if (this.refuseLandings > 0) {
      this.refuseLandings -= 1;
      throw new BaseNotFastForwardError({ base: 'main', testedSha: build.id.padEnd(40, '0') });
    }
    this.landed.push(build.id);
  }
}

/** A failure predicate that fails the first build matching `matches`, like a flaky test, and no other. */
function failsOnce(matches: (build: Build) => boolean): (build: Build) => boolean {
  let failed = false;
  return (build) => {
    if (failed || !matches(build)) return false;
    failed = true;
    return true;
  };
}

function setUp(options: Partial<SchedulerOptions>, fails: (build: Build) => boolean) {
  const clock = new VirtualClock();
  const store = new RedisQueueStore(redis, { repo: `test/${randomUUID()}`, base: 'main' });
  const executor = new ScriptedExecutor(clock, fails);
  const scheduler = new MergeQueueScheduler(
    {
      strategy: 'speculative',
      concurrency: 3,
      batchSize: 1,
      buildTimeoutMs: 3_600_000,
      ...options,
    },
    { store, clock, executor, logger: silentLogger },
  );
  const enqueue = (pr: number) => scheduler.enqueue({ pr, headSha: `${pr}`.padStart(40, 'a') });
  return { clock, store, executor, scheduler, enqueue };
}

t.test('a flaky failure at the head is retried and merges when buildRetries allows', async (t) => {
  // The first build of PR 2 at the head fails once, like a flaky test.
  const flaky = failsOnce((build) => build.targets[0] === 2 && build.contents.length === 2);
  const { clock, store, scheduler, enqueue, executor } = setUp({ buildRetries: 1 }, flaky);
  for (const pr of [1, 2, 3]) await enqueue(pr);
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [1, 2, 3]);
  t.equal(snapshot.builds.filter((build) => build.decided === 'retry').length, 1, 'one retry');
  t.match(
    snapshot.builds.find((build) => build.decided === 'retry'),
    { targets: [2], outcome: 'failed', url: 'https://ci.example/b2', attempt: 1 },
    'the failed run keeps its link',
  );
  t.equal(
    snapshot.builds.filter((build) => build.decided === 'merge' && build.targets[0] === 2)[0]
      ?.attempt,
    2,
  );
  t.strictSame(executor.landed.length, 3, 'every merge went through the executor');
  t.strictSame(scheduler.merged, [1, 2, 3]);
  assertOnlyTestedMerges(t, snapshot);
});

t.test('without retries the same flaky failure rejects the PR', async (t) => {
  const flaky = failsOnce((build) => build.targets[0] === 2 && build.contents.length === 2);
  const { clock, store, enqueue } = setUp({}, flaky);
  for (const pr of [1, 2, 3]) await enqueue(pr);
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [1, 3]);
  t.equal(entryStates(snapshot)[2], 'failed');
});

t.test('a real failure is rejected after the retries run out', async (t) => {
  const { clock, store, enqueue } = setUp({ buildRetries: 2 }, (build) =>
    build.contents.includes(2),
  );
  for (const pr of [1, 2]) await enqueue(pr);
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [1]);
  t.equal(entryStates(snapshot)[2], 'failed');
  const decided = snapshot.builds.filter((build) => build.targets[0] === 2 && build.decided);
  t.strictSame(
    decided.map((build) => build.decided),
    ['retry', 'retry', 'reject'],
    'two retries, then rejected',
  );
});

t.test('a base branch moved outside the queue: every group is rebuilt, then merges', async (t) => {
  const { clock, store, enqueue, executor } = setUp({}, () => false);
  executor.refuseLandings = 1;
  for (const pr of [1, 2, 3]) await enqueue(pr);
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [1, 2, 3]);
  t.equal(executor.started.length, 6, 'three builds, then three rebuilds on the new tip');
  t.strictSame(executor.landed, ['b4', 'b5', 'b6'], 'only the rebuilt builds landed');
  assertOnlyTestedMerges(t, snapshot);
});

t.test('a build with no recorded commit is rebuilt rather than merged', async (t) => {
  const { clock, store, scheduler, executor } = setUp({}, () => false);
  let missing = true;
  const land = executor.merge.bind(executor);
  executor.merge = async (build) => {
    if (missing) {
      missing = false;
      throw new SpeculativeRefMissingError(build.id);
    }
    return land(build);
  };
  await scheduler.enqueue({ pr: 7, headSha: '7'.padStart(40, 'a') });
  await clock.run();
  t.strictSame((await store.load()).merged, [7]);
  t.strictSame(executor.landed, ['b2']);
});

t.test('setPriority moves a waiting entry ahead; inactive PRs report false', async (t) => {
  const { clock, store, scheduler, enqueue, executor } = setUp({ strategy: 'serial' }, () => false);
  for (const pr of [1, 2, 3]) await enqueue(pr);
  t.equal(await scheduler.setPriority(3, 'high'), true);
  t.equal(await scheduler.setPriority(3, 'high'), true, 'setting the same priority again is fine');
  t.equal(await scheduler.setPriority(99, 'high'), false);
  t.equal(scheduler.entry(3)?.priority, 'high');
  t.equal(scheduler.entry(99), undefined);
  await clock.run();
  t.strictSame((await store.load()).merged, [1, 3, 2], '3 overtook 2; 1 was already building');
  t.strictSame(
    executor.started.map((build) => build.targets[0]),
    [1, 3, 2],
  );
  t.equal(await scheduler.setPriority(3, 'normal'), false, 'merged entries are not active');
});

t.test(
  'pending failure depth: a later build containing a flaky failure passes and merges it',
  async (t) => {
    // 1's first build fails (flaky); 2's build, on base + 1 + 2, passes: 1 was fine after all.
    const flaky = failsOnce((build) => build.targets[0] === 1);
    const { clock, store, enqueue, executor } = setUp({ pendingFailureDepth: 2 }, flaky);
    for (const pr of [1, 2, 3]) await enqueue(pr);
    await clock.run();
    const snapshot = await store.load();
    t.strictSame(snapshot.merged, [1, 2, 3], 'nothing rejected');
    t.match(
      snapshot.builds.find((build) => build.id === 'b1'),
      { state: 'failed', decided: 'flaky' },
    );
    t.match(
      snapshot.builds.find((build) => build.id === 'b2'),
      { decided: 'merge', contents: [1, 2] },
    );
    t.equal(executor.started.length, 3, 'no build was redone');
    t.strictSame(executor.landed, ['b2', 'b3'], 'the base moved to the tree b2 tested, then b3');
  },
);

t.test(
  'pending failure depth: a real failure is rejected once the builds behind it fail too',
  async (t) => {
    const { clock, store, enqueue } = setUp({ pendingFailureDepth: 1 }, (build) =>
      build.contents.includes(1),
    );
    for (const pr of [1, 2, 3]) await enqueue(pr);
    await clock.run();
    const snapshot = await store.load();
    t.strictSame(snapshot.merged, [2, 3]);
    t.equal(entryStates(snapshot)[1], 'failed');
    t.strictSame(
      snapshot.builds.find((build) => build.targets[0] === 3 && build.decided === 'merge')
        ?.contents,
      [2, 3],
      '3 was rebuilt without 1',
    );
    assertOnlyTestedMerges(t, snapshot);
  },
);

t.test('without pending failure depth the builds behind a failure drop it at once', async (t) => {
  const flaky = failsOnce((build) => build.targets[0] === 1);
  const { clock, store, enqueue } = setUp({}, flaky);
  for (const pr of [1, 2]) await enqueue(pr);
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [2], 'the flaky failure rejected 1');
  t.equal(entryStates(snapshot)[1], 'failed');
});
