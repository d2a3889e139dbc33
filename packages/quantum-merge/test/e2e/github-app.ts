/**
 * End to end: the built `quantum-merge` executable (`serve`, `worker`) with a real Redis and BullMQ, against a
 * fake GitHub whose repository is real git, driven by signed webhooks over HTTP; a fake CI tests the
 * speculative branches' real trees.
 */
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { sendWebhook, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github/index.js';
import {
  FakeCi,
  sendComment,
  sendPullRequestEvent,
  startQuantumMerge,
  waitFor,
  WEBHOOK_SECRET,
  type QuantumMergeProcess,
} from '../helpers/quantum-merge-process.js';
import type { QueueDetail, QueueHistory, QueueMetrics } from '../../src/server/queue-api.js';
import { startRedisServer } from '../../src/simulate/redis-server.js';

const redis = await startRedisServer();
t.teardown(() => redis.stop());

interface Setup {
  fake: FakeGitHub;
  ci: FakeCi;
  settings: Record<string, string>;
  cwd: string;
}

async function setUp(t: Test, settings: Record<string, string> = {}): Promise<Setup> {
  const fake = await startFakeGitHub({ repo: `widgets-${randomUUID().slice(0, 8)}` });
  const ci = new FakeCi(fake);
  t.teardown(async () => {
    await ci.stop();
    await fake.close();
  });
  return {
    fake,
    ci,
    cwd: t.testdir({}),
    settings: {
      WEBHOOK_SECRET,
      GITHUB_TOKEN: 'test-token',
      API_URL: fake.url,
      REDIS_URL: redis.url,
      REQUIRED_CHECKS: 'test',
      REQUIRED_APPROVALS: '0',
      CONCURRENCY: '3',
      LISTEN: '127.0.0.1:0',
      ...settings,
    },
  };
}

async function serve(t: Test, setup: Setup, args: string[] = []): Promise<QuantumMergeProcess> {
  const server = await startQuantumMerge(['serve', ...args], setup.settings, setup.cwd);
  setup.ci.webhookUrl = `${server.url}/webhooks`;
  t.teardown(() => server.stop('SIGKILL'));
  return server;
}

/** Every sha the base branch was moved to through the API. */
function baseMoves(fake: FakeGitHub): string[] {
  return fake
    .requestsTo('PATCH', /\/git\/refs\/heads\/main$/)
    .filter((request) => request.status === 200)
    .map((request) => (request.body as { sha: string }).sha);
}

async function api<T>(server: QuantumMergeProcess, fake: FakeGitHub, view = 'queue'): Promise<T> {
  const response = await fetch(
    `${server.url}/api/${view}?repo=${encodeURIComponent(fake.fullName)}&base=main`,
  );
  return (await response.json()) as T;
}

t.test(
  'a queue of PRs where one fails: the others merge, main only ever holds tested trees',
  async (t) => {
    const setup = await setUp(t);
    const { fake, ci } = setup;
    const server = await serve(t, setup);
    for (const n of [1, 2, 3, 4]) {
      await fake.addPullRequest({
        files: { [`feature-${n}.txt`]: `${n}\n`, ...(n === 2 ? { BROKEN: 'yes\n' } : {}) },
        labels: ['merge-queue'],
      });
    }
    for (const n of [1, 2, 3, 4]) {
      const sent = await sendPullRequestEvent(server.url, fake, n, 'labeled', {
        label: 'merge-queue',
      });
      t.equal(sent.status, 202, `labeled #${n} accepted`);
    }
    await waitFor(
      '1, 3, 4 merged and 2 failed',
      () =>
        [1, 3, 4].every((n) => fake.pulls.get(n)?.merged === true) &&
        fake.checkRuns.some(
          (run) =>
            run.head_sha !== '' && run.conclusion === 'failure' && run.name === 'Quantum Merge',
        ),
    );
    const files = await fake.git.listFiles('main');
    t.ok(['feature-1.txt', 'feature-3.txt', 'feature-4.txt'].every((f) => files.includes(f)));
    t.notOk(files.includes('BROKEN'), 'the failing PR never reached main');
    t.notOk(files.includes('feature-2.txt'));
    const moves = baseMoves(fake);
    t.ok(moves.length >= 1);
    for (const sha of moves)
      t.ok(ci.passed.has(sha), `main moved only to a tested, passing commit (${sha.slice(0, 7)})`);
    t.equal(fake.pulls.get(2)?.merged, false);
    await waitFor('the PRs that left the queue lost its label', () =>
      [1, 2, 3, 4].every((n) => fake.pulls.get(n)?.labels.includes('merge-queue') === false),
    );
    t.ok(
      fake.comments.some(
        (comment) =>
          comment.issue === 2 && /Removed from the main merge queue: build/.test(comment.body),
      ),
      'the failing PR was told why, with its build',
    );
    const states = async () =>
      (
        (await api<QueueHistory>(server, fake, 'history')).entries as {
          pr: number;
          state: string;
        }[]
      )
        .map((entry) => `${entry.pr}:${entry.state}`)
        .sort()
        .join();
    await waitFor(
      'the history',
      async () => (await states()) === '1:merged,2:failed,3:merged,4:merged',
    );
    await waitFor('speculative branches deleted', async () => {
      const refs = await fake.git.git(['for-each-ref', 'refs/heads/velocity-mq/']);
      return refs === '';
    });
    const metrics = await api<QueueMetrics>(server, fake, 'metrics');
    t.match(metrics, { merged: 3, failed: 1, timeToMerge: { p50: Number } });
    t.equal(await server.stop('SIGTERM'), 143, 'SIGTERM stops it gracefully');
  },
);

t.test('a redelivered webhook changes nothing; a forged one is refused', async (t) => {
  const setup = await setUp(t);
  const { fake, ci } = setup;
  ci.held = true;
  const server = await serve(t, setup);
  await fake.addPullRequest({ files: { 'a.txt': 'a\n' } });
  const deliveryId = randomUUID();
  const first = await sendPullRequestEvent(server.url, fake, 1, 'labeled', {
    label: 'merge-queue',
    deliveryId,
  });
  t.equal(first.status, 202);
  await waitFor(
    'the speculative build of #1',
    async () => (await api<QueueDetail>(server, fake)).entries?.[0]?.state === 'building',
  );
  const again = await sendPullRequestEvent(server.url, fake, 1, 'labeled', {
    label: 'merge-queue',
    deliveryId,
  });
  t.equal(again.status, 200, 'the redelivery is acknowledged');
  t.same(JSON.parse(again.body), { duplicate: true });
  const forged = await sendWebhook({
    url: `${server.url}/webhooks`,
    secret: 'not-the-secret',
    event: 'pull_request',
    payload: {
      action: 'closed',
      number: 1,
      pull_request: {
        number: 1,
        merged: false,
        base: { ref: 'main' },
        head: { sha: 'f'.repeat(40) },
      },
      repository: { full_name: fake.fullName },
    },
  });
  t.equal(forged.status, 401, 'a bad signature gets 401');
  const detail = await api<QueueDetail>(server, fake);
  t.equal(detail.entries.length, 1);
  t.equal(detail.builds.length, 1, 'one build, not two');
  t.equal(detail.entries[0]?.state, 'building', 'the forged close changed nothing');
  ci.held = false;
  await waitFor('#1 merged', () => fake.pulls.get(1)?.merged === true);
  // A redelivered CI result for a finished build changes nothing either.
  const run = ci.runs[0];
  if (run === undefined) throw new Error('no CI run');
  const redelivered = await ci.deliver(run.sha, 'test', 'failure', 1);
  t.equal(redelivered.status, 202);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal((await api<QueueHistory>(server, fake, 'history')).entries[0]?.state, 'merged');
});

t.test('a push to a queued PR dequeues it; the PR behind it is rebuilt without it', async (t) => {
  const setup = await setUp(t);
  const { fake, ci } = setup;
  ci.held = true;
  const server = await serve(t, setup);
  await fake.addPullRequest({ files: { 'one.txt': '1\n' } });
  await fake.addPullRequest({ files: { 'two.txt': '2\n' } });
  await sendPullRequestEvent(server.url, fake, 1, 'labeled', { label: 'merge-queue' });
  await waitFor(
    '#1 building',
    async () => (await api<QueueDetail>(server, fake)).entries?.[0]?.state === 'building',
  );
  await sendPullRequestEvent(server.url, fake, 2, 'labeled', { label: 'merge-queue' });
  await waitFor(
    '#2 building on #1',
    async () => (await api<QueueDetail>(server, fake)).builds?.length === 2,
  );
  await fake.pushToPullRequest(1, { 'one.txt': 'changed\n' });
  await sendPullRequestEvent(server.url, fake, 1, 'synchronize');
  await waitFor(
    '#1 dequeued',
    async () => (await api<QueueDetail>(server, fake)).entries?.length === 1,
  );
  const detail = await api<QueueDetail>(server, fake);
  t.equal(detail.entries[0]?.pr, 2);
  ci.held = false;
  await waitFor('#2 merged', () => fake.pulls.get(2)?.merged === true);
  t.equal(fake.pulls.get(1)?.merged, false, 'the pushed PR did not merge');
  const files = await fake.git.listFiles('main');
  t.ok(files.includes('two.txt'));
  t.notOk(files.includes('one.txt'), "#1's old head never reached main");
  t.ok(fake.comments.some((c) => c.issue === 1 && /new commits were pushed/.test(c.body)));
  t.ok(
    fake.checkRuns.some((run) => run.name === 'Quantum Merge' && run.conclusion === 'cancelled'),
    "#1's check run says it left the queue",
  );
});

t.test('a worker killed mid-build and restarted carries the build on to the merge', async (t) => {
  const setup = await setUp(t);
  const { fake, ci } = setup;
  ci.held = true;
  const server = await serve(t, setup, ['--no-worker']);
  const worker = await startQuantumMerge(['worker'], setup.settings, setup.cwd);
  t.teardown(() => worker.stop('SIGKILL'));
  await fake.addPullRequest({ files: { 'w.txt': 'w\n' } });
  await sendPullRequestEvent(server.url, fake, 1, 'labeled', { label: 'merge-queue' });
  await waitFor(
    "the speculative build and #1's report",
    async () =>
      (await fake.git.git(['for-each-ref', 'refs/heads/velocity-mq/'])) !== '' &&
      fake.checkRuns.some((run) => run.name === 'Quantum Merge' && run.status === 'in_progress'),
  );
  // Past the end of the job that started the build (its last step is that report).
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(await worker.stop('SIGKILL'), 'SIGKILL', 'the worker is killed while CI runs');
  ci.held = false;
  await waitFor('CI reported', () => ci.runs.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(fake.pulls.get(1)?.merged, false, 'no worker, no merge yet');
  const restarted = await startQuantumMerge(['worker'], setup.settings, setup.cwd);
  t.teardown(() => restarted.stop('SIGKILL'));
  await waitFor('#1 merged by the restarted worker', () => fake.pulls.get(1)?.merged === true);
  t.ok(ci.passed.has(await fake.branchSha('main')), 'main is exactly a tested commit');
  t.equal(await restarted.stop('SIGTERM'), 143, 'SIGTERM closes the worker gracefully');
});

t.test('a lost CI webhook: the result is read from GitHub on the next poll', async (t) => {
  const setup = await setUp(t, { CI_POLL_SECONDS: '1' });
  const { fake, ci } = setup;
  ci.silent = true;
  const server = await serve(t, setup);
  await fake.addPullRequest({ files: { 'p.txt': 'p\n' } });
  await sendPullRequestEvent(server.url, fake, 1, 'labeled', { label: 'merge-queue' });
  await waitFor('CI ran without telling', () => ci.runs.length === 1);
  await waitFor('#1 merged after a poll', () => fake.pulls.get(1)?.merged === true, 10_000);
  t.ok(ci.passed.has(await fake.branchSha('main')), 'main is exactly a tested commit');
});

t.test('a failing batch is bisected: the good PRs merge, the bad one is rejected', async (t) => {
  const setup = await setUp(t, { STRATEGY: 'batch', BATCH_SIZE: '4', CONCURRENCY: '1' });
  const { fake, ci } = setup;
  ci.held = true;
  const server = await serve(t, setup);
  for (const n of [1, 2, 3, 4]) {
    await fake.addPullRequest({
      files: { [`b${n}.txt`]: `${n}\n`, ...(n === 3 ? { BROKEN: 'x\n' } : {}) },
    });
  }
  await sendPullRequestEvent(server.url, fake, 1, 'labeled', { label: 'merge-queue' });
  await waitFor(
    '#1 building alone',
    async () => (await api<QueueDetail>(server, fake)).builds?.length === 1,
  );
  for (const n of [2, 3, 4])
    await sendPullRequestEvent(server.url, fake, n, 'labeled', { label: 'merge-queue' });
  await waitFor(
    '2, 3, 4 waiting',
    async () => (await api<QueueDetail>(server, fake)).entries?.length === 4,
  );
  ci.held = false;
  await waitFor(
    '1, 2, 4 merged',
    () => [1, 2, 4].every((n) => fake.pulls.get(n)?.merged === true),
    30_000,
  );
  const states = async () =>
    ((await api<QueueHistory>(server, fake, 'history')).entries as { pr: number; state: string }[])
      .map((entry) => `${entry.pr}:${entry.state}`)
      .sort()
      .join();
  await waitFor(
    'the history',
    async () => (await states()) === '1:merged,2:merged,3:failed,4:merged',
  );
  const history = await api<QueueHistory>(server, fake, 'history');
  const builds = [...history.builds].reverse();
  const batch = builds.find((build) => build.targets.length === 3);
  t.match(
    batch,
    { decided: 'bisect', state: 'failed' },
    'the batch of 2, 3, 4 failed and was split',
  );
  t.ok(builds.some((build) => build.decided === 'reject' && build.targets.join() === '3'));
  for (const sha of baseMoves(fake)) t.ok(ci.passed.has(sha), 'main only moved to tested commits');
  t.notOk((await fake.git.listFiles('main')).includes('BROKEN'));
});

t.test(
  'a PR without the required approval is refused with the reason, then enters once approved',
  async (t) => {
    const setup = await setUp(t, { REQUIRED_APPROVALS: '1' });
    const { fake } = setup;
    const server = await serve(t, setup);
    await fake.addPullRequest({ files: { 'r.txt': 'r\n' } });
    await sendPullRequestEvent(server.url, fake, 1, 'labeled', { label: 'merge-queue' });
    await waitFor('the refusal comment', () =>
      fake.comments.some((c) => c.issue === 1 && /needs 1 more approving review/.test(c.body)),
    );
    t.equal(
      (await fetch(`${server.url}/api/queue?repo=${encodeURIComponent(fake.fullName)}&base=main`))
        .status,
      404,
      'no queue was made',
    );
    fake.permissions.set('outsider', 'read');
    const outsider = await sendComment(server.url, fake, 1, '/merge priority high', 'outsider');
    t.equal(outsider.status, 202);
    await waitFor('the refusal of a read-only commenter', () =>
      fake.comments.some(
        (c) => c.issue === 1 && /@outsider: `\/merge` commands need write access/.test(c.body),
      ),
    );
    await fake.addReview(1, { user: 'reviewer', state: 'APPROVED' });
    const command = await sendComment(server.url, fake, 1, '/merge', 'reviewer');
    t.equal(command.status, 202);
    await waitFor('#1 merged', () => fake.pulls.get(1)?.merged === true);
  },
);

t.test(
  'self-hosted: the local executor runs the build command on commits a local clone made and pushed',
  async (t) => {
    const setup = await setUp(t);
    const { fake } = setup;
    Object.assign(setup.settings, {
      EXECUTOR: 'local',
      SPECULATIVE_COMMITS: 'git',
      MERGE_METHOD: 'squash',
      BUILD_COMMAND: JSON.stringify(['sh', '-c', 'test ! -e BROKEN']),
      CLONE_URL: fake.git.gitDir,
      REQUIRED_CHECKS: '',
    });
    const server = await serve(t, setup);
    await fake.addPullRequest({ files: { 'l1.txt': '1\n' } });
    await fake.addPullRequest({ files: { 'l2.txt': '2\n', BROKEN: 'x\n' } });
    await fake.addPullRequest({ files: { 'l3.txt': '3\n' } });
    for (const n of [1, 2, 3]) {
      await sendPullRequestEvent(server.url, fake, n, 'labeled', { label: 'merge-queue' });
    }
    const states = async () =>
      ((await api<Partial<QueueHistory>>(server, fake, 'history')).entries ?? [])
        .map((entry) => `${entry.pr}:${entry.state}`)
        .sort()
        .join();
    await waitFor(
      '1 and 3 merged, 2 failed',
      async () => (await states()) === '1:merged,2:failed,3:merged',
    );
    const files = await fake.git.listFiles('main');
    t.ok(files.includes('l1.txt') && files.includes('l3.txt'));
    t.notOk(files.includes('BROKEN'));
    const parents = await fake.git.git(['rev-list', '--parents', '-n', '2', 'main']);
    for (const line of parents.split('\n')) {
      t.equal(line.split(' ').length, 2, 'squash: every queue commit on main has one parent');
    }
    t.equal(
      await fake.git.git(['for-each-ref', 'refs/heads/velocity-mq/']),
      '',
      'no speculative branch left behind',
    );
    t.ok(fake.comments.some((c) => c.issue === 2 && /failed/.test(c.body)));
    await waitFor('the squashed PRs closed', () =>
      [1, 3].every((n) => fake.pulls.get(n)?.state === 'closed'),
    );
    for (const n of [1, 3]) {
      t.ok(
        fake.comments.some(
          (c) => c.issue === n && /Merged by Quantum Merge as [0-9a-f]{40}/.test(c.body),
        ),
        `#${n} closed with the commit it landed as`,
      );
    }
    t.equal(fake.pulls.get(2)?.state, 'open', 'the failed PR stays open');
  },
);
