import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { BaseRefNotFoundError, GitHubEventError, HeadRefNotFoundError } from '../../src/errors.js';
import { resolveRange } from '../../src/git/resolve-range.js';
import { cloneRepo, createRepo, type TestRepo } from './helpers/repo.js';

/**
 * A repository with `main` (or `branch`) at M2 and branch `feature` forked from it at M1 with one
 * commit F1; `feature` is checked out.
 */
async function forkedRepo(root: string, branch = 'main') {
  const repo = await createRepo(root, branch);
  const m1 = await repo.git('rev-parse', 'HEAD');
  await repo.git('checkout', '-q', '-b', 'feature');
  await writeFile(join(repo.root, 'feature.ts'), 'f');
  const f1 = await repo.commit('F1');
  await repo.git('checkout', '-q', branch);
  await writeFile(join(repo.root, 'main.ts'), 'm');
  const m2 = await repo.commit('M2');
  await repo.git('checkout', '-q', 'feature');
  return { repo, m1, m2, f1 };
}

/**
 * Clones `origin` with every branch and checks out `feature`; `origin/HEAD` points at the branch
 * checked out in `origin`, which is `defaultBranch`.
 */
async function clone(
  origin: TestRepo,
  root: string,
  defaultBranch = 'main',
  args: readonly string[] = [],
) {
  await origin.git('checkout', '-q', defaultBranch);
  return cloneRepo(origin, root, ['--no-single-branch', '-b', 'feature', ...args]);
}

t.test('by default the base is the merge base with main', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m1, f1 } = await forkedRepo(join(dir, 'repo'));
  t.strictSame(await resolveRange({ root: repo.root, env: repo.env }), {
    base: m1,
    head: f1,
    baseRef: 'main',
    source: 'default-branch',
  });
});

t.test("the default branch is origin/HEAD's target when there is one", async (t) => {
  const dir = t.testdir({ origin: {} });
  const { repo: origin, m1, f1 } = await forkedRepo(join(dir, 'origin'), 'trunk');
  const repo = await clone(origin, join(dir, 'clone'), 'trunk');
  t.equal(await repo.git('symbolic-ref', 'refs/remotes/origin/HEAD'), 'refs/remotes/origin/trunk');
  t.strictSame(await resolveRange({ root: repo.root, env: repo.env }), {
    base: m1,
    head: f1,
    baseRef: 'origin/trunk',
    source: 'default-branch',
  });
});

t.test('without origin/HEAD, origin/main comes before a local main', async (t) => {
  const dir = t.testdir({ origin: {} });
  const { repo: origin, m1 } = await forkedRepo(join(dir, 'origin'));
  const repo = await clone(origin, join(dir, 'clone'));
  await repo.git('remote', 'set-head', 'origin', '--delete');
  // A local main far from the fork point, to tell the two apart.
  await repo.git('branch', 'main', 'origin/feature');
  const range = await resolveRange({ root: repo.root, env: repo.env });
  t.equal(range.baseRef, 'origin/main');
  t.equal(range.base, m1);
});

t.test('master is found when there is no main', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m1 } = await forkedRepo(join(dir, 'repo'), 'master');
  const range = await resolveRange({ root: repo.root, env: repo.env });
  t.equal(range.baseRef, 'master');
  t.equal(range.base, m1);
});

t.test('baseBranch replaces the built-in default branch names', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m1 } = await forkedRepo(join(dir, 'repo'), 'develop');
  await repo.git('branch', 'main', 'feature'); // would be picked without baseBranch
  const range = await resolveRange({ root: repo.root, env: repo.env, baseBranch: 'develop' });
  t.strictSame([range.baseRef, range.base], ['develop', m1]);
  const missing = await resolveRange({ root: repo.root, env: repo.env, baseBranch: 'nope' }).catch(
    (e: unknown) => e,
  );
  t.type(missing, BaseRefNotFoundError);
  t.match(missing, { ref: 'origin/nope', shallow: false, problem: 'missing' });
});

t.test('no default branch at all throws BaseRefNotFoundError', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'), 'trunk');
  const error = await resolveRange({ root: repo.root, env: repo.env }).catch((e: unknown) => e);
  t.type(error, BaseRefNotFoundError);
  t.equal(
    (error as Error).message,
    'Base ref "origin/main" not found. Fetch it (git fetch origin main) or pass --base.',
  );
});

