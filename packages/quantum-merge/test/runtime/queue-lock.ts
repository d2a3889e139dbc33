import t from 'tap';
import { QueueLockTimeoutError } from '../../src/errors.js';
import { JobClock } from '../../src/runtime/job-clock.js';
import { QueueLock } from '../../src/runtime/queue-lock.js';
import { startTestRedis } from '../helpers/redis.js';

const redis = await startTestRedis(t);

t.test('QueueLock runs tasks on one key one at a time, across lock instances', async (t) => {
  // Two instances stand for two worker processes.
  const a = new QueueLock(redis, { ttlMs: 5000, waitMs: 5000, retryMs: 5 });
  const b = new QueueLock(redis, { ttlMs: 5000, waitMs: 5000, retryMs: 5 });
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`${name} in`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    log.push(`${name} out`);
    return name;
  };
  const results = await Promise.all([a.run('k1', task('a')), b.run('k1', task('b'))]);
  t.strictSame(results, ['a', 'b']);
  t.ok(
    log.join() === 'a in,a out,b in,b out' || log.join() === 'b in,b out,a in,a out',
    `not interleaved: ${log.join()}`,
  );
  t.equal(await redis.exists('k1'), 0, 'released');
});

t.test('QueueLock releases after a throwing task and times out on a busy key', async (t) => {
  const lock = new QueueLock(redis, { ttlMs: 5000, waitMs: 60, retryMs: 5 });
  await t.rejects(
    lock.run('k2', () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  t.equal(await redis.exists('k2'), 0, 'released after the throw');
  await redis.set('k2', 'someone-else', 'PX', 5000);
  await t.rejects(
    lock.run('k2', async () => 'never'),
    QueueLockTimeoutError,
  );
  t.equal(await redis.get('k2'), 'someone-else', "another holder's lock is left alone");
});

t.test('QueueLock renews a held lock and a crashed holder expires', async (t) => {
  const lock = new QueueLock(redis, { ttlMs: 90, waitMs: 1000, retryMs: 5 });
  await lock.run('k3', async () => {
    await new Promise((resolve) => setTimeout(resolve, 250));
    t.equal(await redis.exists('k3'), 1, 'still held after more than the ttl');
  });
  await redis.set('k4', 'crashed-holder', 'PX', 80);
  t.equal(await lock.run('k4', async () => 'got it'), 'got it', 'taken once the ttl ran out');
});

t.test('JobClock runs due timers at once, remembers later ones, honours cancel', async (t) => {
  let now = 1000;
  const clock = new JobClock(() => now);
  const ran: string[] = [];
  clock.setTimer(0, async () => {
    ran.push('due');
    clock.setTimer(-5, async () => void ran.push('chained'));
  });
  clock.setTimer(-1, async () => void ran.push('cancelled')).cancel();
  const later = clock.setTimer(500, async () => void ran.push('later'));
  clock.setTimer(300, async () => void ran.push('sooner'));
  t.equal(clock.now(), 1000);
  await clock.drain();
  t.strictSame(ran, ['due', 'chained'], 'due tasks ran, including one they started');
  t.equal(clock.nextDue, 1300, 'the earliest pending timer');
  now = 2000;
  later.cancel();
  t.equal(clock.nextDue, 1300);
  t.equal(new JobClock().nextDue, undefined);
});
