import { realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { GitError, GitNotFoundError, NotAGitRepositoryError } from '../../src/errors.js';
import {
  findRepositoryRoot,
  isInNodeModules,
  isShallow,
  readWorkTree,
} from '../../src/git/repository.js';
import { cloneRepo, createRepo, gitEnv } from './helpers/repo.js';

t.test('findRepositoryRoot returns the work tree root from a subdirectory', async (t) => {
  const dir = t.testdir({ repo: { src: { deep: { 'a.ts': '' } } } });
  const repo = await createRepo(join(dir, 'repo'));
  const root = await findRepositoryRoot(join(repo.root, 'src', 'deep'), { env: repo.env });
  t.equal(root, await realpath(repo.root));
});

t.test('findRepositoryRoot outside any repository throws NotAGitRepositoryError', async (t) => {
  const dir = t.testdir({ plain: {} });
  const cwd = join(dir, 'plain');
  const error = await findRepositoryRoot(cwd, { env: gitEnv(cwd) }).catch((e: unknown) => e);
  t.type(error, NotAGitRepositoryError);
  t.match(error, { code: 'DEPCI_NOT_A_GIT_REPOSITORY', cwd });
});

t.test(
  'findRepositoryRoot in a directory that does not exist throws NotAGitRepositoryError',
  async (t) => {
    const dir = t.testdir({});
    const cwd = join(dir, 'missing');
    await t.rejects(findRepositoryRoot(cwd, { env: gitEnv(dir) }), NotAGitRepositoryError);
  },
);

t.test('findRepositoryRoot reports other git failures as GitError', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  // Inside .git there is a repository but no work tree.
  const error = await findRepositoryRoot(join(repo.root, '.git'), { env: repo.env }).catch(
    (e: unknown) => e,
  );
  t.type(error, GitError);
  t.match(error, {
    code: 'DEPCI_GIT_FAILED',
    exitStatus: 128,
    message: /git rev-parse --show-toplevel/,
  });
});

t.test('a missing git executable throws GitNotFoundError', async (t) => {
  const dir = t.testdir({});
  const error = await findRepositoryRoot(dir, { env: { PATH: join(dir, 'no-bin') } }).catch(
    (e: unknown) => e,
  );
  t.type(error, GitNotFoundError);
  t.equal((error as Error).message, 'Command "git" not found. Install git and put it on PATH.');
});

t.test('an aborted signal stops git with an AbortError', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  await t.rejects(readWorkTree(repo.root, { env: repo.env, signal: AbortSignal.abort() }), {
    name: 'AbortError',
  });
});

t.test('isShallow tells a shallow clone from a full one', async (t) => {
  const dir = t.testdir({ origin: { 'a.txt': 'a' } });
  const origin = await createRepo(join(dir, 'origin'));
  await writeFile(join(origin.root, 'a.txt'), 'b');
  await origin.commit('second');
  const shallow = await cloneRepo(origin, join(dir, 'shallow'), ['--depth', '1']);
  t.equal(await isShallow(shallow.root, { env: shallow.env }), true);
  t.equal(await isShallow(origin.root, { env: origin.env }), false);
});

t.test('readWorkTree lists tracked and untracked files, not ignored or deleted ones', async (t) => {
  const dir = t.testdir({
    repo: {
      '.gitignore': 'dist/\n*.log\n',
      'tracked.ts': '',
      'deleted.ts': '',
      src: { 'b.ts': '', 'a.ts': '' },
    },
  });
  const repo = await createRepo(join(dir, 'repo'));
  await rm(join(repo.root, 'deleted.ts'));
  await writeFile(join(repo.root, 'untracked.ts'), '');
  await writeFile(join(repo.root, 'debug.log'), '');
  await repo.git('init', '-q', 'dist'); // ignored, and never walked
  t.strictSame((await readWorkTree(repo.root, { env: repo.env })).files, [
    '.gitignore',
    'src/a.ts',
    'src/b.ts',
    'tracked.ts',
    'untracked.ts',
  ]);
});

t.test('readWorkTree keeps unusual names exactly: spaces, Unicode, newlines, quotes', async (t) => {
  const tracked = ['with space.ts', 'new\nline.ts', 'tab\there.ts', 'quote"s.ts', '-dash.ts'];
  const dir = t.testdir({ repo: { ünïcødé: {} } });
  const repo = await createRepo(join(dir, 'repo'));
  for (const name of tracked) await writeFile(join(repo.root, name), '');
  await repo.commit('odd names');
  await writeFile(join(repo.root, 'ünïcødé', '日本.ts'), ''); // untracked
  t.strictSame(
    (await readWorkTree(repo.root, { env: repo.env })).files,
    [...tracked, 'ünïcødé/日本.ts'].sort(),
  );
});

t.test('readWorkTree drops node_modules even when it is not ignored', async (t) => {
  const dir = t.testdir({
    repo: {
      node_modules: { x: { 'index.js': '' } },
      packages: { a: { node_modules: { y: { 'index.js': '' } }, 'index.ts': '' } },
      'node_modules.ts': '',
    },
  });
  const repo = await createRepo(join(dir, 'repo'));
  t.strictSame((await readWorkTree(repo.root, { env: repo.env })).files, [
    'node_modules.ts',
    'packages/a/index.ts',
  ]);
});

t.test('readWorkTree lists a conflicted path once', async (t) => {
  const dir = t.testdir({ repo: { 'a.ts': 'base' } });
  const repo = await createRepo(join(dir, 'repo'));
  await repo.git('checkout', '-q', '-b', 'other');
  await writeFile(join(repo.root, 'a.ts'), 'other');
  await repo.commit('other');
  await repo.git('checkout', '-q', 'main');
  await writeFile(join(repo.root, 'a.ts'), 'main');
  await repo.commit('main');
  await t.rejects(repo.git('merge', '-q', 'other'));
  t.equal((await repo.git('ls-files', '-s')).split('\n').length, 3, 'three index stages');
  t.strictSame((await readWorkTree(repo.root, { env: repo.env })).files, ['a.ts']);
});

t.test("readWorkTree outside a repository throws GitError with git's message", async (t) => {
  const dir = t.testdir({ plain: {} });
  const cwd = join(dir, 'plain');
  const error = await readWorkTree(cwd, { env: gitEnv(cwd) }).catch((e: unknown) => e);
  t.type(error, GitError);
  t.match(
    (error as Error).message,
    /^Command "git ls-files .*" exited with 128: fatal: not a git repository/,
  );
});

t.test(
  'isInNodeModules matches a node_modules segment at any depth, and nothing else',
  async (t) => {
    t.equal(isInNodeModules('node_modules/a.js'), true);
    t.equal(isInNodeModules('a/node_modules/b/c.js'), true);
    t.equal(isInNodeModules('node_modules.js'), false);
    t.equal(isInNodeModules('a/my_node_modules/b.js'), false);
    t.equal(isInNodeModules('a/node_modules'), false);
  },
);
