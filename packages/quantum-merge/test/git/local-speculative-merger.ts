import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import {
  BaseNotFastForwardError,
  HeadNotFastForwardError,
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
} from '../../src/github/errors.js';
import { BranchNotFoundError, CommitNotFoundError } from '../../src/git/errors.js';
import { LocalClone } from '../../src/git/local-clone.js';
import { LocalGitSpeculativeMerger } from '../../src/git/local-speculative-merger.js';
import type { MergeMethod, SpeculativeHead } from '../../src/merge/speculative-merger.js';
import type { QueueId } from '../../src/scheduler/types.js';
import { GitRepo, type FileMap } from '../helpers/fake-github/git-repo.js';

const REPO = 'acme/widgets';
const queue: QueueId = { repo: REPO, base: 'main' };

/** A bare "remote" with `main` at one commit, and a merger with its own clone of it. */
async function setup(t: Test, mergeMethod: MergeMethod = 'merge') {
  const remote = await GitRepo.create('main');
  t.teardown(() => remote.destroy());
  const base = await remote.commitFiles(
    { 'README.md': '# widgets\n', 'shared.txt': 'v1\n' },
    'base',
  );
  await remote.setRef('refs/heads/main', base);
  const clone = new LocalClone({ workDir: t.testdir(), remote: remote.gitDir });
  const merger = new LocalGitSpeculativeMerger({ clone, repo: REPO, mergeMethod });
  let prs = 0;
  /** A PR of one commit per entry of `commits` on `parent`, published as `refs/pull/<n>/head`. */
  const addPr = async (
    commits: readonly FileMap[],
    parent: string = base,
  ): Promise<SpeculativeHead & { commits: string[] }> => {
    const pr = ++prs;
    const shas: string[] = [];
    let tip = parent;
    for (const [index, files] of commits.entries()) {
      tip = await remote.commitFiles(files, `pr ${pr} commit ${index + 1}`, [tip]);
      shas.push(tip);
    }
    await remote.setRef(`refs/pull/${pr}/head`, tip);
    return { pr, headSha: tip, title: `Change ${pr}`, commits: shas };
  };
  return { remote, base, clone, merger, addPr };
}

async function parentsOf(remote: GitRepo, sha: string): Promise<string[]> {
  return (await remote.git(['rev-list', '--parents', '-n', '1', sha])).split(' ').slice(1);
}

async function treeOf(remote: GitRepo, sha: string): Promise<string> {
  return remote.git(['rev-parse', `${sha}^{tree}`]);
}

async function show(remote: GitRepo, format: string, sha: string): Promise<string> {
  return remote.git(['show', '-s', `--format=${format}`, sha]);
}

t.test('merge: one merge commit per PR, pushed as the speculative ref', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'merge');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  const pr2 = await addPr([{ 'b.txt': 'b\n' }]);

  const untitled = { pr: pr2.pr, headSha: pr2.headSha };

  const result = await merger.createSpeculativeRef(queue, 'b1', base, [pr1, untitled]);

  t.strictSame(result, { ref: 'velocity-mq/main/b1', sha: result.sha });
  t.equal(await show(remote, '%B', result.sha), 'Merge pull request #2');
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), result.sha);
  const [first, second, ...more] = await parentsOf(remote, result.sha);
  t.equal(second, pr2.headSha, 'the second parent of the top merge is PR 2');
  t.strictSame(more, []);
  t.strictSame(await parentsOf(remote, first as string), [base, pr1.headSha]);
  t.strictSame(await remote.listFiles(result.sha), ['README.md', 'a.txt', 'b.txt', 'shared.txt']);
  t.equal(await show(remote, '%s%n%n%b', first as string), 'Merge pull request #1\n\nChange 1');
  t.equal(
    await show(remote, '%an|%cn|%ce', result.sha),
    'Quantum Merge|Quantum Merge|quantum-merge@users.noreply.github.com',
  );
  t.equal(await remote.readRef('refs/heads/main'), base, 'the base did not move');
});

t.test('squash: one single-parent commit per PR, authored by the PR author', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'squash');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }, { 'a.txt': 'a2\n', 'c.txt': 'c\n' }]);
  const pr2 = await addPr([{ 'b.txt': 'b\n' }]);
  const untitled = { pr: pr2.pr, headSha: pr2.headSha };

  const result = await merger.createSpeculativeRef(queue, 'b1', base, [pr1, untitled]);

  const [squash1, ...others] = await parentsOf(remote, result.sha);
  t.strictSame(others, []);
  t.strictSame(await parentsOf(remote, squash1 as string), [base]);
  t.strictSame(await remote.listFiles(squash1 as string), [
    'README.md',
    'a.txt',
    'c.txt',
    'shared.txt',
  ]);
  t.equal(await remote.git(['show', `${result.sha}:a.txt`]), 'a2');
  t.strictSame(await remote.listFiles(result.sha), [
    'README.md',
    'a.txt',
    'b.txt',
    'c.txt',
    'shared.txt',
  ]);
  t.equal(await show(remote, '%B', squash1 as string), 'Change 1 (#1)');
  t.equal(await show(remote, '%B', result.sha), 'PR #2 (#2)');
  t.equal(
    await show(remote, '%an <%ae>|%cn', result.sha),
    'Fake Author <author@example.com>|Quantum Merge',
  );
});

