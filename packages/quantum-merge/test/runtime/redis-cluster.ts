import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import t from 'tap';
import {
  QueueLockTimeoutError,
  RedisUnavailableError,
  RedisUrlError,
  TransitionConflictError,
} from '../../src/errors.js';
import {
  JobQueues,
  type OrchestrationJobData,
  type WebhookJobData,
} from '../../src/runtime/job-queues.js';
import { QueueLock } from '../../src/runtime/queue-lock.js';
import { QueueRegistry } from '../../src/runtime/queue-registry.js';
import { connectRedis } from '../../src/runtime/redis-connection.js';
import { startWorkers } from '../../src/runtime/workers.js';
import { MergeQueueScheduler } from '../../src/scheduler/merge-queue-scheduler.js';
import { SimulatedExecutor } from '../../src/simulate/simulated-executor.js';
import { startRedisServer } from '../../src/simulate/redis-server.js';
import { VirtualClock } from '../../src/simulate/virtual-clock.js';
import { BuildRefStore } from '../../src/state/build-refs.js';
import { queueKeys } from '../../src/state/keys.js';
import { RedisQueueStore, type StoreChange } from '../../src/state/redis-store.js';
import { assertOnlyTestedMerges, entryStates } from '../helpers/queue-invariants.js';
import { startTestRedisCluster } from '../helpers/redis-cluster.js';
import { silentLogger } from '../helpers/redis.js';

// A password with a space also checks that the node list's credentials are percent-decoded; `default` is
// the user a `requirepass` password belongs to.
const cluster = await startTestRedisCluster(t, { password: 'cluster secret' });
const redis = await connectRedis(
  cluster.url.replace('redis://:', 'redis://default:'),
  silentLogger,
);
t.teardown(() => redis.disconnect());

// Their keys hash to slots 1607 and 11051: the first and third of the three masters' ranges.
const APP = { repo: 'acme/app', base: 'main' };
const API = { repo: 'octo/api', base: 'main' };

const enqueue = (pr: number): StoreChange => ({
  kind: 'entry',
  id: String(pr),
  from: '',
  to: 'queued',
  set: { pr, headSha: 'a'.repeat(40), priority: 'normal', enqueuedAt: 0 },
});

async function keySlot(key: string): Promise<number> {
  return redis.cluster('KEYSLOT', key);
}

