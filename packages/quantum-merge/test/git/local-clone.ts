import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { CommitNotFoundError } from '../../src/git/errors.js';
import { GitCommandError } from '../../src/git/git-runner.js';
import { LocalClone } from '../../src/git/local-clone.js';
import { GitRepo } from '../helpers/fake-github/git-repo.js';

const TOKEN = 'not-a-real-token-7d3f0a9c5e21';

/** A bare remote whose `main` is one commit, plus a PR whose queued head is no longer its ref's tip. */
async function remoteRepo(t: Test) {
  const remote = await GitRepo.create('main');
  t.teardown(() => remote.destroy());
  const base = await remote.commitFiles({ 'README.md': '# widgets\n' }, 'base');
  await remote.setRef('refs/heads/main', base);
  const queued = await remote.commitFiles({ 'a.txt': 'a\n' }, 'queued head', [base]);
  const later = await remote.commitFiles({ 'a.txt': 'a2\n' }, 'pushed after queueing', [queued]);
  await remote.setRef('refs/pull/1/head', later);
  return { remote, base, queued, later };
}

/** An HTTP server that answers every request with `status` and records the request headers. */
async function startHttpRemote(t: Test, status: number) {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    response.statusCode = status;
    response.end('no\n');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return { requests, origin: `http://127.0.0.1:${port}` };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

t.test('a token goes to the remote as a header and into no message', async (t) => {
  const http = await startHttpRemote(t, 403);
  const clone = new LocalClone({
    workDir: t.testdir(),
    remote: `${http.origin}/acme/widgets.git`,
    token: TOKEN,
  });

  const error = await errorOf(clone.exclusive((session) => session.remoteBranch('main')));

  const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
  t.equal(http.requests[0]?.authorization, `Basic ${basic}`);
  t.ok(error instanceof GitCommandError);
  const gitError = error as GitCommandError;
  t.match(
    gitError.message,
    /^Command "git --git-dir=.* ls-remote --heads quantum-merge refs\/heads\/main" exited with 128: fatal: /,
  );
  t.match(gitError.stderr, /403/);
  for (const secret of [TOKEN, basic]) {
    t.notMatch(JSON.stringify({ ...gitError, message: gitError.message }), secret);
  }
});

t.test('a password in the remote URL is in no message either', async (t) => {
  const http = await startHttpRemote(t, 401);
  const remote = `http://x-access-token:${TOKEN}@${http.origin.slice('http://'.length)}/acme/widgets.git`;
  const clone = new LocalClone({ workDir: t.testdir(), remote });
  t.notMatch(clone.remote, TOKEN);

  const error = await errorOf(
    clone.exclusive((session) => session.ensureCommits(['a'.repeat(40)])),
  );

  t.ok(error instanceof GitCommandError);
  t.ok(http.requests.length > 0, 'the remote was asked');
  const gitError = error as GitCommandError;
  t.notMatch(JSON.stringify({ ...gitError, message: gitError.message }), TOKEN);
});

t.test('commits not fetchable by sha come with every branch and PR head', async (t) => {
  const { remote, queued, later } = await remoteRepo(t);
  const debug: string[] = [];
  const clone = new LocalClone({
    workDir: t.testdir(),
    remote: remote.gitDir,
    // Protocol v0 refuses a want of a commit that is no ref's tip, as servers without
    // uploadpack.allowReachableSHA1InWant do.
    config: { 'protocol.version': '0' },
    logger: { debug: (message) => debug.push(message) },
  });

  await clone.exclusive((session) => session.ensureCommits([queued, queued]));

  t.strictSame(debug, ['Fetching commits by sha failed; fetching every branch']);
  const refs = await clone.exclusive((session) =>
    session.git(['for-each-ref', '--format=%(refname) %(objectname)']),
  );
  t.match(refs.stdout, `refs/quantum-merge/pull/1 ${later}`);
  t.match(refs.stdout, 'refs/quantum-merge/heads/main ');
  await clone.exclusive((session) => session.ensureCommits([queued]));
  t.equal(debug.length, 1, 'present commits are not fetched again');
});

t.test('commits named by sha are fetched directly when the remote allows it', async (t) => {
  const { remote, queued } = await remoteRepo(t);
  const debug: string[] = [];
  const clone = new LocalClone({
    workDir: t.testdir(),
    remote: remote.gitDir,
    logger: { debug: (message) => debug.push(message) },
  });
  await clone.exclusive((session) => session.ensureCommits([queued]));
  t.strictSame(debug, []);
  const refs = await clone.exclusive((session) => session.git(['for-each-ref']));
  t.equal(refs.stdout, '', 'no ref was written');
});

t.test('a sha on no branch is CommitNotFoundError, an option-like one is never run', async (t) => {
  const { remote } = await remoteRepo(t);
  const dir = t.testdir();
  const clone = new LocalClone({ workDir: join(dir, 'clone'), remote: remote.gitDir });
  const missing = 'e'.repeat(40);
  await t.rejects(
    clone.exclusive((session) => session.ensureCommits([missing])),
    new CommitNotFoundError({ sha: missing, remote: remote.gitDir }),
  );
  const injected = `--upload-pack=touch ${join(dir, 'pwned')}`;
  await t.rejects(
    clone.exclusive((session) => session.ensureCommits([injected])),
    {
      name: 'CommitNotFoundError',
      sha: injected,
    },
  );
  t.strictSame((await readdir(dir)).sort(), ['clone']);
});

t.test('a clone left by an earlier process is reused and its leftovers cleared', async (t) => {
  const { remote, queued } = await remoteRepo(t);
  const workDir = t.testdir();
  const first = new LocalClone({ workDir, remote: remote.gitDir });
  const worktree = join(workDir, 'tmp', 'worktree-left');
  await first.exclusive(async (session) => {
    await session.ensureCommits([queued]);
    await session.addWorktree(worktree, queued);
  });
  await writeFile(join(workDir, 'tmp', 'partial'), 'left behind\n');

  // The remote is gone: whatever the second clone finds came from the first.
  await rm(remote.gitDir, { recursive: true });
  const second = new LocalClone({ workDir, remote: remote.gitDir });
  await second.exclusive((session) => session.ensureCommits([queued]));
  t.strictSame(await readdir(join(workDir, 'tmp')), [], 'temporary worktrees are removed');
  const list = await second.exclusive((session) =>
    session.git(['worktree', 'list', '--porcelain']),
  );
  t.notMatch(list.stdout, 'worktree-left', 'and forgotten');
});

t.test('worktrees are checked out detached, replacing what was there', async (t) => {
  const { remote, base, queued } = await remoteRepo(t);
  const workDir = t.testdir();
  const clone = new LocalClone({ workDir, remote: remote.gitDir });
  const dir = join(workDir, 'build');
  await mkdir(dir);
  await writeFile(join(dir, 'stale.txt'), 'stale\n');
  await clone.exclusive(async (session) => {
    await session.ensureCommits([base, queued]);
    await session.addWorktree(dir, queued);
  });
  t.strictSame((await readdir(dir)).sort(), ['.git', 'README.md', 'a.txt']);
  const head = await clone.exclusive((session) =>
    session.git(['rev-parse', 'HEAD'], { worktree: dir }),
  );
  t.equal(head.stdout.trim(), queued);
  const temporary = await clone.exclusive((session) => session.temporaryDirectory());
  t.match(temporary, join(workDir, 'tmp', 'worktree-'));
  await clone.exclusive(async (session) => {
    await session.removeWorktree(dir);
    await session.removeWorktree(dir);
  });
  await t.rejects(readdir(dir), { code: 'ENOENT' });
});

t.test('a push the remote refuses is a GitCommandError with its reason', async (t) => {
  const { remote, base, queued } = await remoteRepo(t);
  const hook = join(remote.gitDir, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\necho "branch is protected" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  const clone = new LocalClone({ workDir: t.testdir(), remote: remote.gitDir });
  await clone.exclusive((session) => session.ensureCommits([base, queued]));

  for (const force of [false, true]) {
    const error = await errorOf(
      clone.exclusive((session) => session.pushBranch(queued, 'main', { force })),
    );
    t.ok(error instanceof GitCommandError, `force: ${force}`);
    t.match(
      (error as GitCommandError).message,
      /exited with 1: \[remote rejected\] \(pre-receive hook declined\)\./,
    );
    t.match((error as GitCommandError).stderr, 'branch is protected');
  }
  t.equal(await remote.readRef('refs/heads/main'), base);
  await t.rejects(
    clone.exclusive((session) => session.deleteRemoteBranch('main')),
    GitCommandError,
  );
});

t.test('a work directory that cannot be created fails every operation until it can', async (t) => {
  const { remote, queued } = await remoteRepo(t);
  const dir = t.testdir({ blocked: 'a file, not a directory\n' });
  const clone = new LocalClone({ workDir: join(dir, 'blocked', 'clone'), remote: remote.gitDir });
  await t.rejects(
    clone.exclusive(() => Promise.resolve()),
    { code: 'ENOTDIR' },
  );
  await rm(join(dir, 'blocked'));
  const type = await clone.exclusive(async (session) => {
    await session.ensureCommits([queued]);
    return session.git(['cat-file', '-t', queued]);
  });
  t.equal(type.stdout, 'commit\n', 'opened on the next operation');
});

t.test('identity, environment and timeout reach every command', async (t) => {
  const { remote, base } = await remoteRepo(t);
  const clone = new LocalClone({
    workDir: t.testdir(),
    remote: remote.gitDir,
    identity: { name: 'Queue Bot', email: 'queue@example.com' },
    env: { PATH: process.env.PATH, QM_TEST_MARK: 'marked' },
    config: { 'alias.mark': '!echo "$QM_TEST_MARK"', 'alias.hang': '!sleep 3' },
    timeoutMs: 300,
  });
  const committer = await clone.exclusive(async (session) => {
    await session.ensureCommits([base]);
    const tree = await session.git(['rev-parse', `${base}^{tree}`]);
    const commit = await session.git(['commit-tree', tree.stdout.trim()], { input: 'm\n' });
    return session.git(['show', '-s', '--format=%cn <%ce>', commit.stdout.trim()]);
  });
  t.equal(committer.stdout, 'Queue Bot <queue@example.com>\n');
  const mark = await clone.exclusive((session) => session.git(['mark']));
  t.equal(mark.stdout, 'marked\n');
  await t.rejects(
    clone.exclusive((session) => session.git(['hang'])),
    {
      message: /was stopped after 300 ms/,
    },
  );
});