t.test('rebase: the PR commits replayed on the tip, authors and messages kept', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'rebase');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }, { 'a.txt': 'a2\n' }]);
  // Built on PR 1 (a stacked PR): PR 1's commits are already on the tip once replayed.
  const pr2 = await addPr([{ 'b.txt': 'b\n' }], pr1.headSha);
  // Based on an older base: main moved since.
  const newBase = await remote.commitFiles({ 'later.txt': 'later\n' }, 'later on main', [base]);
  await remote.setRef('refs/heads/main', newBase);

  const result = await merger.createSpeculativeRef(queue, 'b1', newBase, [pr1, pr2]);

  const commits = (await remote.git(['rev-list', '--reverse', `${newBase}..${result.sha}`])).split(
    '\n',
  );
  t.equal(commits.length, 3, 'two commits of PR 1, one of PR 2 (its copy of PR 1 is skipped)');
  t.strictSame(await Promise.all(commits.map((sha) => show(remote, '%s|%an|%cn', sha))), [
    'pr 1 commit 1|Fake Author|Quantum Merge',
    'pr 1 commit 2|Fake Author|Quantum Merge',
    'pr 2 commit 1|Fake Author|Quantum Merge',
  ]);
  t.equal(await remote.git(['rev-list', '--merges', `${newBase}..${result.sha}`]), '', 'linear');
  t.strictSame(await parentsOf(remote, commits[0] as string), [newBase]);
  t.notOk(await remote.isAncestor(pr1.headSha, result.sha), 'the PR commits were rewritten');
  t.strictSame(await remote.listFiles(result.sha), [
    'README.md',
    'a.txt',
    'b.txt',
    'later.txt',
    'shared.txt',
  ]);
  t.equal(await remote.git(['show', `${result.sha}:a.txt`]), 'a2');
});

t.test('rebase: a failure other than a conflict is a GitCommandError', async (t) => {
  const { remote, base, clone, merger, addPr } = await setup(t, 'rebase');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  const newBase = await remote.commitFiles({ 'later.txt': 'later\n' }, 'later on main', [base]);
  await remote.setRef('refs/heads/main', newBase);
  await merger.baseSha(queue);
  const hook = join(clone.gitDir, 'hooks', 'pre-rebase');
  await writeFile(hook, '#!/bin/sh\necho "rebasing is disabled here" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  await t.rejects(merger.createSpeculativeRef(queue, 'b1', newBase, [pr1]), {
    name: 'GitCommandError',
    stderr: /rebasing is disabled here/,
  });
  t.strictSame(await readdir(join(clone.gitDir, '..', 'tmp')), [], 'the worktree is removed');
});

t.test('fast-forward: the PR heads themselves, when each descends from the tip', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'fast-forward');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  const pr2 = await addPr([{ 'b.txt': 'b\n' }], pr1.headSha);
  const before = await remote.git(['count-objects', '-v']);

  const result = await merger.createSpeculativeRef(queue, 'b1', base, [pr1, pr2]);
  t.equal(result.sha, pr2.headSha);
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), pr2.headSha);
  t.equal(await remote.git(['count-objects', '-v']), before, 'no object was written');

  const pr3 = await addPr([{ 'c.txt': 'c\n' }]);
  await t.rejects(
    merger.createSpeculativeRef(queue, 'b1', base, [pr1, pr3]),
    new HeadNotFastForwardError({
      pr: pr3.pr,
      headSha: pr3.headSha,
      ref: 'velocity-mq/main/b1',
      base: 'main',
    }),
    'a head that does not descend from the tip does not apply',
  );
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined, 'the ref was deleted');
});