/** The port of the master serving `slot`, from CLUSTER SLOTS. */
async function masterPort(slot: number): Promise<number | undefined> {
  const ranges = await redis.cluster('SLOTS');
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  return range?.[2]?.[1];
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('a node list connects a Cluster with the password on every node', async (t) => {
  t.ok(redis instanceof Cluster);
  t.equal(redis.status, 'ready');
  // A write to a key of every master shows that each node's connection authenticated.
  const written = new Set<number | undefined>();
  for (let probe = 0; written.size < cluster.ports.length && probe < 100; probe += 1) {
    const master = await masterPort(await keySlot(`probe-${probe}`));
    if (written.has(master)) continue;
    t.equal(await redis.set(`probe-${probe}`, 'x'), 'OK');
    written.add(master);
  }
  t.strictSame([...written].sort(), [...cluster.ports].sort(), 'wrote on every master');
});

t.test(
  'RedisQueueStore keeps each queue in one slot, two queues on different masters',
  async (t) => {
    const app = new RedisQueueStore(redis, APP, { now: () => 42 });
    const api = new RedisQueueStore(redis, API, { now: () => 42 });
    const appSlots = new Set(await Promise.all(Object.values(app.keys).map(keySlot)));
    t.equal(appSlots.size, 1, "a queue's keys share one slot");
    const [appSlot = -1] = appSlots;
    const apiSlot = await keySlot(api.keys.entries);
    t.not(appSlot, apiSlot, 'the two queues are in different slots');
    t.not(await masterPort(appSlot), await masterPort(apiSlot), 'served by different masters');

    t.equal(await app.apply({ opId: 'enqueue:1', changes: [enqueue(1)] }), 'applied');
    t.equal(await app.apply({ opId: 'enqueue:1', changes: [enqueue(1)] }), 'duplicate');
    t.equal(await api.apply({ opId: 'enqueue:7', changes: [enqueue(7)] }), 'applied');
    t.equal(
      await app.apply({
        opId: 'merge:1',
        changes: [{ kind: 'entry', id: '1', from: 'queued', to: 'merged' }],
        append: [1],
      }),
      'applied',
    );
    const conflict = await t.rejects(
      api.apply({
        opId: 'merge:7',
        changes: [{ kind: 'entry', id: '7', from: 'passed', to: 'merged' }],
        append: [7],
      }),
      TransitionConflictError,
    );
    t.match(conflict, { id: '7', expected: 'passed', actual: 'queued' });
    t.match(await app.load(), { entries: [{ pr: 1, state: 'merged' }], builds: [], merged: [1] });
    t.match(await api.load(), { entries: [{ pr: 7, state: 'queued' }], builds: [], merged: [] });

    await app.clear();
    t.strictSame(
      await app.load(),
      { entries: [], builds: [], merged: [] },
      'clear deletes one slot',
    );
    t.equal((await api.load()).entries.length, 1, "the other queue's keys are untouched");
    await api.clear();
  },
);

t.test('MergeQueueScheduler runs a queue on the cluster with only tested merges', async (t) => {
  const clock = new VirtualClock();
  const store = new RedisQueueStore(redis, { repo: 'acme/scheduler', base: 'main' });
  const scheduler = new MergeQueueScheduler(
    { strategy: 'speculative', concurrency: 4, batchSize: 1, buildTimeoutMs: 3_600_000 },
    {
      store,
      clock,
      logger: silentLogger,
      executor: new SimulatedExecutor({ clock, buildMs: 600_000, isBad: (pr) => pr === 3 }),
    },
  );
  for (const pr of [1, 2, 3, 4, 5]) {
    clock.setTimer(0, () =>
      scheduler.enqueue({ pr, headSha: `${pr}`.padStart(40, 'a'), priority: 'normal' }),
    );
  }
  await clock.run();
  const snapshot = await store.load();
  t.strictSame(snapshot.merged, [1, 2, 4, 5]);
  t.strictSame(entryStates(snapshot), {
    1: 'merged',
    2: 'merged',
    3: 'failed',
    4: 'merged',
    5: 'merged',
  });
  assertOnlyTestedMerges(t, snapshot);
});

t.test('QueueLock serializes one queue, renews while held, times out when busy', async (t) => {
  const key = queueKeys(APP).lock;
  // ttl 90 ms and tasks of 250 ms: without working renewals the second holder would get in early.
  const a = new QueueLock(redis, { ttlMs: 90, waitMs: 5000, retryMs: 5 });
  const b = new QueueLock(redis, { ttlMs: 90, waitMs: 5000, retryMs: 5 });
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`${name} in`);
    await sleep(250);
    log.push(`${name} out`);
    return name;
  };
  t.strictSame(await Promise.all([a.run(key, task('a')), b.run(key, task('b'))]), ['a', 'b']);
  t.ok(
    log.join() === 'a in,a out,b in,b out' || log.join() === 'b in,b out,a in,a out',
    `not interleaved: ${log.join()}`,
  );
  t.equal(await redis.exists(key), 0, 'released');

  const other = queueKeys(API).lock;
  await redis.set(other, 'someone-else', 'PX', 5000);
  await t.rejects(
    new QueueLock(redis, { ttlMs: 5000, waitMs: 60, retryMs: 5 }).run(other, async () => 'never'),
    QueueLockTimeoutError,
  );
  t.equal(await redis.get(other), 'someone-else', "another holder's lock is left alone");
  await redis.del(other);
});

t.test('BuildRefStore records, finds and forgets commits per queue', async (t) => {
  const refs = new BuildRefStore(redis, APP);
  const c1 = { ref: 'velocity-mq/main/b1', sha: 'c'.repeat(40) };
  const c2 = { ref: 'velocity-mq/main/b2', sha: 'd'.repeat(40) };
  await refs.set('b1', c1);
  await refs.set('b2', c2);
  t.strictSame(await refs.get('b1'), c1);
  t.equal(await refs.buildForSha(c2.sha), 'b2');
  t.strictSame((await refs.list()).sort(), ['b1', 'b2']);
  t.strictSame(await new BuildRefStore(redis, API).list(), [], 'another queue has its own');
  await refs.delete('b1');
  t.equal(await refs.get('b1'), undefined);
  t.equal(await refs.buildForSha(c1.sha), undefined, 'both hashes forgot it');
  t.equal(await refs.buildForSha(c2.sha), 'b2');
});