t.test('--base is used as given, not as a merge base', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m2, f1 } = await forkedRepo(join(dir, 'repo'));
  t.strictSame(await resolveRange({ root: repo.root, env: repo.env, base: 'main' }), {
    base: m2,
    head: f1,
    baseRef: 'main',
    source: 'flag',
  });
});

t.test('--head picks the head commit', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m1, m2 } = await forkedRepo(join(dir, 'repo'));
  const range = await resolveRange({ root: repo.root, env: repo.env, base: m1, head: 'main' });
  t.strictSame([range.base, range.head], [m1, m2]);
});

t.test('a missing --base throws BaseRefNotFoundError that says how to fetch it', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo } = await forkedRepo(join(dir, 'repo'));
  const error = await resolveRange({
    root: repo.root,
    env: repo.env,
    base: 'origin/release',
  }).catch((e: unknown) => e);
  t.type(error, BaseRefNotFoundError);
  t.match(error, { code: 'DEPCI_BASE_REF_NOT_FOUND', ref: 'origin/release', shallow: false });
  t.equal(
    (error as Error).message,
    'Base ref "origin/release" not found. Fetch it (git fetch origin release) or pass --base.',
  );
});

t.test('a ref that looks like an option is not read as one', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo } = await forkedRepo(join(dir, 'repo'));
  await t.rejects(
    resolveRange({ root: repo.root, env: repo.env, base: '--all' }),
    BaseRefNotFoundError,
  );
});

t.test('a missing --head throws HeadRefNotFoundError', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo } = await forkedRepo(join(dir, 'repo'));
  const error = await resolveRange({ root: repo.root, env: repo.env, head: 'nope' }).catch(
    (e: unknown) => e,
  );
  t.type(error, HeadRefNotFoundError);
  t.equal(
    (error as Error).message,
    'Head ref "nope" not found. Check --head, or fetch it (git fetch origin nope).',
  );
});

t.test('in a shallow clone a missing base says so and how to deepen', async (t) => {
  const dir = t.testdir({ origin: {} });
  const { repo: origin, m1 } = await forkedRepo(join(dir, 'origin'));
  const repo = await clone(origin, join(dir, 'clone'), 'main', ['--depth', '1']);
  const error = await resolveRange({ root: repo.root, env: repo.env, base: m1 }).catch(
    (e: unknown) => e,
  );
  t.type(error, BaseRefNotFoundError);
  t.match(error, { shallow: true, problem: 'missing' });
  t.equal(
    (error as Error).message,
    `Base ref "${m1}" not found in this shallow clone. Fetch full history (actions/checkout with fetch-depth: 0) or deepen it (git fetch --deepen=50 origin ${m1}), or pass --base.`,
  );
});

t.test('in a shallow clone a missing merge base says so', async (t) => {
  const dir = t.testdir({ origin: {} });
  const { repo: origin } = await forkedRepo(join(dir, 'origin'));
  const repo = await clone(origin, join(dir, 'clone'), 'main', ['--depth', '1']);
  const error = await resolveRange({ root: repo.root, env: repo.env }).catch((e: unknown) => e);
  t.type(error, BaseRefNotFoundError);
  t.match(error, { ref: 'origin/main', shallow: true, problem: 'no-merge-base' });
  t.equal(
    (error as Error).message,
    'No merge base of "origin/main" and "HEAD" in this shallow clone. Fetch full history (actions/checkout with fetch-depth: 0) or deepen it (git fetch --deepen=50 origin main), or pass --base.',
  );
});

t.test('unrelated histories have no merge base', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  await repo.git('checkout', '-q', '--orphan', 'island');
  await repo.commit('island');
  const error = await resolveRange({ root: repo.root, env: repo.env }).catch((e: unknown) => e);
  t.type(error, BaseRefNotFoundError);
  t.match(error, { ref: 'main', shallow: false, problem: 'no-merge-base' });
  t.match(
    (error as Error).message,
    /^No merge base of "main" and "HEAD": their histories are unrelated\./,
  );
});

t.test(
  'a GitHub pull request compares with the merge base of origin/<GITHUB_BASE_REF>',
  async (t) => {
    const dir = t.testdir({ origin: {} });
    const { repo: origin, m1, f1 } = await forkedRepo(join(dir, 'origin'), 'trunk');
    await origin.git('branch', 'release', 'trunk');
    const repo = await clone(origin, join(dir, 'clone'), 'trunk');
    const env = { ...repo.env, GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'release' };
    t.strictSame(await resolveRange({ root: repo.root, env }), {
      base: m1,
      head: f1,
      baseRef: 'origin/release',
      source: 'github-pr',
    });
  },
);

