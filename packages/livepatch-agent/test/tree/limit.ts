import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createLimit } from '../../src/tree/limit.js';

t.test('at most `concurrency` tasks run at once, in order of arrival', async (t) => {
  const limit = createLimit(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, index) =>
      limit(async () => {
        started.push(index);
        peak = Math.max(peak, ++running);
        await sleep(2);
        running--;
        return index * 10;
      }),
    ),
  );
  t.equal(peak, 2);
  t.strictSame(started, [0, 1, 2, 3, 4, 5]);
  t.strictSame(results, [0, 10, 20, 30, 40, 50]);
});

t.test('a failing task frees its slot', async (t) => {
  const limit = createLimit(1);
  await t.rejects(
    limit(async () => Promise.reject(new Error('boom'))),
    { message: 'boom' },
  );
  t.equal(await limit(async () => 'next'), 'next');
});

t.test('tasks not yet started reject once the signal is aborted', async (t) => {
  const controller = new AbortController();
  const limit = createLimit(1, controller.signal);
  const first = limit(async () => {
    controller.abort(new Error('stop'));
    return 'first';
  });
  const second = limit(async () => 'second');
  t.equal(await first, 'first');
  await t.rejects(second, { message: 'stop' });
});
