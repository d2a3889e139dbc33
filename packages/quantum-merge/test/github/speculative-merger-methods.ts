import { Octokit } from '@octokit/rest';
import t from 'tap';
import type { Test } from 'tap';
import {
  GitHubApiError,
  HeadNotFastForwardError,
  MergeMethodUnsupportedError,
  SpeculativeMergeConflictError,
} from '../../src/github/errors.js';
import { GitHubSpeculativeMerger } from '../../src/github/speculative-merger.js';
import type { MergeMethod } from '../../src/merge/speculative-merger.js';
import type { QueueId } from '../../src/scheduler/types.js';
import { startFakeGitHub } from '../helpers/fake-github/index.js';

const noop = (): void => {};
// Octokit logs every failed request to the console; the assertions check them instead.
const log = { debug: noop, info: noop, warn: noop, error: noop };

async function setup(t: Test, mergeMethod?: MergeMethod) {
  const fake = await startFakeGitHub({
    initialFiles: { 'README.md': '# widgets\n', 'shared.txt': 'v1\n' },
  });
  t.teardown(() => fake.close());
  const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url, log });
  const merger = new GitHubSpeculativeMerger({
    octokit,
    repo: fake.fullName,
    ...(mergeMethod === undefined ? {} : { mergeMethod }),
  });
  const queue: QueueId = { repo: fake.fullName, base: 'main' };
  return { fake, octokit, merger, queue, base: await fake.branchSha('main') };
}

t.test('the merge method defaults to merge', async (t) => {
  const { merger } = await setup(t);
  t.equal(merger.mergeMethod, 'merge');
});

t.test('squash: one single-parent commit per PR with the merged tree', async (t) => {
  const { fake, octokit, merger, queue, base } = await setup(t, 'squash');
  t.equal(merger.mergeMethod, 'squash');
  const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' }, title: 'Add a' });
  const pr2 = await fake.addPullRequest({ files: { 'b.txt': '2\n' } });
  const heads = [
    { pr: pr1.number, headSha: pr1.headSha, title: 'Add a' },
    { pr: pr2.number, headSha: pr2.headSha },
  ];

  const result = await merger.createSpeculativeRef(queue, 'b1', base, heads);
  t.equal(result.ref, 'velocity-mq/main/b1');
  t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), result.sha);
  const log = await fake.git.git(['log', '--format=%H %P|%s', `${base}..${result.sha}`]);
  const [second = '', first = ''] = log.split('\n');
  const [firstSha = ''] = first.split(' ');
  t.equal(second, `${result.sha} ${firstSha}|PR #${pr2.number} (#${pr2.number})`);
  t.equal(first, `${firstSha} ${base}|Add a (#${pr1.number})`);
  t.notOk(await fake.git.isAncestor(pr1.headSha, result.sha), 'no PR commit is in the history');
  t.notOk(await fake.git.isAncestor(pr2.headSha, result.sha));

  const merging = new GitHubSpeculativeMerger({ octokit, repo: fake.fullName });
  const merged = await merging.createSpeculativeRef(queue, 'b2', base, heads);
  t.equal(
    await fake.git.git(['rev-parse', `${result.sha}^{tree}`]),
    await fake.git.git(['rev-parse', `${merged.sha}^{tree}`]),
    'the same tree as merge commits',
  );
  t.strictSame(await fake.git.listFiles(result.sha), ['README.md', 'a.txt', 'b.txt', 'shared.txt']);

  const again = await merger.createSpeculativeRef(queue, 'b1', base, heads);
  t.equal(
    await fake.git.git(['rev-parse', `${again.sha}^{tree}`]),
    await fake.git.git(['rev-parse', `${result.sha}^{tree}`]),
    'a retried build has the same tree',
  );
  t.match(fake.requestsTo('POST', /\/git\/commits$/), [
    { body: { tree: String, parents: [base], message: `Add a (#${pr1.number})` }, status: 201 },
    { body: { parents: [firstSha] }, status: 201 },
    { status: 201 },
    { status: 201 },
  ]);
});

