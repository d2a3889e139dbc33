import { join } from 'node:path';
import t from 'tap';
import { GitError } from '../../src/errors.js';
import { git, splitNul, tryGit } from '../../src/git/exec-git.js';
import { createRepo } from './helpers/repo.js';

t.test('splitNul splits NUL-terminated fields and keeps every other byte', async (t) => {
  t.strictSame(splitNul(''), []);
  t.strictSame(splitNul('a\0'), ['a']);
  t.strictSame(splitNul('a b\0new\nline\0\0'), ['a b', 'new\nline', '']);
  t.strictSame(splitNul('no terminator'), ['no terminator']);
});

t.test('tryGit returns a failing exit code with stderr instead of throwing', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  const output = await tryGit(['rev-parse', '--verify', 'nope'], repo.root, { env: repo.env });
  t.equal(output.exitCode, 128);
  t.match(output.stderr, /fatal: /);
});

t.test('git throws GitError on a failing exit code', async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  await t.rejects(git(['rev-parse', '--verify', 'nope'], repo.root, { env: repo.env }), GitError);
});

t.test('git never C-quotes paths and reads UTF-8 output', async (t) => {
  const dir = t.testdir({ repo: { 'ä ö.txt': '' } });
  const repo = await createRepo(join(dir, 'repo'));
  // Without core.quotepath=off this would print "\303\244 \303\266.txt" in quotes.
  t.equal(await git(['ls-files'], repo.root, { env: repo.env }), 'ä ö.txt\n');
});

t.test("without env, git inherits this process's environment", async (t) => {
  const dir = t.testdir({ repo: {} });
  const repo = await createRepo(join(dir, 'repo'));
  t.equal(await git(['rev-parse', '--is-inside-work-tree'], repo.root), 'true\n');
});