t.test('a GitHub pull request falls back to the local <GITHUB_BASE_REF>', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, m1 } = await forkedRepo(join(dir, 'repo'));
  const env = { ...repo.env, GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'main' };
  const range = await resolveRange({ root: repo.root, env });
  t.strictSame([range.base, range.baseRef, range.source], [m1, 'main', 'github-pr']);
});

t.test('GITHUB_BASE_REF outside GitHub Actions is ignored', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo } = await forkedRepo(join(dir, 'repo'));
  const env = { ...repo.env, GITHUB_BASE_REF: 'nope' };
  t.equal((await resolveRange({ root: repo.root, env })).source, 'default-branch');
});

t.test("a GitHub push compares with the event's before commit", async (t) => {
  const dir = t.testdir({ repo: {}, 'event.json': '' });
  const { repo, m2 } = await forkedRepo(join(dir, 'repo'));
  const eventPath = join(dir, 'event.json');
  await writeFile(eventPath, JSON.stringify({ before: m2, after: 'x' }));
  const env = {
    ...repo.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
  };
  const range = await resolveRange({ root: repo.root, env });
  t.strictSame([range.base, range.baseRef, range.source], [m2, m2, 'github-push']);
});

t.test("a GitHub merge queue build compares with the event's merge_group.base_sha", async (t) => {
  const dir = t.testdir({ repo: {}, 'event.json': '' });
  const { repo, m1 } = await forkedRepo(join(dir, 'repo'));
  const eventPath = join(dir, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({ action: 'checks_requested', merge_group: { base_sha: m1, head_sha: 'x' } }),
  );
  const env = {
    ...repo.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'merge_group',
    GITHUB_EVENT_PATH: eventPath,
  };
  const range = await resolveRange({ root: repo.root, env });
  t.strictSame([range.base, range.baseRef, range.source], [m1, m1, 'github-merge-group']);
  await writeFile(eventPath, JSON.stringify({ merge_group: {} }));
  await t.rejects(resolveRange({ root: repo.root, env }), {
    name: 'GitHubEventError',
    message: /no "merge_group.base_sha" commit sha/,
  });
});

t.test('a GitHub push of a new branch (before is all zeros) uses the default branch', async (t) => {
  const dir = t.testdir({ repo: {}, 'event.json': JSON.stringify({ before: '0'.repeat(40) }) });
  const { repo, m1 } = await forkedRepo(join(dir, 'repo'));
  const env = {
    ...repo.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  };
  const range = await resolveRange({ root: repo.root, env });
  t.strictSame([range.base, range.source], [m1, 'default-branch']);
});

t.test('a GitHub push whose before commit was not fetched says the clone is shallow', async (t) => {
  const dir = t.testdir({ origin: {}, 'event.json': '' });
  const { repo: origin, m1 } = await forkedRepo(join(dir, 'origin'));
  const repo = await clone(origin, join(dir, 'clone'), 'main', ['--depth', '1']);
  await writeFile(join(dir, 'event.json'), JSON.stringify({ before: m1 }));
  const env = {
    ...repo.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  };
  const error = await resolveRange({ root: repo.root, env }).catch((e: unknown) => e);
  t.type(error, BaseRefNotFoundError);
  t.match(error, { ref: m1, shallow: true });
});

t.test('an unusable GitHub push event file throws GitHubEventError', async (t) => {
  const dir = t.testdir({
    repo: {},
    'bad-json.json': '{',
    'no-before.json': JSON.stringify({ after: 'x' }),
    'not-sha.json': JSON.stringify({ before: 'main' }),
  });
  const { repo } = await forkedRepo(join(dir, 'repo'));
  const cases = [
    ['bad-json.json', 'not valid JSON'],
    ['no-before.json', 'no "before" commit sha'],
    ['not-sha.json', 'no "before" commit sha'],
    ['missing.json', 'ENOENT'],
  ] as const;
  for (const [file, problem] of cases) {
    const path = join(dir, file);
    const env = {
      ...repo.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: path,
    };
    const error = await resolveRange({ root: repo.root, env }).catch((e: unknown) => e);
    t.type(error, GitHubEventError, file);
    t.equal(
      (error as Error).message,
      `GitHub event file "${path}" is unusable (${problem}). Pass --base to choose the base commit yourself.`,
    );
  }
});
