import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger } from '@velocity/core';
import t from 'tap';
import type { Test } from 'tap';
import { SpeculativeRefMissingError } from '../../src/errors.js';
import {
  BuildCommandStartError,
  LocalExecutor,
  type LocalExecutorOptions,
} from '../../src/executors/local-executor.js';
import { BaseNotFastForwardError } from '../../src/github/errors.js';
import { CommitNotFoundError } from '../../src/git/errors.js';
import { LocalClone } from '../../src/git/local-clone.js';
import { LocalGitSpeculativeMerger } from '../../src/git/local-speculative-merger.js';
import type { MergeMethod } from '../../src/merge/speculative-merger.js';
import type { BuildReport } from '../../src/scheduler/executor.js';
import type { Build, BuildOutcome, QueueId } from '../../src/scheduler/types.js';
import { BuildRefStore } from '../../src/state/build-refs.js';
import { GitRepo, type FileMap } from '../helpers/fake-github/git-repo.js';
import { startTestRedis } from '../helpers/redis.js';

const queue: QueueId = { repo: 'acme/widgets', base: 'main' };

/** Passes when the tree's `status.txt` says `ok`; records its environment and checkout in `$OUT`. */
const CHECK = [
  'sh',
  '-c',
  'echo "$QM_BUILD_ID|$QM_BUILD_SHA|$QM_BUILD_PRS" > "$OUT/env-$QM_BUILD_ID"; ' +
    'git rev-parse HEAD > "$OUT/head-$QM_BUILD_ID"; echo "checking $QM_BUILD_PRS"; ' +
    'echo "to stderr" >&2; test "$(cat status.txt)" = ok',
] as const;

let prefixes = 0;

async function setup(
  t: Test,
  options: Partial<LocalExecutorOptions> = {},
  mergeMethod: MergeMethod = 'merge',
) {
  const remote = await GitRepo.create('main');
  t.teardown(() => remote.destroy());
  const base = await remote.commitFiles({ 'status.txt': 'ok\n', 'shared.txt': 'v1\n' }, 'base');
  await remote.setRef('refs/heads/main', base);
  const dir = t.testdir({ out: {} });
  const out = join(dir, 'out');
  const clone = new LocalClone({ workDir: join(dir, 'clone'), remote: remote.gitDir });
  const merger = new LocalGitSpeculativeMerger({ clone, repo: queue.repo, mergeMethod });
  const redis = await startTestRedis(t);
  const refs = new BuildRefStore(redis, queue, `qm-test-${++prefixes}`);
  const heads = new Map<number, string>();
  const addPr = async (files: FileMap): Promise<number> => {
    const pr = heads.size + 1;
    const head = await remote.commitFiles(files, `pr ${pr}`, [base]);
    await remote.setRef(`refs/pull/${pr}/head`, head);
    heads.set(pr, head);
    return pr;
  };
  const records: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    destination: {
      write: (text: string) => records.push(JSON.parse(text) as Record<string, unknown>),
    },
    format: 'json',
    level: 'debug',
  });
  const workDir = join(dir, 'builds');
  const executor = new LocalExecutor({
    queue,
    merger,
    planner: async (build) => ({
      baseSha: await merger.baseSha(queue),
      heads: build.contents.map((pr) => ({ pr, headSha: heads.get(pr) as string })),
    }),
    refs,
    clone,
    command: [...CHECK],
    workDir,
    logger,
    env: { ...process.env, OUT: out },
    ...options,
  });
  return { remote, base, out, workDir, merger, refs, addPr, records, executor };
}

function buildOf(id: string, contents: readonly number[]): Build {
  return { id, contents, targets: contents.slice(-1), startedAt: 0, state: 'running' };
}

/** A report callback that records its calls, and the first call as a promise. */
function recorder() {
  const calls: Array<{ outcome: BuildOutcome; details: BuildReport | undefined }> = [];
  let resolveFirst: (call: (typeof calls)[number]) => void = () => {};
  const first = new Promise<(typeof calls)[number]>((resolve) => (resolveFirst = resolve));
  const report = (outcome: BuildOutcome, details?: BuildReport): Promise<void> => {
    calls.push({ outcome, details });
    resolveFirst({ outcome, details });
    return Promise.resolve();
  };
  return { calls, first, report };
}

function recordOf(records: ReadonlyArray<Record<string, unknown>>, msg: string) {
  return records.find((record) => record.msg === msg);
}