for (const method of ['merge', 'squash', 'rebase'] as const) {
  t.test(`${method}: a conflict names the PR and leaves no speculative ref`, async (t) => {
    const { remote, base, merger, addPr } = await setup(t, method);
    const pr1 = await addPr([{ 'shared.txt': 'v2 from PR 1\n' }]);
    const pr2 = await addPr([{ 'other.txt': 'fine\n' }, { 'shared.txt': 'v2 from PR 2\n' }]);
    const first = await merger.createSpeculativeRef(queue, 'b1', base, [pr1]);
    t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), first.sha);

    const error = await merger
      .createSpeculativeRef(queue, 'b1', base, [pr1, pr2])
      .catch((caught: unknown) => caught);

    t.ok(error instanceof SpeculativeMergeConflictError);
    t.match(error, {
      code: 'QM_SPECULATIVE_MERGE_CONFLICT',
      pr: 2,
      headSha: pr2.headSha,
      ref: 'velocity-mq/main/b1',
    });
    t.equal(
      await remote.readRef('refs/heads/velocity-mq/main/b1'),
      undefined,
      'the earlier ref was deleted',
    );
    const again = await merger.createSpeculativeRef(queue, 'b1', base, [pr2]);
    t.strictSame(
      await remote.listFiles(again.sha),
      ['README.md', 'other.txt', 'shared.txt'],
      'the clone is usable after a conflict',
    );
  });
}

t.test('a conflict is thrown even when the old ref cannot be deleted', async (t) => {
  const { remote, base, clone, addPr } = await setup(t, 'merge');
  const warnings: unknown[] = [];
  const merger = new LocalGitSpeculativeMerger({
    clone,
    repo: REPO,
    logger: { debug: () => {}, warn: (message, fields) => warnings.push({ message, fields }) },
  });
  const pr1 = await addPr([{ 'shared.txt': 'v2 from PR 1\n' }]);
  const pr2 = await addPr([{ 'shared.txt': 'v2 from PR 2\n' }]);
  const first = await merger.createSpeculativeRef(queue, 'b1', base, [pr1]);
  const hook = join(remote.gitDir, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\necho "deletes are not allowed" >&2\nexit 1\n');
  await chmod(hook, 0o755);

  await t.rejects(
    merger.createSpeculativeRef(queue, 'b1', base, [pr1, pr2]),
    SpeculativeMergeConflictError,
  );
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), first.sha);
  t.match(warnings, [
    {
      message: 'Could not delete the speculative ref',
      fields: { ref: 'velocity-mq/main/b1', error: /pre-receive hook declined/ },
    },
  ]);
});

t.test('a head the tip already contains adds nothing', async (t) => {
  for (const method of ['merge', 'squash', 'rebase', 'fast-forward'] as const) {
    const { remote, base, merger, addPr } = await setup(t, method);
    const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
    await remote.setRef('refs/heads/main', pr1.headSha);
    const result = await merger.createSpeculativeRef(queue, 'b1', pr1.headSha, [pr1]);
    t.equal(result.sha, pr1.headSha, method);
    t.not(result.sha, base);
  }
});

t.test('re-creating a build resets its ref to a commit with the same tree', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'merge');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  const pr2 = await addPr([{ 'b.txt': 'b\n' }]);
  const first = await merger.createSpeculativeRef(queue, 'b1', base, [pr1, pr2]);
  const second = await merger.createSpeculativeRef(queue, 'b1', base, [pr1, pr2]);
  t.equal(await treeOf(remote, second.sha), await treeOf(remote, first.sha));
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), second.sha);
  const shorter = await merger.createSpeculativeRef(queue, 'b1', base, [pr1]);
  t.equal(
    await remote.readRef('refs/heads/velocity-mq/main/b1'),
    shorter.sha,
    'forced: not a fast-forward of the last one',
  );
  t.strictSame(await remote.listFiles(shorter.sha), ['README.md', 'a.txt', 'shared.txt']);
});

t.test('fastForwardBase moves the base only to a descendant of its tip', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'merge');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  const tested = await merger.createSpeculativeRef(queue, 'b1', base, [pr1]);
  const count = await remote.git(['rev-list', '--all', '--count']);

  await merger.fastForwardBase(queue, base);
  t.equal(await remote.readRef('refs/heads/main'), base, 'to the current tip: nothing to do');
  await merger.fastForwardBase(queue, tested.sha);
  t.equal(await remote.readRef('refs/heads/main'), tested.sha, 'exactly the tested commit');
  t.equal(await remote.git(['rev-list', '--all', '--count']), count, 'no commit was created');
  await merger.fastForwardBase(queue, tested.sha);
  t.equal(await remote.readRef('refs/heads/main'), tested.sha, 'again: idempotent');

  // Someone pushes to main outside the queue; a build on the old tip must not land.
  const pr2 = await addPr([{ 'b.txt': 'b\n' }]);
  const stale = await merger.createSpeculativeRef(queue, 'b2', tested.sha, [pr2]);
  const outside = await remote.commitFiles({ 'hotfix.txt': 'x\n' }, 'hotfix', [tested.sha]);
  await remote.setRef('refs/heads/main', outside);
  await t.rejects(
    merger.fastForwardBase(queue, stale.sha),
    new BaseNotFastForwardError({ base: 'main', testedSha: stale.sha }),
  );
  t.equal(await remote.readRef('refs/heads/main'), outside, 'the base was not changed');
  await t.rejects(
    merger.fastForwardBase(queue, tested.sha),
    BaseNotFastForwardError,
    'moving the base back is not a fast-forward either',
  );

  const rebuilt = await merger.createSpeculativeRef(queue, 'b3', await merger.baseSha(queue), [
    pr2,
  ]);
  await merger.fastForwardBase(queue, rebuilt.sha);
  t.equal(await remote.readRef('refs/heads/main'), rebuilt.sha, 'a build on the new tip lands');
});

