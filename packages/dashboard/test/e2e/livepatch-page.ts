/**
 * The LivePatch pages end to end: the built dashboard (`next start`) configured with a real built agent, which
 * supervises an app and has applied real `livepatch sync` batches (one of them rolled back), and with an agent
 * that is down; driven in headless Chromium: the overview, the agent's page, a new batch and log line arriving
 * live, and secrets redacted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { formatBytes } from '../../src/app/ui/livepatch/format.js';
import {
  freePort,
  hasChromium,
  launchBrowser,
  logIn,
  screenshot,
  startDashboard,
  TOKEN,
} from '../helpers/dashboard.js';
import {
  initCertificates,
  readAgentStatus,
  startLivePatchAgent,
  syncOnce,
  type LivePatchAgent,
} from '../helpers/livepatch-agent.js';

/** A GitHub token: the agent's scrubber knows the format. */
const GITHUB_TOKEN = `ghp_${'e2E'.repeat(12)}`;

/** The app the agent runs: it prints the dashboard's token, which only the dashboard knows to be secret. */
function app(version: string): string {
  return [
    `console.log('app ${version} started with ${TOKEN} and ${GITHUB_TOKEN}');`,
    'setInterval(() => {}, 1000);',
    '',
  ].join('\n');
}

/** Polls the agent's status until `done` holds it, for at most 10 s. */
async function waitForStatus(
  agent: LivePatchAgent,
  certs: string,
  done: (status: Awaited<ReturnType<typeof readAgentStatus>>) => boolean,
) {
  for (let waited = 0; ; waited += 100) {
    const status = await readAgentStatus(agent, certs);
    if (done(status)) return status;
    if (waited > 10_000) throw new Error(`the agent never got there:\n${agent.stderr()}`);
    await sleep(100);
  }
}

