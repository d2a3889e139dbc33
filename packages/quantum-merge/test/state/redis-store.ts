import t from 'tap';
import { TransitionConflictError } from '../../src/errors.js';
import { queueKeys } from '../../src/state/keys.js';
import { RedisQueueStore, type StoreChange } from '../../src/state/redis-store.js';
import { startTestRedis } from '../helpers/redis.js';

const redis = await startTestRedis(t);
let queues = 0;
const newStore = () =>
  new RedisQueueStore(redis, { repo: `octo/store-${queues++}`, base: 'main' }, { now: () => 42 });

const enqueue = (pr: number): StoreChange => ({
  kind: 'entry',
  id: String(pr),
  from: '',
  to: 'queued',
  set: { pr, headSha: 'a'.repeat(40), priority: 'normal', enqueuedAt: 0 },
});

t.test('keys of a queue share one hash tag', async (t) => {
  t.strictSame(queueKeys({ repo: 'octo/repo', base: 'main' }), {
    entries: 'qm:{octo/repo:main}:entries',
    builds: 'qm:{octo/repo:main}:builds',
    merged: 'qm:{octo/repo:main}:merged',
    ops: 'qm:{octo/repo:main}:ops',
    refs: 'qm:{octo/repo:main}:refs',
    shas: 'qm:{octo/repo:main}:shas',
    reports: 'qm:{octo/repo:main}:reports',
    lock: 'qm:{octo/repo:main}:lock',
  });
});

t.test('a transition from the expected state is applied', async (t) => {
  const store = newStore();
  t.equal(await store.apply({ opId: 'enqueue:1', changes: [enqueue(1)] }), 'applied');
  t.equal(
    await store.apply({
      opId: 'start:b1',
      changes: [
        {
          kind: 'build',
          id: 'b1',
          from: '',
          to: 'running',
          set: { id: 'b1', contents: [1], targets: [1], startedAt: 5 },
        },
        { kind: 'entry', id: '1', from: 'queued', to: 'building' },
      ],
    }),
    'applied',
  );
  t.match(await store.load(), {
    entries: [{ pr: 1, state: 'building', enqueuedAt: 0 }],
    builds: [{ id: 'b1', state: 'running', contents: [1], targets: [1], startedAt: 5 }],
    merged: [],
  });
  t.equal(await redis.hget(store.keys.ops, 'start:b1'), '42', 'the operation id is recorded');
});

t.test('compare-and-set refuses a transition from the wrong state, changing nothing', async (t) => {
  const store = newStore();
  await store.apply({ opId: 'enqueue:1', changes: [enqueue(1)] });
  await store.apply({ opId: 'enqueue:2', changes: [enqueue(2)] });
  const before = await store.load();
  const error = await t.rejects(
    store.apply({
      opId: 'merge:b9',
      changes: [
        { kind: 'entry', id: '1', from: 'queued', to: 'building' },
        { kind: 'entry', id: '2', from: 'passed', to: 'merged' },
      ],
      append: [1, 2],
    }),
    TransitionConflictError,
  );
  t.match(error, {
    code: 'QM_TRANSITION_CONFLICT',
    kind: 'entry',
    id: '2',
    expected: 'passed',
    actual: 'queued',
    message: /^Operation "merge:b9" expected entry "2" to be "passed" but it is "queued"\. Reload/,
  });
  t.strictSame(await store.load(), before, 'the valid first change was not applied either');
  t.equal(await redis.hexists(store.keys.ops, 'merge:b9'), 0, 'the refused id stays unused');
  await t.rejects(store.apply({ opId: 'enqueue:1-again', changes: [enqueue(1)] }), {
    expected: '',
    actual: 'queued',
    message: /to be "absent" but it is "queued"/,
  });
});

t.test('a repeated operation id changes nothing', async (t) => {
  const store = newStore();
  await store.apply({ opId: 'enqueue:1', changes: [enqueue(1)] });
  const first = { kind: 'entry', id: '1', from: 'queued', to: 'dequeued' } as const;
  t.equal(await store.apply({ opId: 'dequeue:1', changes: [first], append: [1] }), 'applied');
  const after = await store.load();
  // The same id again, even with changes that would now conflict: a redelivery, so a no-op.
  t.equal(await store.apply({ opId: 'dequeue:1', changes: [first], append: [1] }), 'duplicate');
  t.equal(
    await store.apply({
      opId: 'dequeue:1',
      changes: [{ ...first, from: 'dequeued', to: 'queued' }],
    }),
    'duplicate',
  );
  t.strictSame(await store.load(), after);
  t.strictSame(after.merged, [1]);
});

t.test('clear deletes every key of the queue', async (t) => {
  const store = newStore();
  await store.apply({ opId: 'enqueue:1', changes: [enqueue(1)], append: [1] });
  await store.clear();
  const { entries, builds, merged, ops } = store.keys;
  t.equal(await redis.exists(entries, builds, merged, ops), 0);
});
