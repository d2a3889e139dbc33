import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { GitError } from '../../src/errors.js';
import { changedFiles, changedPaths, parseNameStatus } from '../../src/git/changed-files.js';
import { createRepo, type TestRepo } from './helpers/repo.js';

/** A repository whose first commit holds `files`; returns it with that commit's sha. */
async function repoWith(root: string): Promise<{ repo: TestRepo; base: string }> {
  const repo = await createRepo(root);
  return { repo, base: await repo.git('rev-parse', 'HEAD') };
}

const LONG = 'export const value = "a line long enough for rename detection to compare";\n'.repeat(
  5,
);

t.test('committed changes between base and head, with their status', async (t) => {
  const dir = t.testdir({
    repo: {
      'modified.ts': 'a',
      'deleted.ts': 'a',
      'old-name.ts': LONG,
      'type.ts': 'a',
      'same.ts': 'a',
    },
  });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  await writeFile(join(repo.root, 'modified.ts'), 'b');
  await rm(join(repo.root, 'deleted.ts'));
  await writeFile(join(repo.root, 'added.ts'), 'new');
  await rm(join(repo.root, 'old-name.ts'));
  await mkdir(join(repo.root, 'src'));
  await writeFile(join(repo.root, 'src', 'new-name.ts'), LONG);
  await rm(join(repo.root, 'type.ts'));
  await symlink('same.ts', join(repo.root, 'type.ts'));
  const head = await repo.commit('change');
  t.strictSame(await changedFiles({ root: repo.root, base, head, env: repo.env }), [
    { path: 'added.ts', status: 'added' },
    { path: 'deleted.ts', status: 'deleted' },
    { path: 'modified.ts', status: 'modified' },
    { path: 'src/new-name.ts', status: 'renamed', oldPath: 'old-name.ts' },
    { path: 'type.ts', status: 'type-changed' },
  ]);
});

t.test('a rename reports the old path as well as the new one', async (t) => {
  const dir = t.testdir({ repo: { 'a.ts': LONG, 'c.ts': LONG + 'c' } });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  await repo.git('mv', 'a.ts', 'b.ts');
  await writeFile(join(repo.root, 'c-copy.ts'), LONG + 'c');
  const head = await repo.commit('rename');
  const changes = await changedFiles({ root: repo.root, base, head, env: repo.env });
  t.strictSame(changes, [
    { path: 'b.ts', status: 'renamed', oldPath: 'a.ts' },
    { path: 'c-copy.ts', status: 'added' },
  ]);
  t.strictSame(changedPaths(changes), ['a.ts', 'b.ts', 'c-copy.ts']);
});

t.test('paths with spaces, Unicode, quotes and newlines come back exactly', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  const names = [
    'a b.ts',
    'ünï/日本語.ts',
    'quo"te.ts',
    'new\nline.ts',
    'tab\t.ts',
    'back\\slash.ts',
  ];
  await mkdir(join(repo.root, 'ünï'));
  for (const name of names) await writeFile(join(repo.root, name), 'x');
  const head = await repo.commit('odd names');
  const changes = await changedFiles({ root: repo.root, base, head, env: repo.env });
  t.strictSame(
    changes.map((change) => change.path),
    [...names].sort(),
  );
  t.ok(changes.every((change) => change.status === 'added'));
});

t.test('the base is used as given: changes on both sides of a fork are listed', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo } = await repoWith(join(dir, 'repo'));
  await repo.git('checkout', '-q', '-b', 'feature');
  await writeFile(join(repo.root, 'feature.ts'), 'f');
  const head = await repo.commit('feature');
  await repo.git('checkout', '-q', 'main');
  await writeFile(join(repo.root, 'main.ts'), 'm');
  const base = await repo.commit('main');
  const changes = await changedFiles({ root: repo.root, base, head, env: repo.env });
  t.strictSame(changes, [
    { path: 'feature.ts', status: 'added' },
    { path: 'main.ts', status: 'deleted' },
  ]);
});

