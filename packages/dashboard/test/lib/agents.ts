/**
 * The dashboard's LivePatch data layer against a real built agent over mutual TLS: status, health and the
 * followed log, scrubbed with the dashboard's own secrets. (`lib/agents.ts` only adds the configuration and the
 * process's scrubber; the e2e test covers it.)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Scrubber } from '@velocity/core';
import t from 'tap';
import type * as ClientModule from '../../src/lib/livepatch-client.js';
import type * as LogsModule from '../../src/lib/livepatch-logs.js';
import type * as StatusModule from '../../src/lib/livepatch-status.js';
import { freePort } from '../helpers/dashboard.js';
import { initCertificates, startLivePatchAgent } from '../helpers/livepatch-agent.js';

/** A config secret of the dashboard that the agent does not know, so only the dashboard can scrub it. */
const DASHBOARD_SECRET = 'lib-test-dashboard-secret-4f1d2c';
/** A GitHub token the agent's own scrubber recognises by its format. */
const GITHUB_TOKEN = `ghp_${'Zx9'.repeat(12)}`;

const dir = t.testdir({
  root: {
    'app.cjs': `console.log('app ready with ${DASHBOARD_SECRET} and ${GITHUB_TOKEN}');\nsetInterval(() => {}, 1000);\n`,
  },
});
mkdirSync(join(dir, 'agent'));
const certsDir = join(dir, 'certs');
await initCertificates(certsDir);
const agent = await startLivePatchAgent(t, {
  cwd: join(dir, 'agent'),
  root: join(dir, 'root'),
  certs: certsDir,
  restart: [process.execPath, join(dir, 'root', 'app.cjs')],
});

const scrubber = new Scrubber();
scrubber.addSecret(DASHBOARD_SECRET, 'config');
const scrub = <T>(value: T): Promise<T> => Promise.resolve(scrubber.scrubValue(value) as T);

const web = { name: 'web', address: agent.address, certsDir };
const ghost = { name: 'ghost', address: `127.0.0.1:${await freePort()}`, certsDir };
const noCerts = { name: 'no-certs', address: agent.address, certsDir: join(dir, 'missing') };

// `server-only` throws outside React's server build; it is a marker with nothing to test. tap's mocks reach only
// a mocked module's own imports, so the client module, loaded with the marker replaced, is handed on as well.
const serverOnly = { 'server-only': {} };
const mocks = {
  ...serverOnly,
  '../../src/lib/livepatch-client.js': await t.mockImport<typeof ClientModule>(
    '../../src/lib/livepatch-client.js',
    serverOnly,
  ),
};
const { healthOf, probeAgent } = await t.mockImport<typeof StatusModule>(
  '../../src/lib/livepatch-status.js',
  mocks,
);
const { followAgentLogs } = await t.mockImport<typeof LogsModule>(
  '../../src/lib/livepatch-logs.js',
  mocks,
);

t.test('an agent that is up: its status and the round trip', async (t) => {
  const before = Date.now();
  const view = await probeAgent(web, scrub);
  t.match(view, {
    name: 'web',
    address: agent.address,
    up: true,
    latencyMs: Number,
    status: { batchesApplied: 0, lastBatch: null },
  });
  if (!view.up) return;
  t.ok(view.status.startedAtMs <= before, 'the agent started before');
  t.match(view.status.events, [
    { stream: 'event', kind: 'restart', text: /^app started: pid \d+/ },
  ]);
  t.strictSame(healthOf(view), {
    name: 'web',
    address: agent.address,
    up: true,
    latencyMs: view.latencyMs,
  });
});

t.test('an agent that is down, or whose certificates are missing: the reason', async (t) => {
  const down = await probeAgent(ghost, scrub);
  t.match(down, { name: 'ghost', up: false, error: /UNAVAILABLE/ });
  t.strictSame(healthOf(down), down, 'health is the whole view when down');
  t.match(await probeAgent(noCerts, scrub), {
    up: false,
    error: new RegExp(`"${join(dir, 'missing', 'ca.pem')}"`),
  });
});

t.test('the view goes through scrub: a secret in an error message is redacted', async (t) => {
  const secretDir = { ...noCerts, certsDir: join(dir, DASHBOARD_SECRET) };
  const view = await probeAgent(secretDir, scrub);
  t.match(view, { up: false, error: /\[REDACTED:config\][/]ca\.pem/ });
  t.notMatch(JSON.stringify(view), DASHBOARD_SECRET);
});

t.test('the followed log goes through scrub, so dashboard secrets are redacted too', async (t) => {
  const controller = new AbortController();
  const lines: string[] = [];
  await followAgentLogs(web, {
    signal: controller.signal,
    scrub,
    onLine: (line) => {
      lines.push(`${line.stream} ${line.text}`);
      if (line.stream === 'stdout') controller.abort();
    },
  });
  t.match(lines, [
    /^event app started/,
    /^stdout app ready with \[REDACTED:config\] and ghp_\[REDACTED:github-token\]$/,
  ]);
  t.notMatch(lines.join('\n'), DASHBOARD_SECRET);
  t.notMatch(lines.join('\n'), GITHUB_TOKEN);
  // The agent prints the line on its stdout as it logs it; the pipe to this process may lag a little.
  for (let waited = 0; waited < 5_000 && !agent.stdout().includes('app ready'); waited += 20)
    await sleep(20);
  t.match(agent.stdout(), DASHBOARD_SECRET, 'the agent itself passed the dashboard secret on');
});

t.test('following an agent that is down fails with the gRPC error', async (t) => {
  await t.rejects(
    followAgentLogs(ghost, { signal: new AbortController().signal, scrub, onLine: () => {} }),
    { code: 14 },
  );
});
