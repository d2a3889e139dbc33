/**
 * The built dashboard end to end: `next start` reading a real `quantum-merge serve` whose Redis is fed by the
 * real scheduler and its simulated executor, driven in headless Chromium: login, the queue page, and a live
 * update when the virtual clock merges an entry.
 */
import { createLogger } from '@velocity/core';
import {
  connectRedis,
  MergeQueueScheduler,
  QueueRegistry,
  RedisQueueStore,
  SimulatedExecutor,
  startRedisServer,
  VirtualClock,
} from '@velocity/quantum-merge';
import t from 'tap';
import {
  hasChromium,
  launchBrowser,
  screenshot,
  startDashboard,
  startQuantumMergeServer,
  tableRows,
  TOKEN,
} from '../helpers/dashboard.js';

const API_TOKEN = 'e2e-quantum-merge-api-token-0123';
const LEAKED_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const silentLogger = createLogger({ destination: process.stderr, level: 'silent' });

if (hasChromium(t)) await run();

async function run(): Promise<void> {
  const redisServer = await startRedisServer();
  t.teardown(() => redisServer.stop());
  const redis = await connectRedis(redisServer.url, silentLogger);
  t.teardown(() => redis.disconnect());

  const queue = { repo: 'acme/widgets', base: 'main' };
  const clock = new VirtualClock();
  await new QueueRegistry(redis).add(queue);
  const scheduler = new MergeQueueScheduler(
    { strategy: 'speculative', concurrency: 2, batchSize: 1, buildTimeoutMs: 3_600_000 },
    {
      store: new RedisQueueStore(redis, queue),
      clock,
      logger: silentLogger,
      executor: new SimulatedExecutor({ clock, buildMs: 600_000, isBad: (pr) => pr === 2 }),
    },
  );
  for (const pr of [1, 2, 3])
    await scheduler.enqueue({ pr, headSha: String(pr).padStart(40, 'a'), title: `PR ${pr}` });
  // A title holding a token: the dashboard must never render it.
  await scheduler.enqueue({ pr: 4, headSha: '4'.padStart(40, 'a'), title: `PR 4 ${LEAKED_TOKEN}` });

  const quantumMergeUrl = await startQuantumMergeServer(t, redisServer.url, API_TOKEN);
  const { url: base } = await startDashboard(t, {
    VELOCITY_DASHBOARD_REDIS_URL: redisServer.url,
    VELOCITY_DASHBOARD_QUANTUM_MERGE_URL: quantumMergeUrl,
    VELOCITY_QUANTUM_MERGE_API_TOKEN: API_TOKEN,
  });
  const browser = await launchBrowser(t);
  const context = await browser.newContext();
  const page = await context.newPage();
  const queueUrl = `${base}/merge-queue/acme/widgets/main`;

  t.test('without a session, pages redirect to /login and the API answers 401', async (t) => {
    await page.goto(queueUrl);
    t.equal(new URL(page.url()).pathname, '/login');
    const api = await fetch(`${base}/api/merge-queue/acme/widgets/main/events`);
    t.equal(api.status, 401);
    const headers = (await fetch(`${base}/login`)).headers;
    t.equal(headers.get('x-frame-options'), 'DENY');
    t.equal(headers.get('x-content-type-options'), 'nosniff');
    t.equal(headers.get('referrer-policy'), 'no-referrer');
    t.match(headers.get('content-security-policy'), /frame-ancestors 'none'/);
  });

  t.test('a wrong token is refused', async (t) => {
    // networkidle: the form is hydrated, so the server action answers in place.
    await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    const error = page.locator('form .error[role=alert]');
    await error.waitFor();
    t.match(await error.textContent(), /Wrong token/);
    t.equal(new URL(page.url()).pathname, '/login');
    t.strictSame(await context.cookies(), [], 'no session cookie');
  });

  t.test('the right token logs in with an httpOnly, SameSite=Strict HMAC cookie', async (t) => {
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    const [cookie] = await context.cookies();
    t.match(cookie, { name: 'velocity_session', httpOnly: true, sameSite: 'Strict' });
    t.notMatch(cookie?.value, TOKEN, 'the cookie never holds the token');
    t.match(await page.getByTestId('redis-health').textContent(), /up/);
    t.match(await page.getByTestId('quantum-merge-health').textContent(), /up/);
    t.match(await page.getByTestId('queues-summary').textContent(), /1.*4 PRs active/);
  });

  t.test('the queue page shows the entries in order with their builds', async (t) => {
    await page.goto(`${base}/merge-queue`);
    await page.getByRole('link', { name: 'acme/widgets' }).click();
    await page.waitForURL(queueUrl);
    await page.getByTestId('queue').waitFor();
    t.strictSame(await tableRows(page, 'queue'), [
      ['1', '#1', 'PR 1', 'building', 'b1', '#1'],
      ['2', '#2', 'PR 2', 'building', 'b2', '#1 + #2'],
      ['3', '#3', 'PR 3', 'queued', '—', '—'],
      ['4', '#4', 'PR 4 ghp_[REDACTED:github-token]', 'queued', '—', '—'],
    ]);
    t.notMatch(await page.content(), LEAKED_TOKEN, 'the token is not in the page');
    await page.waitForSelector('[data-connection=live]');
  });

  t.test('merges show up live, without a reload', async (t) => {
    await page.evaluate(() => {
      (window as { notReloaded?: boolean }).notReloaded = true;
    });
    // One task of the virtual clock: b1 finishes and PR 1 merges.
    let started = false;
    const afterOneTask = {
      get aborted() {
        const stop = started;
        started = true;
        return stop;
      },
    } as AbortSignal;
    await clock.run(afterOneTask);
    await page.waitForSelector('[data-testid=history] tr[data-pr="1"][data-state=merged]');
    t.equal(await page.getByTestId('merged-count').textContent(), '1');
    t.strictSame(
      (await tableRows(page, 'queue')).map((row) => row[1]),
      ['#2', '#3', '#4'],
    );
    await clock.run();
    await page.waitForSelector('[data-testid=queue-empty]');
    t.strictSame((await tableRows(page, 'history')).map((row) => [row[0], row[2]]).sort(), [
      ['#1', 'merged'],
      ['#2', 'failed'],
      ['#3', 'merged'],
      ['#4', 'merged'],
    ]);
    t.equal(await page.getByTestId('merged-count').textContent(), '3');
    t.equal(await page.locator('[data-testid=charts] canvas').count(), 3);
    t.equal(
      await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded),
      true,
      'same document: updated over the event stream',
    );
    await screenshot(page, 'merge-queue');
  });
}