t.test('uncommitted changes are left out unless asked for', async (t) => {
  const dir = t.testdir({ repo: { 'a.ts': 'a' } });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  await writeFile(join(repo.root, 'a.ts'), 'changed');
  await writeFile(join(repo.root, 'untracked.ts'), 'u');
  t.strictSame(await changedFiles({ root: repo.root, base, head: base, env: repo.env }), []);
});

t.test('includeUncommitted adds staged, unstaged and untracked changes', async (t) => {
  const dir = t.testdir({
    repo: {
      '.gitignore': 'ignored.ts\n',
      'staged.ts': 'a',
      'unstaged.ts': 'a',
      'gone.ts': 'a',
      'moved.ts': LONG,
    },
  });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  await writeFile(join(repo.root, 'staged.ts'), 'b');
  await repo.git('add', 'staged.ts');
  await writeFile(join(repo.root, 'unstaged.ts'), 'b');
  await rm(join(repo.root, 'gone.ts'));
  await repo.git('mv', 'moved.ts', 'moved-here.ts');
  await writeFile(join(repo.root, 'untracked new.ts'), 'u');
  await writeFile(join(repo.root, 'ignored.ts'), 'i');
  await mkdir(join(repo.root, 'node_modules', 'x'), { recursive: true });
  await writeFile(join(repo.root, 'node_modules', 'x', 'index.js'), '');
  const changes = await changedFiles({
    root: repo.root,
    base,
    head: base,
    includeUncommitted: true,
    env: repo.env,
  });
  t.strictSame(changes, [
    { path: 'gone.ts', status: 'deleted' },
    { path: 'moved-here.ts', status: 'renamed', oldPath: 'moved.ts' },
    { path: 'staged.ts', status: 'modified' },
    { path: 'unstaged.ts', status: 'modified' },
    { path: 'untracked new.ts', status: 'added' },
  ]);
});

t.test(
  'merging: a later status wins, but modified keeps an earlier added or renamed',
  async (t) => {
    const dir = t.testdir({ repo: { 'keep.ts': 'a', 'old.ts': LONG } });
    const { repo, base } = await repoWith(join(dir, 'repo'));
    await writeFile(join(repo.root, 'added.ts'), 'a');
    await repo.git('mv', 'old.ts', 'renamed.ts');
    await writeFile(join(repo.root, 'doomed.ts'), 'a');
    const head = await repo.commit('committed');
    await writeFile(join(repo.root, 'added.ts'), 'edited');
    await writeFile(join(repo.root, 'renamed.ts'), LONG + 'edited');
    await rm(join(repo.root, 'doomed.ts'));
    await rm(join(repo.root, 'keep.ts'));
    await symlink('added.ts', join(repo.root, 'keep.ts'));
    const changes = await changedFiles({
      root: repo.root,
      base,
      head,
      includeUncommitted: true,
      env: repo.env,
    });
    t.strictSame(changes, [
      { path: 'added.ts', status: 'added' },
      { path: 'doomed.ts', status: 'deleted' },
      { path: 'keep.ts', status: 'type-changed' },
      { path: 'renamed.ts', status: 'renamed', oldPath: 'old.ts' },
    ]);
  },
);

t.test('a base that names no commit throws GitError', async (t) => {
  const dir = t.testdir({ repo: {} });
  const { repo, base } = await repoWith(join(dir, 'repo'));
  const error = await changedFiles({
    root: repo.root,
    base: 'nope',
    head: base,
    env: repo.env,
  }).catch((e: unknown) => e);
  t.type(error, GitError);
  t.match(error, {
    exitStatus: 128,
    message: /^Command "git diff .*nope.*" exited with 128: fatal: /,
  });
});

t.test('parseNameStatus reads copies, unmerged paths and unknown letters', async (t) => {
  const output = [
    'C075',
    'src.ts',
    'copy.ts',
    'U',
    'conflict.ts',
    'X',
    'odd.ts',
    'M',
    'm.ts',
    '',
  ].join('\0');
  t.strictSame(parseNameStatus(output), [
    { path: 'copy.ts', status: 'copied', oldPath: 'src.ts' },
    { path: 'conflict.ts', status: 'modified' },
    { path: 'odd.ts', status: 'modified' },
    { path: 'm.ts', status: 'modified' },
  ]);
  t.strictSame(parseNameStatus(''), []);
});
