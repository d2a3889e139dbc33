import { Octokit } from '@octokit/rest';
import t from 'tap';
import type { Test } from 'tap';
import { startFakeGitHub } from '../helpers/fake-github/index.js';

const noop = (): void => {};
// Octokit logs every failed request to the console; the assertions check them instead.
const log = { debug: noop, info: noop, warn: noop, error: noop };
const repo = { owner: 'acme', repo: 'widgets' };

async function setup(t: Test) {
  const fake = await startFakeGitHub({
    initialFiles: { 'README.md': '# widgets\n', 'shared.txt': 'v1\n' },
  });
  t.teardown(() => fake.close());
  const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url, log });
  return { fake, octokit };
}

t.test(
  'like GitHub, PRs whose head reaches their base through the API become merged',
  async (t) => {
    const { fake, octokit } = await setup(t);
    const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
    const pr2 = await fake.addPullRequest({ files: { 'b.txt': '2\n' } });
    await fake.commitToBranch('release', {}, 'release branch', await fake.branchSha('main'));
    const other = await fake.addPullRequest({ files: { 'c.txt': '3\n' }, base: 'release' });

    // A speculative ref holding PR 1 is not the base: nothing is merged yet.
    await octokit.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/velocity-mq/main/b1',
      sha: await fake.branchSha('main'),
    });
    const merge = await octokit.rest.repos.merge({
      ...repo,
      base: 'velocity-mq/main/b1',
      head: pr1.headSha,
    });
    t.equal(fake.pulls.get(pr1.number)?.merged, false);

    await octokit.rest.git.updateRef({ ...repo, ref: 'heads/main', sha: merge.data.sha });
    const { data: merged } = await octokit.rest.pulls.get({ ...repo, pull_number: pr1.number });
    t.match(merged, {
      state: 'closed',
      merged: true,
      merge_commit_sha: merge.data.sha,
      mergeable: null,
    });
    const { data: open } = await octokit.rest.pulls.get({ ...repo, pull_number: pr2.number });
    t.match(open, { state: 'open', merged: false, merge_commit_sha: null, mergeable: true });
    t.match(fake.pulls.get(other.number), { state: 'open', merged: false }, 'other base untouched');

    // The merges API moving the base directly merges too, and so does creating the base branch.
    const direct = await octokit.rest.repos.merge({
      ...repo,
      base: 'release',
      head: other.headSha,
    });
    t.match(fake.pulls.get(other.number), { merged: true, mergeCommitSha: direct.data.sha });
    await fake.commitToBranch('next', {}, 'next branch', await fake.branchSha('main'));
    const late = await fake.addPullRequest({ files: { 'd.txt': '4\n' }, base: 'next' });
    await octokit.rest.git.deleteRef({ ...repo, ref: 'heads/next' });
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/next', sha: late.headSha });
    t.match(fake.pulls.get(late.number), { state: 'closed', merged: true });
    t.match(fake.pulls.get(pr2.number), { state: 'open', merged: false });
  },
);

