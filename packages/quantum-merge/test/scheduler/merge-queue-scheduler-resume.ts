import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { Clock, TimerHandle } from '../../src/scheduler/clock.js';
import type { Executor } from '../../src/scheduler/executor.js';
import {
  MergeQueueScheduler,
  type SchedulerContext,
  type SchedulerOptions,
} from '../../src/scheduler/merge-queue-scheduler.js';
import type { Build, BuildOutcome } from '../../src/scheduler/types.js';
import { RedisQueueStore } from '../../src/state/redis-store.js';
import { silentLogger, startTestRedis } from '../helpers/redis.js';
import { assertOnlyTestedMerges, entryStates } from '../helpers/queue-invariants.js';

const redis = await startTestRedis(t);

const OPTIONS: SchedulerOptions = {
  strategy: 'speculative',
  concurrency: 3,
  batchSize: 1,
  buildTimeoutMs: 3_600_000,
};

/** A clock that moves only when the test says so; a new process gets a new one at the same time. */
class ManualClock implements Clock {
  #now: number;
  readonly #timers: { at: number; task: () => Promise<void>; cancelled: boolean }[] = [];

  constructor(nowMs = 0) {
    this.#now = nowMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, task: () => Promise<void>): TimerHandle {
    const timer = { at: this.#now + delayMs, task, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves the time on by `ms`, running every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    for (;;) {
      const due = this.#timers
        .filter((timer) => !timer.cancelled && timer.at <= this.#now)
        .sort((a, b) => a.at - b.at)[0];
      if (due === undefined) return;
      due.cancelled = true;
      await due.task();
    }
  }
}

/** An executor whose builds end only when the test finishes them; it cannot re-attach. */
class ManualExecutor implements Executor {
  /** Running builds by id. */
  readonly running = new Map<string, Build>();
  readonly cancelled: string[] = [];
  /** Every report callback ever handed over, kept so a result can be delivered again. */
  readonly #reports = new Map<string, (outcome: BuildOutcome) => Promise<void>>();

  start(build: Build, report: (outcome: BuildOutcome) => Promise<void>): Promise<void> {
    this.running.set(build.id, build);
    this.#reports.set(build.id, report);
    return Promise.resolve();
  }

  cancel(buildId: string): Promise<void> {
    this.cancelled.push(buildId);
    this.running.delete(buildId);
    return Promise.resolve();
  }

  /** The running builds as `id: targets`, in start order. */
  get runningTargets(): Record<string, readonly number[]> {
    return Object.fromEntries([...this.running].map(([id, build]) => [id, build.targets]));
  }

  /** Ends a running build with `outcome`, as CI would. */
  async finish(buildId: string, outcome: BuildOutcome): Promise<void> {
    if (!this.running.delete(buildId)) throw new Error(`Build "${buildId}" is not running.`);
    await this.redeliver(buildId, outcome);
  }

  /** Reports `outcome` again through the build's callback, as a redelivered CI event would. */
  async redeliver(buildId: string, outcome: BuildOutcome): Promise<void> {
    const report = this.#reports.get(buildId);
    if (report === undefined) throw new Error(`Build "${buildId}" was never handed over.`);
    await report(outcome);
  }
}

/** A {@link ManualExecutor} that can re-attach to the builds of an earlier process, except `lost` ones. */
class AttachingExecutor extends ManualExecutor {
  readonly attached: string[] = [];
  readonly lost = new Set<string>();