/** Whether `pid` is gone or a zombie, waiting up to `tries` × 10 ms for it. */
async function isDead(pid: number, tries = 200): Promise<boolean> {
  for (let i = 0; i <= tries; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat === '' || / [ZX] /.test(stat.slice(stat.lastIndexOf(')')))) return true;
    await delay(10);
  }
  return false;
}

async function readPids(file: string, count: number): Promise<number[]> {
  for (let i = 0; i < 500; i++) {
    const pids = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    if (pids.length >= count) return pids.map(Number);
    await delay(10);
  }
  throw new Error(`${file} never listed ${count} pids`);
}

t.test('a passing build tests its speculative commit, then lands on the base', async (t) => {
  const { remote, base, out, workDir, refs, addPr, records, executor } = await setup(t);
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const pr2 = await addPr({ 'b.txt': 'b\n' });
  const build = buildOf('b1', [pr1, pr2]);
  const { calls, first, report } = recorder();

  await executor.start(build, report);
  t.strictSame(calls, [], 'not reported from within start');
  t.strictSame(await first, { outcome: 'passed', details: undefined });

  const ref = await refs.get('b1');
  t.equal(ref?.ref, 'velocity-mq/main/b1');
  const sha = ref?.sha as string;
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), sha);
  t.strictSame(await remote.listFiles(sha), ['a.txt', 'b.txt', 'shared.txt', 'status.txt']);
  t.equal(await readFile(join(out, 'env-b1'), 'utf8'), `b1|${sha}|1,2\n`);
  t.equal(
    await readFile(join(out, 'head-b1'), 'utf8'),
    `${sha}\n`,
    'the worktree held that commit',
  );
  t.strictSame(await readdir(workDir), [], 'the worktree is removed');
  t.match(recordOf(records, 'Build started'), { build: 'b1', sha, prs: [1, 2] });
  t.match(recordOf(records, 'checking 1,2'), { build: 'b1', stream: 'stdout' });
  t.match(recordOf(records, 'to stderr'), { build: 'b1', stream: 'stderr' });
  t.match(recordOf(records, 'Build finished'), { build: 'b1', outcome: 'passed', exitCode: 0 });
  t.equal(await remote.readRef('refs/heads/main'), base, 'the base moves only on merge');

  await executor.merge(build);
  t.equal(await remote.readRef('refs/heads/main'), sha, 'the base is exactly the tested commit');
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
  await executor.merge(build);
  t.equal(await remote.readRef('refs/heads/main'), sha, 'merging again changes nothing');
  t.equal(calls.length, 1);
});

t.test('a failing build is reported failed and its ref deleted', async (t) => {
  const { remote, workDir, refs, addPr, executor } = await setup(t);
  const pr1 = await addPr({ 'status.txt': 'broken\n' });
  const { first, report } = recorder();

  await executor.start(buildOf('b1', [pr1]), report);

  t.strictSame(await first, {
    outcome: 'failed',
    details: { reason: 'Build command ended with exit code 1' },
  });
  t.ok((await refs.get('b1'))?.sha, 'the tested commit stays recorded');
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
  t.strictSame(await readdir(workDir), []);
});

t.test('a conflict is reported failed after start returns', async (t) => {
  const { remote, addPr, executor } = await setup(t);
  const pr1 = await addPr({ 'shared.txt': 'from 1\n' });
  const pr2 = await addPr({ 'shared.txt': 'from 2\n' });
  const { calls, first, report } = recorder();

  await executor.start(buildOf('b1', [pr1, pr2]), report);

  t.strictSame(calls, [], 'not reported from within start');
  t.strictSame(await first, {
    outcome: 'failed',
    details: { reason: '#2 does not merge cleanly onto main and the PRs ahead of it' },
  });
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
});

t.test('with merge method fast-forward, a head off the tip is reported failed', async (t) => {
  const { remote, addPr, executor } = await setup(t, {}, 'fast-forward');
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const pr2 = await addPr({ 'b.txt': 'b\n' });
  const { calls, first, report } = recorder();
  await executor.start(buildOf('b1', [pr1, pr2]), report);
  t.strictSame(calls, []);
  t.strictSame(await first, {
    outcome: 'failed',
    details: { reason: '#2 is not a fast-forward of main and the PRs ahead of it; rebase it' },
  });
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
});