t.test('deleteSpeculativeRef is true once, then false', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'merge');
  const pr1 = await addPr([{ 'a.txt': 'a\n' }]);
  await merger.createSpeculativeRef(queue, 'b1', base, [pr1]);
  t.equal(await merger.deleteSpeculativeRef(queue, 'b1'), true);
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
  t.equal(await merger.deleteSpeculativeRef(queue, 'b1'), false);
  t.equal(await merger.deleteSpeculativeRef(queue, 'never'), false);
});

t.test('baseSha reads the remote tip', async (t) => {
  const { remote, base, merger } = await setup(t);
  t.equal(await merger.baseSha(queue), base);
  // ls-remote also matches refs whose names end in refs/heads/main.
  await remote.setRef(
    'refs/heads/x/refs/heads/main',
    await remote.commitFiles({}, 'decoy', [base]),
  );
  const moved = await remote.commitFiles({ 'n.txt': 'n\n' }, 'next', [base]);
  await remote.setRef('refs/heads/main', moved);
  t.equal(await merger.baseSha(queue), moved);
  await t.rejects(
    merger.baseSha({ repo: REPO, base: 'release' }),
    new BranchNotFoundError({ branch: 'release', remote: remote.gitDir }),
  );
});

t.test('heads that are not on the remote are CommitNotFoundError', async (t) => {
  const { base, merger } = await setup(t);
  const unknown = 'f'.repeat(40);
  const error = await merger
    .createSpeculativeRef(queue, 'b1', base, [{ pr: 1, headSha: unknown }])
    .catch((caught: unknown) => caught);
  t.ok(error instanceof CommitNotFoundError);
  t.match(error, { code: 'QM_GIT_COMMIT_NOT_FOUND', sha: unknown });
  await t.rejects(merger.fastForwardBase(queue, '--upload-pack=touch pwned'), {
    code: 'QM_GIT_COMMIT_NOT_FOUND',
    sha: '--upload-pack=touch pwned',
  });
});

t.test('a queue of another repository is refused', async (t) => {
  const { base, merger } = await setup(t);
  const other: QueueId = { repo: 'acme/other', base: 'main' };
  const mismatch = new RepositoryMismatchError({ expected: REPO, actual: 'acme/other' });
  await t.rejects(async () => merger.baseSha(other), mismatch);
  await t.rejects(async () => merger.createSpeculativeRef(other, 'b1', base, []), mismatch);
  await t.rejects(async () => merger.fastForwardBase(other, base), mismatch);
  await t.rejects(async () => merger.deleteSpeculativeRef(other, 'b1'), mismatch);
});

t.test('concurrent builds on one clone are serialized and all succeed', async (t) => {
  const { remote, base, merger, addPr } = await setup(t, 'rebase');
  const prs: SpeculativeHead[] = [];
  for (let i = 0; i < 4; i++) prs.push(await addPr([{ [`f${i}.txt`]: `${i}\n` }]));
  const results = await Promise.all(
    prs.map((_, i) => merger.createSpeculativeRef(queue, `b${i + 1}`, base, prs.slice(0, i + 1))),
  );
  for (const [i, result] of results.entries()) {
    t.equal(await remote.readRef(`refs/heads/velocity-mq/main/b${i + 1}`), result.sha);
    t.equal((await remote.listFiles(result.sha)).length, 2 + i + 1);
  }
});

t.test('an empty list of heads gives a ref at the base', async (t) => {
  const { remote, base, merger } = await setup(t);
  const result = await merger.createSpeculativeRef(queue, 'b1', base, []);
  t.equal(result.sha, base);
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), base);
});

t.test('the merge method defaults to merge', async (t) => {
  const remote = await GitRepo.create('main');
  t.teardown(() => remote.destroy());
  const clone = new LocalClone({ workDir: t.testdir(), remote: remote.gitDir });
  t.equal(new LocalGitSpeculativeMerger({ clone, repo: REPO }).mergeMethod, 'merge');
});
