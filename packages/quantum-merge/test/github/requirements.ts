import { Octokit } from '@octokit/rest';
import t from 'tap';
import type { Test } from 'tap';
import { GitHubApiError } from '../../src/github/errors.js';
import { checkPullRequestRequirements, readCheckStates } from '../../src/github/requirements.js';
import { startFakeGitHub } from '../helpers/fake-github/index.js';

const noop = (): void => {};
// Octokit logs every failed request to the console; the assertions check them instead.
const log = { debug: noop, info: noop, warn: noop, error: noop };

async function setup(t: Test) {
  const fake = await startFakeGitHub();
  t.teardown(() => fake.close());
  const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url, log });
  const pr = await fake.addPullRequest({ files: { 'a.txt': 'a\n' } });
  const target = { number: pr.number, headSha: pr.headSha };
  const check = (requiredApprovals: number, requiredChecks: readonly string[] = []) =>
    checkPullRequestRequirements(octokit, fake.fullName, target, {
      requiredApprovals,
      requiredChecks,
    });
  return { fake, octokit, pr, short: pr.headSha.slice(0, 7), check };
}

t.test('approving reviews are counted once per user', async (t) => {
  const { fake, pr, check } = await setup(t);
  t.strictSame(await check(0), { ok: true });
  t.strictSame(await check(1), { ok: false, reasons: ['needs 1 more approving review'] });
  await fake.addReview(pr.number, { user: 'alice', state: 'APPROVED' });
  await fake.addReview(pr.number, { user: 'alice', state: 'APPROVED' });
  t.strictSame(await check(1), { ok: true });
  t.strictSame(await check(3), { ok: false, reasons: ['needs 2 more approving reviews'] });
  await fake.addReview(pr.number, { user: 'bob', state: 'APPROVED' });
  t.strictSame(await check(2), { ok: true });
});

t.test("each user's latest decisive review wins; comments do not change it", async (t) => {
  const { fake, pr, check } = await setup(t);
  await fake.addReview(pr.number, { user: 'bob', state: 'CHANGES_REQUESTED' });
  await fake.addReview(pr.number, { user: 'alice', state: 'APPROVED' });
  t.strictSame(await check(1), { ok: false, reasons: ['changes requested by @bob'] });
  await fake.addReview(pr.number, { user: 'bob', state: 'COMMENTED' });
  await fake.addReview(pr.number, { user: 'bob', state: 'PENDING' });
  t.strictSame(
    await check(2),
    { ok: false, reasons: ['needs 1 more approving review', 'changes requested by @bob'] },
    'a comment after requesting changes still blocks',
  );
  await fake.addReview(pr.number, { user: 'bob', state: 'APPROVED' });
  t.strictSame(await check(2), { ok: true });
  await fake.addReview(pr.number, { user: 'alice', state: 'CHANGES_REQUESTED' });
  await fake.addReview(pr.number, { user: 'alice', state: 'COMMENTED' });
  t.strictSame(await check(1), { ok: false, reasons: ['changes requested by @alice'] });
});

t.test('a dismissed review no longer approves or blocks', async (t) => {
  const { fake, pr, check } = await setup(t);
  await fake.addReview(pr.number, { user: 'alice', state: 'APPROVED' });
  await fake.addReview(pr.number, { user: 'bob', state: 'CHANGES_REQUESTED' });
  await fake.addReview(pr.number, { user: 'alice', state: 'DISMISSED' });
  await fake.addReview(pr.number, { user: 'bob', state: 'DISMISSED' });
  t.strictSame(await check(1), { ok: false, reasons: ['needs 1 more approving review'] });
  t.strictSame(await check(0), { ok: true });
});

t.test('reviews are read across pages', async (t) => {
  const { fake, pr, check } = await setup(t);
  await fake.addReview(pr.number, { user: 'alice', state: 'APPROVED' });
  for (let i = 0; i < 100; i++) {
    await fake.addReview(pr.number, { user: 'carol', state: 'COMMENTED' });
  }
  await fake.addReview(pr.number, { user: 'alice', state: 'CHANGES_REQUESTED' });
  t.strictSame(await check(0), { ok: false, reasons: ['changes requested by @alice'] });
  t.equal(fake.requestsTo('GET', /\/pulls\/\d+\/reviews$/).length, 2);
});