t.test('a conflict cancelled before it is reported is never reported', async (t) => {
  const { addPr, executor } = await setup(t);
  const pr1 = await addPr({ 'shared.txt': 'from 1\n' });
  const pr2 = await addPr({ 'shared.txt': 'from 2\n' });
  const { calls, report } = recorder();
  await executor.start(buildOf('b1', [pr1, pr2]), report);
  await executor.cancel('b1');
  await delay(50);
  t.strictSame(calls, []);
});

t.test('cancel kills the whole process group and nothing is reported', async (t) => {
  const { remote, out, workDir, addPr, executor } = await setup(t, {
    command: ['sh', '-c', 'echo $$ > "$OUT/pids"; sleep 1000 & echo $! >> "$OUT/pids"; wait'],
  });
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const { calls, report } = recorder();
  await executor.start(buildOf('b1', [pr1]), report);
  const pids = await readPids(join(out, 'pids'), 2);
  t.ok(await remote.readRef('refs/heads/velocity-mq/main/b1'));

  await executor.cancel('b1');

  for (const pid of pids) t.ok(await isDead(pid), `process ${pid} is gone`);
  t.strictSame(await readdir(workDir), [], 'the worktree is removed');
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined, 'the ref is deleted');
  await delay(100);
  t.strictSame(calls, [], 'no report after cancel');
  await executor.cancel('b1');
  t.strictSame(calls, [], 'cancelling twice is harmless');
});

t.test('a command ignoring SIGTERM is killed after the grace period', async (t) => {
  const { out, addPr, executor } = await setup(t, {
    command: ['sh', '-c', 'trap "" TERM; echo $$ > "$OUT/pids"; sleep 1000'],
    killGraceMs: 300,
  });
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const { calls, report } = recorder();
  await executor.start(buildOf('b1', [pr1]), report);
  const [pid] = await readPids(join(out, 'pids'), 1);

  const started = Date.now();
  const cancelling = executor.cancel('b1');
  await executor.cancel('b1');
  await cancelling;

  t.ok(Date.now() - started >= 300, 'SIGKILL only after the grace period');
  t.ok(await isDead(pid as number));
  t.strictSame(calls, []);
});

t.test('cancel right after start still stops the build', async (t) => {
  const { remote, workDir, addPr, executor } = await setup(t, {
    command: ['sh', '-c', 'exec sleep 1000'],
  });
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const { calls, report } = recorder();
  const starting = executor.start(buildOf('b1', [pr1]), report);
  // cancel resolves only once the command has exited.
  await executor.cancel('b1');
  await starting;
  t.strictSame(await readdir(workDir), []);
  t.equal(await remote.readRef('refs/heads/velocity-mq/main/b1'), undefined);
  await delay(50);
  t.strictSame(calls, []);
});

t.test('a process that left the group and holds the output does not hold the build', async (t) => {
  const { out, addPr, executor } = await setup(t, {
    command: [
      'sh',
      '-c',
      'setsid sh -c \'echo $$ > "$OUT/escaped"; exec sleep 5\' & ' +
        'while [ ! -s "$OUT/escaped" ]; do sleep 0.01; done; echo started',
    ],
  });
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const { first, report } = recorder();
  const started = Date.now();
  await executor.start(buildOf('b1', [pr1]), report);
  t.equal((await first).outcome, 'passed');
  t.ok(
    Date.now() - started < 4000,
    'reported about 1 s after the exit, not when the escapee exits',
  );
  const [escaped] = await readPids(join(out, 'escaped'), 1);
  t.notOk(await isDead(escaped as number, 0), 'the escaped process was not in the group');
  process.kill(escaped as number, 'SIGKILL');
});

t.test('cancel of a build this process does not run removes its leftover worktree', async (t) => {
  const { workDir, executor } = await setup(t);
  await mkdir(join(workDir, 'b7'), { recursive: true });
  await writeFile(join(workDir, 'b7', 'left.txt'), 'from a crashed process\n');
  await executor.cancel('b7');
  t.strictSame(await readdir(workDir), []);
});

t.test('merge refuses a base that moved outside the queue', async (t) => {
  const { remote, base, addPr, executor } = await setup(t);
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const build = buildOf('b1', [pr1]);
  const { first, report } = recorder();
  await executor.start(build, report);
  t.equal((await first).outcome, 'passed');
  const hotfix = await remote.commitFiles({ 'hotfix.txt': 'x\n' }, 'hotfix', [base]);
  await remote.setRef('refs/heads/main', hotfix);

  await t.rejects(executor.merge(build), BaseNotFastForwardError);
  t.equal(await remote.readRef('refs/heads/main'), hotfix);
  t.ok(await remote.readRef('refs/heads/velocity-mq/main/b1'), 'the ref stays for a retry');
});