if (hasChromium(t)) {
  const dir = t.testdir({
    src: { 'app.cjs': app('v1'), public: { 'index.html': '<h1>hello</h1>\n' } },
    root: { 'app.cjs': app('v1') },
    agent: {
      'velocity.yaml': [
        'livepatch:',
        '  rollbackWindowMs: 3000',
        '  reload:',
        "    - paths: ['**/*.cjs']",
        '      action: restart',
        "    - paths: ['public/**']",
        '      action: sync',
        '',
      ].join('\n'),
    },
  });
  const src = join(dir, 'src');
  const certs = join(dir, 'certs');
  await initCertificates(certs);
  const agent = await startLivePatchAgent(t, {
    cwd: join(dir, 'agent'),
    root: join(dir, 'root'),
    certs,
    restart: [process.execPath, join(dir, 'root', 'app.cjs')],
  });

  // A good batch (the app restarts as v2), then one whose app crashes: rolled back to v2.
  // (No assertion before the first subtest: tap would end the file after it.)
  writeFileSync(join(src, 'app.cjs'), app('v2'));
  const goodSync = await syncOnce(src, agent, certs);
  writeFileSync(join(src, 'app.cjs'), 'process.exit(3);\n');
  const crashingSync = await syncOnce(src, agent, certs);
  const rolledBack = await waitForStatus(agent, certs, ({ events }) =>
    events.some((event) => event.kind === 'rollback'),
  );

  // The dashboard finds velocity.yaml in its working directory; `certs` is relative to the file.
  const downAddress = `127.0.0.1:${await freePort()}`;
  const dashboardDir = join(dir, 'dashboard');
  mkdirSync(dashboardDir);
  writeFileSync(
    join(dashboardDir, 'velocity.yaml'),
    [
      'dashboard:',
      '  agents:',
      `    - { name: web, address: '${agent.address}', certs: ../certs }`,
      `    - { name: ghost, address: '${downAddress}', certs: ../certs }`,
      '',
    ].join('\n'),
  );
  const { url } = await startDashboard(t, {}, dashboardDir);
  const browser = await launchBrowser(t);
  const page = await browser.newPage();

  t.test('the agent applied both batches and rolled the second back', async (t) => {
    t.match(goodSync, { filesChanged: 2, filesDeleted: 0 });
    t.match(crashingSync, { filesChanged: 1, filesDeleted: 0 });
    t.match(rolledBack, { batchesApplied: 2, lastBatch: { filesChanged: 1, filesDeleted: 0 } });
  });

  t.test('the events route needs a session and a configured agent', async (t) => {
    t.equal((await fetch(`${url}/api/livepatch/web/events`)).status, 401);
    await logIn(page, url);
    t.equal((await page.request.get(`${url}/api/livepatch/nope/events`)).status(), 404);
  });

  t.test('with Quantum Merge down, the merge queue page says so', async (t) => {
    // This dashboard is configured with no Quantum Merge: the default URL, where nothing listens.
    await page.goto(`${url}/merge-queue`);
    t.match(
      await page.getByTestId('merge-queue-error').textContent(),
      /Quantum Merge does not answer at http:\/\/127\.0\.0\.1:3000\/api\/queues/,
    );
  });

  t.test('the overview shows the health of every agent', async (t) => {
    await page.goto(`${url}/`);
    const health = page.getByTestId('agent-health');
    await health.waitFor();
    t.equal(await health.locator('li[data-agent=web]').getAttribute('data-up'), 'true');
    t.equal(await health.locator('li[data-agent=ghost]').getAttribute('data-up'), 'false');
  });

  t.test('the overview shows each agent with its status, last batch and events', async (t) => {
    await page.goto(`${url}/livepatch`);
    const web = page.locator('[data-testid=agent][data-agent=web]');
    // Visible, not only streamed: React reveals a streamed page after its loading state.
    await web.waitFor();
    t.equal(await web.getByTestId('agent-address').textContent(), agent.address);
    t.equal(await web.getByTestId('agent-state').getAttribute('data-up'), 'true');
    const batch = rolledBack.lastBatch;
    if (batch === null) throw new Error('the agent applied two batches');
    const summary = web.getByTestId('batch-summary');
    t.equal(await summary.getAttribute('data-batch-id'), batch.batchId);
    t.match(
      await summary.textContent(),
      `${batch.filesChanged} changed, ${batch.filesDeleted} deleted, ${formatBytes(batch.bytesWritten)} in ${batch.latencyMs} ms`,
    );
    const kinds = await web
      .locator('[data-testid=agent-events] tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    t.equal(kinds.length, 5, 'the latest five events');
    t.ok(kinds.includes('rollback'), 'the rollback is among them');

    const ghost = page.locator('[data-testid=agent][data-agent=ghost]');
    t.equal(await ghost.getByTestId('agent-state').getAttribute('data-up'), 'false');
    t.match(await ghost.getByTestId('agent-error').textContent(), /UNAVAILABLE.*ECONNREFUSED/);
    t.equal(await ghost.getByTestId('batch-summary').count(), 0, 'no status when down');
    await screenshot(page, 'livepatch');
  });

  t.test(
    'the agent page shows the last batch, the reload and rollback events, the log',
    async (t) => {
      await page.getByRole('link', { name: 'web', exact: true }).click();
      await page.waitForURL(`${url}/livepatch/web`);
      await page.waitForSelector('[data-connection=live]');
      const batch = rolledBack.lastBatch;
      if (batch === null) throw new Error('the agent applied two batches');
      t.equal(await page.getByTestId('batches-applied').textContent(), '2');
      t.equal(await page.getByTestId('last-batch').getAttribute('data-batch-id'), batch.batchId);
      t.equal(
        await page.getByTestId('batch-files-changed').textContent(),
        String(batch.filesChanged),
      );
      t.equal(
        await page.getByTestId('batch-files-deleted').textContent(),
        String(batch.filesDeleted),
      );
      t.equal(await page.getByTestId('batch-bytes').textContent(), formatBytes(batch.bytesWritten));
      t.equal(await page.getByTestId('batch-latency').textContent(), `${batch.latencyMs} ms`);
      t.equal(
        await page.locator('[data-testid=batch-reloads] li[data-action=restart]').count(),
        1,
        'the batch restarted the app',
      );
      const events = page.locator('[data-testid=agent-events]');
      t.equal(
        await events.locator(`tr[data-kind=reload][data-batch-id="${batch.batchId}"]`).count(),
        1,
      );
      t.match(
        await events
          .locator(`tr[data-kind=rollback][data-batch-id="${batch.batchId}"]`)
          .textContent(),
        /rolled back batch/,
      );

      const log = page.getByTestId('agent-log');
      await log.getByText('app v2 started').first().waitFor();
      t.match(
        await log.textContent(),
        /\[stdout\] app v2 started with \[REDACTED:config\] and ghp_\[REDACTED:github-token\]/,
      );
      const html = await page.content();
      t.notMatch(html, TOKEN, 'the dashboard token never reaches the browser');
      t.notMatch(html, GITHUB_TOKEN, 'nor the GitHub token');
    },
  );

  t.test('a new batch and the log line it causes arrive live, without a reload', async (t) => {
    await page.evaluate(() => {
      (window as { notReloaded?: boolean }).notReloaded = true;
    });
    writeFileSync(join(src, 'app.cjs'), app('v3'));
    await syncOnce(src, agent, certs);
    const log = page.getByTestId('agent-log');
    await log.getByText('app v3 started').first().waitFor();
    const status = await readAgentStatus(agent, certs);
    await page.waitForSelector(
      `[data-testid=last-batch][data-batch-id="${status.lastBatch?.batchId}"]`,
    );
    t.equal(await page.getByTestId('batches-applied').textContent(), '3');
    t.match(await log.textContent(), /app v3 started with \[REDACTED:config\]/);
    t.notMatch(await page.content(), TOKEN);
    t.equal(
      await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded),
      true,
      'same document: updated over the event stream',
    );
    await screenshot(page, 'livepatch-agent');
  });

  t.test('the page of an agent that is down says why', async (t) => {
    await page.goto(`${url}/livepatch/ghost`);
    t.equal(await page.getByTestId('agent-state').getAttribute('data-up'), 'false');
    await page.getByTestId('log-error').waitFor();
    t.match(await page.getByTestId('log-error').textContent(), /unavailable: .*UNAVAILABLE/);
  });
}