t.test('required checks pass on check runs or commit statuses of the head', async (t) => {
  const { fake, pr, short, check } = await setup(t);
  const base = await fake.branchSha('main');
  await fake.addCheckRun(pr.headSha, { name: 'lint', conclusion: 'failure' });
  await fake.addCheckRun(pr.headSha, { name: 'deploy', status: 'in_progress' });
  await fake.addCheckRun(pr.headSha, { name: 'docs', conclusion: 'neutral' });
  await fake.addCheckRun(pr.headSha, { name: 'e2e', conclusion: 'skipped' });
  await fake.addCheckRun(base, { name: 'test', conclusion: 'success' });
  await fake.addStatus(pr.headSha, { context: 'build', state: 'success' });
  await fake.addStatus(pr.headSha, { context: 'license', state: 'pending' });
  const required = ['lint', 'build', 'test', 'deploy', 'docs', 'e2e', 'license'];
  t.strictSame(await check(0, required), {
    ok: false,
    reasons: [
      `check "lint" has not succeeded on ${short} (failure)`,
      `check "test" has not run on ${short}`,
      `check "deploy" has not succeeded on ${short} (in_progress)`,
      `check "license" has not succeeded on ${short} (pending)`,
    ],
  });

  // Re-runs: the latest run and the latest status of a name decide.
  await fake.addCheckRun(pr.headSha, { name: 'lint', conclusion: 'success' });
  await fake.addCheckRun(pr.headSha, { name: 'deploy', conclusion: 'success' });
  await fake.addCheckRun(pr.headSha, { name: 'docs', conclusion: 'failure' });
  await fake.addStatus(pr.headSha, { context: 'test', state: 'success' });
  await fake.addStatus(pr.headSha, { context: 'license', state: 'success' });
  await fake.addStatus(pr.headSha, { context: 'build', state: 'error' });
  t.strictSame(await check(0, required), {
    ok: false,
    reasons: [
      `check "build" has not succeeded on ${short} (error)`,
      `check "docs" has not succeeded on ${short} (failure)`,
    ],
  });
  await fake.addStatus(pr.headSha, { context: 'docs', state: 'success' });
  await fake.addStatus(pr.headSha, { context: 'build', state: 'success' });
  t.strictSame(await check(0, required), { ok: true }, 'a green status passes a red run');
});