t.test(
  'squash: a head already in the tip adds no commit; a conflict deletes the ref',
  async (t) => {
    const { fake, merger, queue, base } = await setup(t, 'squash');
    const none = await merger.createSpeculativeRef(queue, 'b0', base, [{ pr: 9, headSha: base }]);
    t.equal(none.sha, base);
    t.equal(fake.requestsTo('POST', /\/git\/commits$/).length, 0);

    const pr1 = await fake.addPullRequest({ files: { 'shared.txt': 'one\n' } });
    const pr2 = await fake.addPullRequest({ files: { 'shared.txt': 'two\n' } });
    const error = await merger
      .createSpeculativeRef(queue, 'b1', base, [
        { pr: pr1.number, headSha: pr1.headSha },
        { pr: pr2.number, headSha: pr2.headSha },
      ])
      .catch((e: unknown) => e);
    t.type(error, SpeculativeMergeConflictError);
    t.match(error, { pr: pr2.number, headSha: pr2.headSha });
    t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), undefined);
    t.equal(await fake.branchSha('main'), base);
  },
);

t.test('fast-forward: the ref moves to heads that descend from the tip', async (t) => {
  const { fake, merger, queue, base } = await setup(t, 'fast-forward');
  const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  await fake.commitToBranch('stacked', {}, 'branch off PR 1', pr1.headSha);
  const pr2 = await fake.addPullRequest({ files: { 'b.txt': '2\n' }, headRef: 'stacked' });
  t.ok(await fake.git.isAncestor(pr1.headSha, pr2.headSha));

  const result = await merger.createSpeculativeRef(queue, 'b1', base, [
    { pr: pr1.number, headSha: pr1.headSha },
    { pr: pr2.number, headSha: pr2.headSha },
    { pr: pr1.number, headSha: pr1.headSha },
  ]);
  t.strictSame(
    result,
    { ref: 'velocity-mq/main/b1', sha: pr2.headSha },
    'the tip is the head itself',
  );
  t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), pr2.headSha);
  t.equal(fake.requestsTo('GET', /\/compare\//).length, 3);
  t.equal(fake.requestsTo('POST', /\/merges$/).length, 0);

  await merger.fastForwardBase(queue, result.sha);
  await merger.fastForwardBase(queue, result.sha);
  t.equal(await fake.branchSha('main'), pr2.headSha, 'moving to the same commit again succeeds');
  t.match(await merger.getPullRequest(pr1.number), { state: 'closed', merged: true });
  t.match(await merger.getPullRequest(pr2.number), { state: 'closed', merged: true });

  const none = await merger.createSpeculativeRef(queue, 'b2', pr2.headSha, []);
  t.strictSame(none, { ref: 'velocity-mq/main/b2', sha: pr2.headSha });
});

t.test('fast-forward: a head that does not descend from the tip is refused', async (t) => {
  const { fake, merger, queue, base } = await setup(t, 'fast-forward');
  const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  const pr2 = await fake.addPullRequest({ files: { 'b.txt': '2\n' } });
  const error = await merger
    .createSpeculativeRef(queue, 'b1', base, [
      { pr: pr1.number, headSha: pr1.headSha },
      { pr: pr2.number, headSha: pr2.headSha },
    ])
    .catch((e: unknown) => e);
  t.type(error, HeadNotFastForwardError);
  t.match(error, {
    code: 'QM_HEAD_NOT_FAST_FORWARD',
    pr: pr2.number,
    headSha: pr2.headSha,
    ref: 'velocity-mq/main/b1',
  });
  t.match((error as Error).message, `Rebase it on "main"`);
  t.equal(await fake.git.readRef('refs/heads/velocity-mq/main/b1'), undefined, 'ref deleted');

  const unknown = await merger
    .createSpeculativeRef(queue, 'b2', base, [{ pr: 7, headSha: 'f'.repeat(40) }])
    .catch((e: unknown) => e);
  t.type(unknown, GitHubApiError);
  t.match(unknown, { status: 404 });
});

