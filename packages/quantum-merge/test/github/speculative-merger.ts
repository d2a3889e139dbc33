import { Octokit } from '@octokit/rest';
import t from 'tap';
import type { Test } from 'tap';
import {
  BaseNotFastForwardError,
  GitHubApiError,
  SpeculativeMergeConflictError,
} from '../../src/github/errors.js';
import { GitHubSpeculativeMerger } from '../../src/github/speculative-merger.js';
import type { QueueId } from '../../src/scheduler/types.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github/index.js';

const TOKEN = 'ghs_fake_installation_token';
const noop = (): void => {};
// Octokit logs every failed request to the console; the assertions check them instead.
const log = { debug: noop, info: noop, warn: noop, error: noop };

async function setup(t: Test, token = TOKEN) {
  const fake = await startFakeGitHub({
    token: TOKEN,
    initialFiles: { 'README.md': '# widgets\n', 'shared.txt': 'v1\n' },
  });
  t.teardown(() => fake.close());
  const octokit = new Octokit({ auth: token, baseUrl: fake.url, request: { retries: 0 }, log });
  const merger = new GitHubSpeculativeMerger({ octokit, repo: fake.fullName });
  const queue: QueueId = { repo: fake.fullName, base: 'main' };
  return { fake, merger, queue };
}

function baseSha(fake: FakeGitHub): Promise<string> {
  return fake.branchSha('main');
}

t.test(
  'a speculative ref of base + 2 PRs holds both PRs and the base fast-forwards to it',
  async (t) => {
    const { fake, merger, queue } = await setup(t);
    const base = await baseSha(fake);
    const pr1 = await fake.addPullRequest({ files: { 'a.txt': 'from pr 1\n' } });
    const pr2 = await fake.addPullRequest({ files: { 'b.txt': 'from pr 2\n' } });

    const result = await merger.createSpeculativeRef(queue, 'b1', base, [
      { pr: pr1.number, headSha: pr1.headSha },
      { pr: pr2.number, headSha: pr2.headSha },
    ]);

    t.equal(result.ref, 'velocity-mq/main/b1');
    t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), result.sha);
    t.strictSame(await fake.git.listFiles(result.sha), [
      'README.md',
      'a.txt',
      'b.txt',
      'shared.txt',
    ]);
    t.ok(await fake.git.isAncestor(pr1.headSha, result.sha), 'PR 1 head is in the tested commit');
    t.ok(await fake.git.isAncestor(pr2.headSha, result.sha), 'PR 2 head is in the tested commit');
    t.equal(await baseSha(fake), base, 'the base did not move while building');
    t.equal(fake.requestsTo('POST', /\/merges$/).length, 2);

    const before = await fake.git.git(['rev-list', '--all', '--count']);
    await merger.fastForwardBase(queue, result.sha);
    t.equal(
      await fake.git.git(['rev-parse', 'refs/heads/main']),
      result.sha,
      'base is exactly the tested commit',
    );
    t.equal(
      await fake.git.git(['rev-list', '--all', '--count']),
      before,
      'no new commit was created',
    );
    const patch = fake.requestsTo('PATCH', /\/git\/refs\/heads\/main$/);
    t.match(patch, [{ body: { sha: result.sha, force: false }, status: 200 }]);

    t.equal(await merger.deleteSpeculativeRef(queue, 'b1'), true);
    t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), undefined);
    t.equal(await merger.deleteSpeculativeRef(queue, 'b1'), false, 'deleting twice is harmless');
  },
);

t.test(
  'creating an existing speculative ref resets it to the base first (retried job)',
  async (t) => {
    const { fake, merger, queue } = await setup(t);
    const base = await baseSha(fake);
    const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
    const pr2 = await fake.addPullRequest({ files: { 'b.txt': '2\n' } });
    await merger.createSpeculativeRef(queue, 'b1', base, [
      { pr: pr1.number, headSha: pr1.headSha },
    ]);
    const again = await merger.createSpeculativeRef(queue, 'b1', base, [
      { pr: pr2.number, headSha: pr2.headSha },
    ]);
    t.strictSame(await fake.git.listFiles(again.sha), ['README.md', 'b.txt', 'shared.txt']);
  },
);

t.test('a head already in the base adds no commit', async (t) => {
  const { fake, merger, queue } = await setup(t);
  const base = await baseSha(fake);
  const result = await merger.createSpeculativeRef(queue, 'b0', base, [{ pr: 9, headSha: base }]);
  t.equal(result.sha, base);
  t.match(fake.requestsTo('POST', /\/merges$/), [{ status: 204 }]);
});

t.test('a conflicting PR is a typed error naming it; the base is unchanged', async (t) => {
  const { fake, merger, queue } = await setup(t);
  const base = await baseSha(fake);
  const pr1 = await fake.addPullRequest({ files: { 'shared.txt': 'pr 1 says this\n' } });
  const pr2 = await fake.addPullRequest({ files: { 'shared.txt': 'pr 2 says that\n' } });

  const error = await merger
    .createSpeculativeRef(queue, 'b2', base, [
      { pr: pr1.number, headSha: pr1.headSha },
      { pr: pr2.number, headSha: pr2.headSha },
    ])
    .catch((e: unknown) => e);
  t.type(error, SpeculativeMergeConflictError);
  t.match(error, { code: 'QM_SPECULATIVE_MERGE_CONFLICT', pr: pr2.number, headSha: pr2.headSha });
  t.match((error as Error).message, `"#${pr2.number}"`);
  t.equal(await baseSha(fake), base, 'base unchanged');
  t.equal(
    await fake.git.readRef('refs/heads/velocity-mq/main/b2'),
    undefined,
    'the speculative ref was deleted',
  );
});