t.test('without required checks no check is read', async (t) => {
  const { fake, check } = await setup(t);
  t.strictSame(await check(0, []), { ok: true });
  t.equal(fake.requestsTo('GET', /\/commits\//).length, 0);
});

t.test('unreadable check runs (403 or 404) leave the statuses to decide', async (t) => {
  const { fake, octokit, pr, short } = await setup(t);
  await fake.addCheckRun(pr.headSha, { name: 'lint', conclusion: 'success' });
  await fake.addStatus(pr.headSha, { context: 'build', state: 'success' });
  for (const mode of ['forbidden', 'not_found'] as const) {
    fake.checkRunsMode = mode;
    const debug: string[] = [];
    const result = await checkPullRequestRequirements(
      octokit,
      fake.fullName,
      { number: pr.number, headSha: pr.headSha },
      { requiredApprovals: 0, requiredChecks: ['build', 'lint'] },
      { logger: { debug: (message) => debug.push(message) } },
    );
    t.strictSame(result, { ok: false, reasons: [`check "lint" has not run on ${short}`] });
    t.match(debug, [/check runs unreadable \(HTTP 40[34]\)/]);
  }
  t.match(fake.requestsTo('GET', /\/check-runs$/), [{ status: 403 }, { status: 404 }]);
});

t.test('API failures are GitHubApiError', async (t) => {
  const { fake, octokit, pr } = await setup(t);
  const missing = await checkPullRequestRequirements(
    octokit,
    fake.fullName,
    { number: 999, headSha: pr.headSha },
    { requiredApprovals: 1, requiredChecks: [] },
  ).catch((e: unknown) => e);
  t.type(missing, GitHubApiError);
  t.match(missing, { code: 'QM_GITHUB_API', status: 404, operation: 'list reviews of #999' });

  const unknownSha = await checkPullRequestRequirements(
    octokit,
    fake.fullName,
    { number: pr.number, headSha: 'f'.repeat(40) },
    { requiredApprovals: 0, requiredChecks: ['lint'] },
  ).catch((e: unknown) => e);
  t.match(unknownSha, { code: 'QM_GITHUB_API', status: 422, operation: /list check runs/ });

  fake.checkRunsMode = 'forbidden';
  const noStatus = await checkPullRequestRequirements(
    octokit,
    fake.fullName,
    { number: pr.number, headSha: 'f'.repeat(40) },
    { requiredApprovals: 0, requiredChecks: ['lint'] },
  ).catch((e: unknown) => e);
  t.match(noStatus, { code: 'QM_GITHUB_API', status: 404, operation: /combined status/ });

  const badToken = new Octokit({ auth: 'nope', baseUrl: fake.url, log });
  await t.rejects(
    checkPullRequestRequirements(
      badToken,
      fake.fullName,
      { number: pr.number, headSha: pr.headSha },
      { requiredApprovals: 0, requiredChecks: ['lint'] },
    ),
    { code: 'QM_GITHUB_API', status: 401 },
  );
  await t.rejects(
    checkPullRequestRequirements(octokit, 'acme', pr, { requiredApprovals: 0, requiredChecks: [] }),
    { code: 'QM_REPOSITORY_MISMATCH' },
  );
});

t.test('commit statuses are read across pages', async (t) => {
  const { fake, pr, check } = await setup(t);
  for (let i = 0; i <= 100; i++) {
    await fake.addStatus(pr.headSha, { context: `ctx-${i}`, state: 'success' });
  }
  t.strictSame(await check(0, ['ctx-0', 'ctx-100']), { ok: true });
  t.equal(fake.requestsTo('GET', /\/status$/).length, 2);
});

t.test('readCheckStates: a verdict, what decided it and a link per check name', async (t) => {
  const { fake, octokit, pr } = await setup(t);
  const sha = pr.headSha;
  await fake.addCheckRun(sha, {
    name: 'lint',
    conclusion: 'failure',
    detailsUrl: 'https://ci.example/lint',
  });
  const queued = await fake.addCheckRun(sha, { name: 'test' });
  const cancelled = await fake.addCheckRun(sha, { name: 'cancelled', conclusion: 'cancelled' });
  await fake.addCheckRun(sha, { name: 'e2e', conclusion: 'failure' });
  await fake.addStatus(sha, {
    context: 'e2e',
    state: 'success',
    targetUrl: 'https://ci.example/e2e',
  });
  await fake.addStatus(sha, { context: 'lint', state: 'pending' });
  await fake.addStatus(sha, {
    context: 'build',
    state: 'success',
    targetUrl: 'https://ci.example/b',
  });
  await fake.addStatus(sha, { context: 'deploy', state: 'pending' });
  await fake.addStatus(sha, { context: 'license', state: 'error' });

  const states = await readCheckStates(octokit, fake.fullName, sha);
  t.strictSame(Object.fromEntries(states), {
    lint: { verdict: 'failed', detail: 'failure', url: 'https://ci.example/lint' },
    test: {
      verdict: 'pending',
      detail: 'queued',
      url: `https://github.com/acme/widgets/runs/${queued.id}`,
    },
    cancelled: {
      verdict: 'failed',
      detail: 'cancelled',
      url: `https://github.com/acme/widgets/runs/${cancelled.id}`,
    },
    e2e: { verdict: 'passed', detail: 'success', url: 'https://ci.example/e2e' },
    build: { verdict: 'passed', detail: 'success', url: 'https://ci.example/b' },
    deploy: { verdict: 'pending', detail: 'pending' },
    license: { verdict: 'failed', detail: 'error' },
  });
  await t.rejects(readCheckStates(octokit, 'acme', sha), { code: 'QM_REPOSITORY_MISMATCH' });
});