  async attach(build: Build, report: (outcome: BuildOutcome) => Promise<void>): Promise<boolean> {
    this.attached.push(build.id);
    if (this.lost.has(build.id)) return false;
    await this.start(build, report);
    return true;
  }
}

function newStore(): RedisQueueStore {
  return new RedisQueueStore(redis, { repo: `test/${randomUUID()}`, base: 'main' });
}

function context(store: RedisQueueStore, executor: Executor, clock: Clock): SchedulerContext {
  return { store, executor, clock, logger: silentLogger };
}

const sha = (pr: number) => `${pr}`.padStart(40, 'a');

async function enqueueAll(scheduler: MergeQueueScheduler, prs: number[]): Promise<void> {
  for (const pr of prs) await scheduler.enqueue({ pr, headSha: sha(pr) });
}

t.test('resume after a crash re-attaches running builds and loses nothing', async (t) => {
  const store = newStore();
  const clock = new ManualClock();
  const before = new AttachingExecutor();
  const crashed = new MergeQueueScheduler(OPTIONS, context(store, before, clock));
  await enqueueAll(crashed, [1, 2, 3, 4, 5, 6]);
  t.strictSame(before.runningTargets, { b1: [1], b2: [2], b3: [3] });
  // 2 passes behind the head, so 4 gets a slot; then 3 fails behind the head: that is pending, and 4
  // and 5 are built without 3.
  await before.finish('b2', 'passed');
  await before.finish('b3', 'failed');
  t.strictSame(before.cancelled, ['b4']);
  t.strictSame(before.runningTargets, { b1: [1], b5: [4], b6: [5] });
  const atCrash = await store.load();

  // The process dies: the scheduler object and its executor are gone; only Redis is left.
  const clockAfter = new ManualClock(clock.now() + 60_000);
  const after = new AttachingExecutor();
  const scheduler = await MergeQueueScheduler.resume(OPTIONS, context(store, after, clockAfter));
  t.strictSame(after.attached, ['b1', 'b5', 'b6'], 'the running builds were re-attached');
  t.strictSame(after.cancelled, []);
  t.strictSame(await store.load(), atCrash, 'resuming at capacity changes nothing stored');
  t.strictSame(scheduler.merged, []);

  await after.finish('b1', 'passed');
  t.strictSame(scheduler.merged, [1, 2], '1 merged, then 2 on its passed build from before');
  t.strictSame(after.runningTargets, { b5: [4], b6: [5], b7: [6] }, 'ids go on after b6');
  t.strictSame(after.running.get('b7')?.contents, [1, 2, 4, 5, 6]);
  for (const id of ['b5', 'b6', 'b7']) await after.finish(id, 'passed');

  const done = await store.load();
  t.strictSame(done.merged, [1, 2, 4, 5, 6]);
  t.strictSame(entryStates(done), {
    1: 'merged',
    2: 'merged',
    3: 'failed',
    4: 'merged',
    5: 'merged',
    6: 'merged',
  });
  t.match(
    done.builds.find((build) => build.id === 'b3'),
    { state: 'failed', decided: 'reject' },
    "3's failure from before the crash was decided after it",
  );
  assertOnlyTestedMerges(t, done);

  await after.redeliver('b1', 'failed');
  await after.redeliver('b7', 'passed');
  t.strictSame(await store.load(), done, 'redelivered results change nothing');
  t.strictSame(scheduler.merged, [1, 2, 4, 5, 6]);

  await scheduler.enqueue({ pr: 3, headSha: 'f'.repeat(40) });
  t.strictSame(
    after.running.get('b8')?.contents,
    [1, 2, 4, 5, 6, 3],
    'a PR that failed before the crash may be enqueued again',
  );
});

t.test('an executor without attach gets its running builds restarted in queue order', async (t) => {
  const store = newStore();
  const clock = new ManualClock();
  const before = new ManualExecutor();
  const crashed = new MergeQueueScheduler(
    { ...OPTIONS, concurrency: 2 },
    context(store, before, clock),
  );
  await enqueueAll(crashed, [1, 2, 3]);
  await before.finish('b2', 'passed');
  t.strictSame(before.runningTargets, { b1: [1], b3: [3] });

  const after = new ManualExecutor();
  const scheduler = await MergeQueueScheduler.resume(
    { ...OPTIONS, concurrency: 2 },
    context(store, after, new ManualClock(clock.now())),
  );
  t.strictSame(after.cancelled, ['b1', 'b3'], 'the running builds were cancelled');
  t.strictSame(after.runningTargets, { b4: [1], b5: [2] }, 'restarted from the front, 2 too');
  t.strictSame(after.running.get('b5')?.contents, [1, 2]);
  t.match((await store.load()).builds.slice(0, 3), [
    { id: 'b1', state: 'cancelled' },
    { id: 'b2', state: 'passed', decided: undefined },
    { id: 'b3', state: 'cancelled' },
  ]);
  await after.finish('b5', 'passed');
  await after.finish('b4', 'passed');
  await after.finish('b6', 'passed');
  t.strictSame(scheduler.merged, [1, 2, 3]);
  assertOnlyTestedMerges(t, await store.load());
});

t.test('a build the executor reports lost is restarted with every build behind it', async (t) => {
  const store = newStore();
  const clock = new ManualClock();
  const before = new ManualExecutor();
  const crashed = new MergeQueueScheduler(OPTIONS, context(store, before, clock));
  await enqueueAll(crashed, [1, 2, 3]);
  t.strictSame(before.runningTargets, { b1: [1], b2: [2], b3: [3] });

  const after = new AttachingExecutor();
  after.lost.add('b2');
  const scheduler = await MergeQueueScheduler.resume(
    OPTIONS,
    context(store, after, new ManualClock(clock.now())),
  );
  t.strictSame(after.attached, ['b1', 'b2'], 'b1 re-attached; b2 lost, so b3 was not asked');
  t.strictSame(after.cancelled, ['b2', 'b3']);
  t.strictSame(after.runningTargets, { b1: [1], b4: [2], b5: [3] }, 'b2 and b3 restarted in order');
  t.strictSame(after.running.get('b5')?.contents, [1, 2, 3]);
  await after.finish('b1', 'passed');
  await after.finish('b4', 'passed');
  await after.finish('b5', 'passed');
  t.strictSame(scheduler.merged, [1, 2, 3]);
  assertOnlyTestedMerges(t, await store.load());
});

t.test('builds made stale before the crash are not resumed', async (t) => {
  const store = newStore();
  const clock = new ManualClock();
  const before = new AttachingExecutor();
  const crashed = new MergeQueueScheduler(OPTIONS, context(store, before, clock));
  await enqueueAll(crashed, [1, 2, 3]);
  await before.finish('b2', 'passed');
  await before.finish('b3', 'failed');
  // Dequeuing 1 leaves b2 passed and b3 failed in the store, but built on a tree with 1 in it.
  await crashed.dequeue(1);
  t.strictSame(before.runningTargets, { b4: [2], b5: [3] });

  const after = new AttachingExecutor();
  const scheduler = await MergeQueueScheduler.resume(
    OPTIONS,
    context(store, after, new ManualClock(clock.now())),
  );
  t.strictSame(after.attached, ['b4', 'b5']);
  t.strictSame(after.runningTargets, { b4: [2], b5: [3] }, 'nothing else started');
  await after.finish('b5', 'passed');
  await after.finish('b4', 'passed');
  t.strictSame(scheduler.merged, [2, 3]);
  const done = await store.load();
  t.strictSame(entryStates(done), { 1: 'dequeued', 2: 'merged', 3: 'merged' });
  assertOnlyTestedMerges(t, done);
});

t.test('a resumed build times out relative to its start, not to the resume', async (t) => {
  const options = { ...OPTIONS, buildTimeoutMs: 10_000 };
  const store = newStore();
  const clock = new ManualClock();
  const crashed = new MergeQueueScheduler(options, context(store, new AttachingExecutor(), clock));
  await enqueueAll(crashed, [1]);
  await clock.advance(4_000);
  await enqueueAll(crashed, [2]);

  const clockAfter = new ManualClock(9_000);
  const after = new AttachingExecutor();
  await MergeQueueScheduler.resume(options, context(store, after, clockAfter));
  await clockAfter.advance(999);
  t.strictSame(after.runningTargets, { b1: [1], b2: [2] }, 'no timeout before 10 s');
  await clockAfter.advance(1);
  t.strictSame(after.cancelled, ['b1', 'b2'], 'b1 timed out 10 s after it started at 0');
  t.strictSame(after.runningTargets, { b3: [2] }, '2 is rebuilt without 1');
  t.match((await store.load()).builds[0], {
    id: 'b1',
    state: 'failed',
    outcome: 'timeout',
    decided: 'reject',
    finishedAt: 10_000,
  });
});

t.test('resuming an empty store gives a fresh scheduler', async (t) => {
  const store = newStore();
  const executor = new AttachingExecutor();
  const scheduler = await MergeQueueScheduler.resume(
    OPTIONS,
    context(store, executor, new ManualClock()),
  );
  t.strictSame(scheduler.merged, []);
  await enqueueAll(scheduler, [7]);
  t.strictSame(executor.runningTargets, { b1: [7] });
});