t.test('QueueRegistry lists the queues it recorded', async (t) => {
  const registry = new QueueRegistry(redis, 'registry-test');
  await registry.add(API);
  await registry.add(APP);
  await registry.add(API);
  t.strictSame(await registry.list(), [APP, API]);
  t.strictSame(await registry.list(API.repo), [API]);
});

t.test('JobQueues and the BullMQ workers run webhook and tick jobs on the cluster', async (t) => {
  const jobs = new JobQueues(redis);
  let webhookDone: (data: WebhookJobData) => void = () => undefined;
  let tickDone: (data: OrchestrationJobData) => void = () => undefined;
  const webhook = new Promise<WebhookJobData>((resolve) => (webhookDone = resolve));
  const tick = new Promise<OrchestrationJobData>((resolve) => (tickDone = resolve));
  const workers = await startWorkers({
    redis,
    handlers: {
      webhook: async (data) => webhookDone(data),
      orchestration: async (data) => tickDone(data),
    },
    concurrency: 1,
    logger: silentLogger,
  });
  t.teardown(async () => {
    await workers.close();
    await jobs.close();
  });
  const delivery = { event: 'ping', deliveryId: 'delivery-1', payload: '{"zen":"hi"}' };
  t.equal(await jobs.addWebhook(delivery), 'queued');
  t.equal(await jobs.addWebhook(delivery), 'duplicate', 'a redelivery queues nothing');
  t.strictSame(await webhook, delivery, 'the worker ran the webhook job');
  await jobs.addTick(APP, Date.now());
  t.strictSame(await tick, { kind: 'tick', ...APP }, 'the worker ran the tick job');
});

t.test('connectRedis connects a single server to a plain Redis', async (t) => {
  const server = await startRedisServer();
  t.teardown(() => server.stop());
  const single = await connectRedis(server.url, silentLogger);
  t.teardown(() => single.disconnect());
  t.ok(single instanceof Redis);
  t.equal(await single.ping(), 'PONG');
});

t.test('connectRedis fails fast on a closed port, masking the password', async (t) => {
  const [p1, p2] = [await closedPort(), await closedPort()];
  for (const url of [
    `redis://:hunter2@127.0.0.1:${p1}`,
    `redis://:hunter2@127.0.0.1:${p1},127.0.0.1:${p2}`,
  ]) {
    const started = Date.now();
    const error = await t.rejects(connectRedis(url, silentLogger), RedisUnavailableError);
    t.ok(Date.now() - started < 5000, `${url} failed within 5 s`);
    t.match(error, {
      code: 'QM_REDIS_UNAVAILABLE',
      message: url.replace('hunter2', '***'),
    });
    t.notMatch(error, { message: /hunter2/ });
  }
});

t.test('connectRedis fails when the listed nodes form no ready cluster', async (t) => {
  const unjoined = await startTestRedisCluster(t, { joined: false });
  const error = await t.rejects(
    connectRedis(unjoined.url, silentLogger, { clusterReadyTimeoutMs: 300 }),
    RedisUnavailableError,
  );
  t.match(error, { cause: { message: /not ready \(cluster_state:ok\) within 300 ms/ } });
});

t.test('rediss:// in a node list connects with TLS (refused by a plaintext cluster)', async (t) => {
  await t.rejects(
    connectRedis(cluster.url.replace('redis://', 'rediss://'), silentLogger),
    RedisUnavailableError,
  );
});

t.test('a malformed node list is a usage error naming the problem', async (t) => {
  const cases: Array<[url: string, problem: RegExp]> = [
    ['redis://127.0.0.1:7000,', /node 2 \(""\) has no host/],
    ['redis://127.0.0.1:7000,127.0.0.1:99999', /node 2 \("127\.0\.0\.1:99999"\) is not host:port/],
    ['redis://127.0.0.1:7000,rediss://127.0.0.1:7001', /node 2 .* does not use redis:\/\//],
    ['redis://127.0.0.1:7000/2,127.0.0.1:7001', /node 1 .* names a database or URL options/],
    ['redis://127.0.0.1:7000,127.0.0.1:7001?family=6', /node 2 .* names a database/],
    [
      'redis://:%zz@127.0.0.1:7000,127.0.0.1:7001',
      /"redis:\/\/:\*\*\*@.*credentials are not valid/,
    ],
  ];
  for (const [url, problem] of cases) {
    const error = await t.rejects(connectRedis(url, silentLogger), RedisUrlError, url);
    t.match(error, { code: 'QM_REDIS_URL', exitCode: 2, message: problem }, url);
  }
});
