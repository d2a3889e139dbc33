/**
 * The webhook receiver and JSON API over real HTTP, with a real Redis behind BullMQ and the queue store.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import t from 'tap';
import { JobQueues } from '../../src/runtime/job-queues.js';
import { QueueRegistry } from '../../src/runtime/queue-registry.js';
import { MergeQueueScheduler } from '../../src/scheduler/merge-queue-scheduler.js';
import { createQuantumMergeServer } from '../../src/server/http-server.js';
import {
  QueueApi,
  type QueueDetail,
  type QueueHistory,
  type QueueMetrics,
  type QueueSummary,
} from '../../src/server/queue-api.js';
import { startRedisServer } from '../../src/simulate/redis-server.js';
import { SimulatedExecutor } from '../../src/simulate/simulated-executor.js';
import { VirtualClock } from '../../src/simulate/virtual-clock.js';
import { RedisQueueStore } from '../../src/state/redis-store.js';
import { sendWebhook } from '../helpers/fake-github/index.js';
import { silentLogger } from '../helpers/redis.js';

const SECRET = 'server-test-secret';
const server = await startRedisServer();
const redis = new Redis(server.url, { maxRetriesPerRequest: null });
const jobs = new JobQueues(redis);
t.teardown(async () => {
  await jobs.close();
  redis.disconnect();
  await server.stop();
});

async function listen(apiToken?: string) {
  const http = createQuantumMergeServer({
    webhookSecret: SECRET,
    jobs,
    api: new QueueApi(redis),
    apiToken,
    ping: () => redis.ping(),
    logger: silentLogger,
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  t.teardown(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const payload = {
  action: 'labeled',
  label: { name: 'merge-queue' },
  pull_request: { number: 1, base: { ref: 'main' }, head: { sha: 'a'.repeat(40) } },
  repository: { full_name: 'acme/widgets' },
};

t.test(
  'a signed delivery is queued once; a redelivery and a bad signature queue nothing',
  async (t) => {
    const url = await listen();
    const deliveryId = randomUUID();
    const first = await sendWebhook({
      url: `${url}/webhooks`,
      secret: SECRET,
      event: 'pull_request',
      payload,
      deliveryId,
    });
    t.equal(first.status, 202);
    t.same(JSON.parse(first.body), { queued: true });
    const job = await jobs.webhooks.getJob(`delivery~${deliveryId}`);
    t.match(job?.data, { event: 'pull_request', deliveryId });
    t.same(JSON.parse(job?.data.payload ?? '{}'), payload, 'the raw body is queued as received');
    const again = await sendWebhook({
      url: `${url}/webhooks`,
      secret: SECRET,
      event: 'pull_request',
      payload,
      deliveryId,
    });
    t.equal(again.status, 200);
    t.same(JSON.parse(again.body), { duplicate: true });
    const forged = await sendWebhook({
      url: `${url}/webhooks`,
      secret: 'wrong-secret',
      event: 'pull_request',
      payload,
    });
    t.equal(forged.status, 401);
    t.equal(
      await jobs.webhooks.getJob(`delivery~${forged.deliveryId}`),
      undefined,
      'nothing queued',
    );
    t.equal(await jobs.webhooks.count(), 1, 'one job in all');
    const ping = await sendWebhook({
      url: `${url}/webhooks`,
      secret: SECRET,
      event: 'ping',
      payload: { zen: 'hi' },
    });
    t.equal(ping.status, 200);
    const unsigned = await fetch(`${url}/webhooks`, { method: 'POST', body: '{}' });
    t.equal(unsigned.status, 401);
    t.equal((await fetch(`${url}/webhooks`)).status, 405);
    t.equal((await fetch(`${url}/nope`)).status, 404);
    t.same(await (await fetch(`${url}/healthz`)).json(), { ok: true, redis: 'up' });
  },
);

t.test('the JSON API shows queues, entries in order, history and metrics', async (t) => {
  const url = await listen('api-token');
  const queue = { repo: `acme/api-${randomUUID().slice(0, 6)}`, base: 'main' };
  const clock = new VirtualClock();
  const store = new RedisQueueStore(redis, queue);
  await new QueueRegistry(redis).add(queue);
  const scheduler = new MergeQueueScheduler(
    { strategy: 'speculative', concurrency: 2, batchSize: 1, buildTimeoutMs: 3_600_000 },
    {
      store,
      clock,
      logger: silentLogger,
      executor: new SimulatedExecutor({ clock, buildMs: 600_000, isBad: (pr) => pr === 2 }),
    },
  );
  for (const pr of [1, 2, 3, 4])
    await scheduler.enqueue({ pr, headSha: String(pr).padStart(40, 'a'), title: `PR ${pr}` });
  const auth = { headers: { authorization: 'Bearer api-token' } };
  t.equal((await fetch(`${url}/api/queues`)).status, 401, 'the API needs the token');
  const queues = (await (await fetch(`${url}/api/queues`, auth)).json()) as QueueSummary[];
  t.match(
    queues.find((summary) => summary.repo === queue.repo),
    { base: 'main', active: 4, running: 2, merged: 0 },
  );
  const q = `repo=${encodeURIComponent(queue.repo)}&base=main`;
  const detail = (await (await fetch(`${url}/api/queue?${q}`, auth)).json()) as QueueDetail;
  t.strictSame(
    detail.entries.map((entry) => [entry.pr, entry.position, entry.state, entry.buildId]),
    [
      [1, 1, 'building', 'b1'],
      [2, 2, 'building', 'b2'],
      [3, 3, 'queued', null],
      [4, 4, 'queued', null],
    ],
  );
  t.equal(detail.entries[0]?.title, 'PR 1');
  await clock.run();
  const history = (await (await fetch(`${url}/api/history?${q}`, auth)).json()) as QueueHistory;
  t.strictSame(history.entries.map((entry) => entry.pr).sort(), [1, 2, 3, 4]);
  const metrics = (await (await fetch(`${url}/api/metrics?${q}`, auth)).json()) as QueueMetrics;
  t.match(metrics, {
    merged: 3,
    failed: 1,
    buildsPerMergedPr: Number,
    timeToMerge: { p50: Number, p95: Number },
  });
  t.ok(metrics.hourly.length >= 1);
  t.equal((await fetch(`${url}/api/queue?repo=acme/none&base=main`, auth)).status, 404);
  t.equal((await fetch(`${url}/api/queue`, auth)).status, 400);
});