t.test('merge of a build without a recorded commit is SpeculativeRefMissingError', async (t) => {
  const { executor } = await setup(t);
  await t.rejects(executor.merge(buildOf('b9', [1])), new SpeculativeRefMissingError('b9'));
});

t.test('a command that cannot start fails start and leaves no worktree', async (t) => {
  const { workDir, addPr, executor } = await setup(t, { command: ['./no-such-command'] });
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  const { calls, report } = recorder();
  await t.rejects(
    executor.start(buildOf('b1', [pr1]), report),
    new BuildCommandStartError({ program: './no-such-command', errno: 'ENOENT' }),
  );
  t.strictSame(await readdir(workDir), []);
  await executor.cancel('b1');
  await delay(50);
  t.strictSame(calls, []);
});

t.test('an error of the planner fails start', async (t) => {
  const { executor } = await setup(t, {
    planner: () => Promise.reject(new Error('store unavailable')),
  });
  const { calls, report } = recorder();
  await t.rejects(executor.start(buildOf('b1', [1]), report), { message: 'store unavailable' });
  await executor.cancel('b1');
  t.strictSame(calls, []);
});

t.test('a merger error other than a head that does not apply fails start', async (t) => {
  const { workDir, executor } = await setup(t);
  const { calls, report } = recorder();
  // PR 99 was never pushed: the planner finds no head for it.
  await t.rejects(executor.start(buildOf('b1', [99]), report), CommitNotFoundError);
  await delay(20);
  t.strictSame(calls, []);
  t.strictSame(await readdir(workDir).catch(() => []), []);
});

t.test('a report callback that throws is logged', async (t) => {
  const { addPr, records, executor } = await setup(t);
  const pr1 = await addPr({ 'a.txt': 'a\n' });
  let resolveCalled: () => void = () => {};
  const called = new Promise<void>((resolve) => (resolveCalled = resolve));
  await executor.start(buildOf('b1', [pr1]), () => {
    resolveCalled();
    return Promise.reject(new Error('redis down'));
  });
  await called;
  await delay(20);
  t.match(recordOf(records, 'Reporting a build outcome failed'), {
    build: 'b1',
    outcome: 'passed',
    error: 'Error: redis down',
  });
});

t.test(
  'a speculative ref that cannot be deleted is logged, the outcome still reported',
  async (t) => {
    const { remote, addPr, records, executor } = await setup(t);
    const pr1 = await addPr({ 'status.txt': 'broken\n' });
    // Refuses deletions (the new sha is all zeros), accepts the rest.
    const hook = join(remote.gitDir, 'hooks', 'pre-receive');
    await writeFile(
      hook,
      '#!/bin/sh\nwhile read old new ref; do case "$new" in 0000000*) exit 1;; esac; done\n',
    );
    await chmod(hook, 0o755);
    const { first, report } = recorder();
    await executor.start(buildOf('b1', [pr1]), report);
    t.equal((await first).outcome, 'failed');
    t.ok(await remote.readRef('refs/heads/velocity-mq/main/b1'));
    t.match(recordOf(records, 'Could not delete a speculative ref'), {
      build: 'b1',
      error: /pre-receive hook declined/,
    });
  },
);

t.test('a worktree that cannot be removed is logged', async (t) => {
  const { remote, merger, refs, records, workDir } = await setup(t);
  const dir = t.testdir({ blocked: 'a file\n' });
  const executor = new LocalExecutor({
    queue,
    merger,
    planner: () => Promise.reject(new Error('unused')),
    refs,
    clone: new LocalClone({ workDir: join(dir, 'blocked', 'clone'), remote: remote.gitDir }),
    command: ['true'],
    workDir,
    logger: createLogger({
      destination: {
        write: (text: string) => records.push(JSON.parse(text) as Record<string, unknown>),
      },
      format: 'json',
    }),
  });
  await executor.cancel('b3');
  t.match(recordOf(records, 'Could not remove a build worktree'), {
    dir: join(workDir, 'b3'),
    error: /ENOTDIR/,
  });
});