t.test('rebase cannot be done through the REST API', async (t) => {
  const { fake, octokit } = await setup(t);
  const error = t.throws(
    () => new GitHubSpeculativeMerger({ octokit, repo: fake.fullName, mergeMethod: 'rebase' }),
  );
  t.type(error, MergeMethodUnsupportedError);
  t.match(error, { code: 'QM_MERGE_METHOD_UNSUPPORTED', exitCode: 2, mergeMethod: 'rebase' });
  t.match((error as Error).message, 'Set quantumMerge.speculativeCommits: git');
});

t.test('baseSha reads the tip of the base branch', async (t) => {
  const { fake, merger, queue, base } = await setup(t);
  t.equal(await merger.baseSha(queue), base);
  const moved = await fake.commitToBranch('main', { 'c.txt': 'c\n' }, 'push');
  t.equal(await merger.baseSha(queue), moved);
  await t.rejects(merger.baseSha({ ...queue, base: 'nope' }), {
    code: 'QM_GITHUB_API',
    status: 404,
    operation: 'read branch "nope"',
  });
  await t.rejects(merger.baseSha({ repo: 'other/repo', base: 'main' }), {
    code: 'QM_REPOSITORY_MISMATCH',
  });
});

t.test('closeAsMerged comments the merged commit and closes the PR', async (t) => {
  const { fake, merger, queue, base } = await setup(t, 'squash');
  const pr = await fake.addPullRequest({
    files: { 'a.txt': '1\n' },
    title: 'Add a',
    author: 'bob',
  });
  const { sha } = await merger.createSpeculativeRef(queue, 'b1', base, [
    { pr: pr.number, headSha: pr.headSha, title: 'Add a' },
  ]);
  await merger.fastForwardBase(queue, sha);
  t.match(await merger.getPullRequest(pr.number), { state: 'open', merged: false });

  await merger.closeAsMerged(pr.number, sha);
  t.match(fake.comments, [{ issue: pr.number, body: `Merged by Quantum Merge as ${sha}` }]);
  t.match(await merger.getPullRequest(pr.number), {
    title: 'Add a',
    author: 'bob',
    state: 'closed',
    merged: false,
  });
  t.match(fake.requestsTo('PATCH', /\/pulls\/\d+$/), [{ body: { state: 'closed' }, status: 200 }]);
  await t.rejects(merger.closeAsMerged(999, sha), { code: 'QM_GITHUB_API', status: 404 });
});

t.test('closeAsMerged reports a failed close', async (t) => {
  const { fake } = await setup(t);
  const pr = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  const merger = new GitHubSpeculativeMerger({
    octokit: new Octokit({
      auth: 'test-token',
      baseUrl: fake.url,
      log,
      request: { fetch: failPatch },
    }),
    repo: fake.fullName,
  });
  await t.rejects(merger.closeAsMerged(pr.number, pr.headSha), {
    code: 'QM_GITHUB_API',
    operation: `close pull request #${pr.number}`,
  });
  t.equal(fake.pulls.get(pr.number)?.state, 'open');
});

/** Forwards every request except PATCH, which fails as if the network dropped. */
function failPatch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (init?.method === 'PATCH') return Promise.reject(new TypeError('fetch failed'));
  return fetch(input, init);
}

t.test('labels are added once and removing a missing one is not an error', async (t) => {
  const { fake, merger } = await setup(t);
  const pr = await fake.addPullRequest({ files: { 'a.txt': '1\n' }, labels: ['bug'] });
  await merger.addLabel(pr.number, 'merge-queue');
  await merger.addLabel(pr.number, 'merge-queue');
  t.strictSame((await merger.getPullRequest(pr.number)).labels, ['bug', 'merge-queue']);
  t.equal(await merger.removeLabel(pr.number, 'merge-queue'), true);
  t.equal(await merger.removeLabel(pr.number, 'merge-queue'), false);
  t.strictSame((await merger.getPullRequest(pr.number)).labels, ['bug']);
  await t.rejects(merger.removeLabel(999, 'bug'), { code: 'QM_GITHUB_API', status: 404 });
  await t.rejects(merger.addLabel(999, 'bug'), { code: 'QM_GITHUB_API', status: 404 });
});