t.test('a fast-forward to a non-descendant is refused and the base is unchanged', async (t) => {
  const { fake, merger, queue } = await setup(t);
  const base = await baseSha(fake);
  const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  const { sha: tested } = await merger.createSpeculativeRef(queue, 'b3', base, [
    { pr: pr1.number, headSha: pr1.headSha },
  ]);
  // Someone pushes to main meanwhile: the tested commit no longer descends from the tip.
  const moved = await fake.commitToBranch('main', { 'hotfix.txt': 'fix\n' }, 'hotfix');

  const error = await merger.fastForwardBase(queue, tested).catch((e: unknown) => e);
  t.type(error, BaseNotFastForwardError);
  t.match(error, { code: 'QM_BASE_NOT_FAST_FORWARD', base: 'main', testedSha: tested });
  t.equal(await fake.git.git(['rev-parse', 'refs/heads/main']), moved, 'base unchanged');
});

t.test('a wrong token fails with 401 and the message holds no token', async (t) => {
  const { fake, merger, queue } = await setup(t, 'ghs_wrong_token');
  const base = await baseSha(fake);
  const error = await merger.createSpeculativeRef(queue, 'b4', base, []).catch((e: unknown) => e);
  t.type(error, GitHubApiError);
  t.match(error, { code: 'QM_GITHUB_API', status: 401 });
  t.notMatch((error as Error).message, 'ghs_');
  t.match(fake.requests, [{ method: 'POST', path: '/repos/acme/widgets/git/refs', status: 401 }]);
  t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b4'), undefined);

  const direct = new Octokit({ auth: 'nope', baseUrl: fake.url, request: { retries: 0 }, log });
  const raw = await direct.rest.pulls
    .get({ owner: 'acme', repo: 'widgets', pull_number: 1 })
    .catch((e: unknown) => e);
  t.match(raw, { status: 401, message: /Bad credentials/ });
});

t.test(
  'reportStatus writes and updates a check run, then falls back to commit statuses',
  async (t) => {
    const { fake, merger } = await setup(t);
    const sha = await baseSha(fake);
    const first = await merger.reportStatus(sha, 'queued', 'Position 2 in the merge queue');
    const second = await merger.reportStatus(
      sha,
      'failure',
      'Build b1 failed',
      'https://ci.example/b1',
    );
    t.equal(first.kind, 'check_run');
    t.strictSame(second, first, 'the same check run is updated');
    t.match(fake.checkRuns, [
      {
        name: 'Quantum Merge',
        head_sha: sha,
        status: 'completed',
        conclusion: 'failure',
        details_url: 'https://ci.example/b1',
        output: { title: 'Build b1 failed' },
      },
    ]);

    const other = new GitHubSpeculativeMerger({
      octokit: new Octokit({ auth: TOKEN, baseUrl: fake.url, request: { retries: 0 }, log }),
      repo: fake.fullName,
    });
    fake.checkRunsMode = 'forbidden';
    const fallback = await other.reportStatus(sha, 'in_progress', 'x'.repeat(200));
    const cancelled = await other.reportStatus(sha, 'cancelled', 'Dequeued');
    t.equal(fallback.kind, 'status');
    t.equal(cancelled.kind, 'status');
    t.equal(
      fake.requestsTo('POST', /\/check-runs$/).length,
      2,
      'check runs are not retried after a 403',
    );
    t.match(fake.statuses, [
      { sha, state: 'pending', context: 'Quantum Merge' },
      { sha, state: 'error', description: 'Dequeued' },
    ]);
    t.equal(fake.statuses[0]?.description?.length, 140);
  },
);

t.test('comment and getPullRequest', async (t) => {
  const { fake, merger } = await setup(t);
  const pr = await fake.addPullRequest({ files: { 'c.txt': 'c\n' }, labels: ['merge-queue'] });
  const comment = await merger.comment(pr.number, 'Cannot enter the queue: 1 approval required.');
  t.match(comment, { id: Number, url: /issuecomment/ });
  t.match(fake.comments, [
    { issue: pr.number, body: 'Cannot enter the queue: 1 approval required.' },
  ]);
  t.strictSame(await merger.getPullRequest(pr.number), {
    number: pr.number,
    title: `PR #${pr.number}`,
    author: 'octocat',
    state: 'open',
    merged: false,
    headSha: pr.headSha,
    base: 'main',
    labels: ['merge-queue'],
  });
  await t.rejects(merger.getPullRequest(999), { code: 'QM_GITHUB_API', status: 404 });
  t.match(await merger.comment(999, 'x').catch((e: unknown) => e), { status: 404 });
});

t.test('a queue of another repository is refused', async (t) => {
  const { merger } = await setup(t);
  await t.rejects(merger.fastForwardBase({ repo: 'other/repo', base: 'main' }, 'a'.repeat(40)), {
    code: 'QM_REPOSITORY_MISMATCH',
  });
});