t.test('pulls: title, author, mergeable, PATCH and pushes', async (t) => {
  const { fake, octokit } = await setup(t);
  const pr = await fake.addPullRequest({
    files: { 'shared.txt': 'pr\n' },
    title: 'Change shared',
    author: 'bob',
  });
  await fake.commitToBranch('main', { 'shared.txt': 'main\n' }, 'conflicting push');
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
  t.match(data, { title: 'Change shared', user: { login: 'bob' }, mergeable: false });

  const pushed = await fake.pushToPullRequest(pr.number, { 'shared.txt': 'main\n' });
  t.not(pushed, pr.headSha);
  t.ok(await fake.git.isAncestor(pr.headSha, pushed));
  const { data: after } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
  t.match(after, { head: { sha: pushed } });

  const { data: renamed } = await octokit.rest.pulls.update({
    ...repo,
    pull_number: pr.number,
    title: 'Renamed',
    state: 'closed',
  });
  t.match(renamed, { title: 'Renamed', state: 'closed', merged: false });
  await octokit.rest.pulls.update({ ...repo, pull_number: pr.number, state: 'open' });
  t.equal(fake.pulls.get(pr.number)?.state, 'open', 'an unmerged PR can be reopened');
  const pull = fake.pulls.get(pr.number);
  if (pull !== undefined) pull.merged = true;
  await t.rejects(
    octokit.rest.pulls.update({ ...repo, pull_number: pr.number, state: 'open' }),
    { name: 'HttpError', status: 422 },
    'a merged PR cannot be reopened',
  );
  await t.rejects(fake.pushToPullRequest(999, {}), /no pull request #999/);
});

t.test('git commits: created from a tree and parents, and read back', async (t) => {
  const { fake, octokit } = await setup(t);
  const base = await fake.branchSha('main');
  const tree = await fake.git.git(['rev-parse', `${base}^{tree}`]);
  const { data: created } = await octokit.rest.git.createCommit({
    ...repo,
    message: 'Squashed (#1)',
    tree,
    parents: [base],
    author: { name: 'Bob', email: 'bob@example.com' },
  });
  t.match(created, {
    tree: { sha: tree },
    parents: [{ sha: base }],
    message: 'Squashed (#1)',
    author: { name: 'Bob', email: 'bob@example.com' },
  });
  t.equal(await fake.git.git(['rev-parse', `${created.sha}^`]), base);
  const { data: read } = await octokit.rest.git.getCommit({ ...repo, commit_sha: created.sha });
  t.match(read, { sha: created.sha, tree: { sha: tree }, parents: [{ sha: base }] });

  await t.rejects(
    octokit.rest.git.createCommit({ ...repo, message: 'x', tree: base, parents: [] }),
    { status: 422, message: /Tree SHA does not exist/ },
  );
  await t.rejects(octokit.rest.git.createCommit({ ...repo, message: 'x', tree, parents: [tree] }), {
    status: 422,
    message: /Parent SHA/,
  });
  await t.rejects(octokit.rest.git.getCommit({ ...repo, commit_sha: tree }), {
    name: 'HttpError',
    status: 404,
  });
});

t.test('compare reports ahead, behind, identical and diverged', async (t) => {
  const { fake, octokit } = await setup(t);
  const base = await fake.branchSha('main');
  const pr1 = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  const two = await fake.pushToPullRequest(pr1.number, { 'a.txt': '2\n' });
  const pr2 = await fake.addPullRequest({ files: { 'b.txt': '1\n' } });
  const compare = async (basehead: string) =>
    (await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead })).data;

  t.match(await compare(`${base}...${two}`), {
    status: 'ahead',
    ahead_by: 2,
    behind_by: 0,
    total_commits: 2,
    merge_base_commit: { sha: base },
    commits: [{ sha: pr1.headSha }, { sha: two }],
  });
  t.match(await compare(`${two}...main`), { status: 'behind', ahead_by: 0, behind_by: 2 });
  t.match(await compare(`main...${base}`), { status: 'identical', ahead_by: 0, behind_by: 0 });
  t.match(await compare(`${two}...${pr2.headSha}`), {
    status: 'diverged',
    ahead_by: 1,
    behind_by: 2,
  });
  await t.rejects(compare(`main...${'f'.repeat(40)}`), { name: 'HttpError', status: 404 });
});

t.test('reviews, check runs and combined statuses are listed with pagination', async (t) => {
  const { fake, octokit } = await setup(t);
  const pr = await fake.addPullRequest({ files: { 'a.txt': '1\n' } });
  for (let i = 0; i < 3; i++) await fake.addReview(pr.number, { user: `u${i}`, state: 'APPROVED' });
  const page = await octokit.rest.pulls.listReviews({
    ...repo,
    pull_number: pr.number,
    per_page: 2,
  });
  t.match(page.data, [{ user: { login: 'u0' }, state: 'APPROVED', commit_id: pr.headSha }, {}]);
  t.equal(page.data.length, 2);
  t.match(page.headers.link, /page=2.*rel="next"/);
  const all = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: pr.number,
    per_page: 2,
  });
  t.strictSame(
    all.map((review) => review.user?.login),
    ['u0', 'u1', 'u2'],
  );

  await fake.addCheckRun(pr.headSha, { name: 'lint', conclusion: 'success' });
  await fake.addCheckRun(pr.headSha, { name: 'test' });
  const { data: runs } = await octokit.rest.checks.listForRef({ ...repo, ref: pr.headSha });
  t.match(runs, {
    total_count: 2,
    check_runs: [
      { name: 'lint', status: 'completed', conclusion: 'success', head_sha: pr.headSha },
      { name: 'test', status: 'queued', conclusion: null },
    ],
  });
  const { data: named } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: pr.headRef,
    check_name: 'test',
  });
  t.equal(named.total_count, 1);

  const status = async () =>
    (await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: pr.headSha })).data;
  t.match(await status(), { state: 'pending', total_count: 0, statuses: [] });
  await fake.addStatus(pr.headSha, { context: 'ci', state: 'pending' });
  await fake.addStatus(pr.headSha, { context: 'ci', state: 'success' });
  t.match(await status(), { state: 'success', statuses: [{ context: 'ci', state: 'success' }] });
  await fake.addStatus(pr.headSha, { context: 'lint', state: 'error' });
  t.match(await status(), { state: 'failure', total_count: 2 });
});

t.test('labels: added without duplicates, a missing one answers 404', async (t) => {
  const { fake, octokit } = await setup(t);
  const pr = await fake.addPullRequest({ files: { 'a.txt': '1\n' }, labels: ['bug'] });
  const { data } = await octokit.rest.issues.addLabels({
    ...repo,
    issue_number: pr.number,
    labels: ['bug', 'merge-queue'],
  });
  t.strictSame(
    data.map((label) => label.name),
    ['bug', 'merge-queue'],
  );
  await octokit.rest.issues.removeLabel({ ...repo, issue_number: pr.number, name: 'bug' });
  t.strictSame(fake.pulls.get(pr.number)?.labels, ['merge-queue']);
  await t.rejects(
    octokit.rest.issues.removeLabel({ ...repo, issue_number: pr.number, name: 'bug' }),
    { status: 404, message: /Label does not exist/ },
  );
});
