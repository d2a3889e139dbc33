import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  AppSupervisor,
  createReloader,
  ReloadConfigError,
  ReloaderClosedError,
  type ReloadBatch,
  type ReloaderOptions,
} from '../../src/reload/index.js';
import {
  APP_ENV,
  createTestBus,
  MODE_APP,
  nodeApp,
  readText,
  SIGNAL_RECORDER,
  waitFor,
} from './helpers/apps.js';

interface TestBatch extends ReloadBatch {
  /** What happened to the batch, in order: `undo`, `release`. */
  calls: string[];
}

function batchOf(batchId: string, changedPaths: string[], undo: () => void = () => {}): TestBatch {
  const calls: string[] = [];
  return {
    batchId,
    changedPaths,
    calls,
    undo: async () => {
      calls.push('undo');
      undo();
    },
    release: () => {
      calls.push('release');
    },
  };
}

/** A supervised MODE_APP in `dir` (mode.txt starts as `good`), and a reloader restarting it on mode.txt. */
async function modeApp(t: Test, options: Partial<ReloaderOptions> = {}) {
  const dir = t.testdir({ 'mode.txt': 'good' });
  const { events, texts } = createTestBus();
  const supervisor = new AppSupervisor({
    events,
    env: APP_ENV,
    command: nodeApp(dir, 'app', MODE_APP),
    backoff: { initialDelayMs: 100 },
  });
  t.teardown(() => supervisor.stop({ timeoutMs: 0 }));
  const first = await supervisor.start();
  const reloader = createReloader({
    rules: [{ paths: ['mode.txt'], action: 'restart' }],
    supervisor,
    events,
    ...options,
  });
  t.teardown(() => reloader.close());
  const setMode = (mode: string) => writeFileSync(join(dir, 'mode.txt'), mode);
  const runs = () =>
    readText(join(dir, 'runs.txt'))
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[1]);
  await waitFor(() => runs()[0] === 'good', 'the first run');
  return { dir, events, texts, supervisor, reloader, first, setMode, runs };
}

t.test('a signal rule signals the pid-file process and reports it', async (t) => {
  const dir = t.testdir({});
  const [node = '', script = ''] = nodeApp(dir, 'app', SIGNAL_RECORDER);
  const app = spawn(node, [script], { stdio: 'ignore', env: APP_ENV });
  t.teardown(() => app.kill('SIGKILL'));
  await waitFor(() => readText(join(dir, 'app.pid')) !== '', 'the pid file');
  const { events } = createTestBus();
  const reloader = createReloader({
    rules: [{ paths: ['config/**'], action: 'signal', signal: 'SIGHUP', pidFile: 'app.pid' }],
    events,
    root: dir,
  });
  const batch = batchOf('b1', ['config/app.yaml', 'README.md']);
  t.strictSame(await reloader.afterBatch(batch), [
    { action: 'signal', detail: `SIGHUP to pid ${app.pid}`, ok: true },
  ]);
  await waitFor(() => readText(join(dir, 'signals.txt')) === 'SIGHUP\n', 'the signal');
  await waitFor(() => batch.calls.includes('release'), 'the release');
  t.match(events.recent().at(-1), {
    stream: 'event',
    kind: 'reload',
    text: `signal: SIGHUP to pid ${app.pid}`,
    batchId: 'b1',
  });

  const unmatched = batchOf('b2', ['README.md']);
  t.strictSame(await reloader.afterBatch(unmatched), []);
  await waitFor(() => unmatched.calls.includes('release'), 'the release of a batch with no action');
});

t.test('a failing action is reported, not thrown', async (t) => {
  const dir = t.testdir({});
  const { events, texts } = createTestBus();
  const reloader = createReloader({
    rules: [
      { paths: ['public/**'], action: 'sync' },
      { paths: ['**'], action: 'signal', signal: 'SIGHUP', pidFile: join(dir, 'missing.pid') },
    ],
    events,
  });
  t.strictSame(await reloader.afterBatch(batchOf('b1', ['public/a.png', 'public/b.png', 'x'])), [
    {
      action: 'signal',
      detail: `Pid file "${join(dir, 'missing.pid')}" does not exist. Start the app so that it writes its pid there, or fix the rule's pidFile.`,
      ok: false,
    },
    { action: 'sync', detail: '2 files; the app reloads itself', ok: true },
  ]);
  t.match(texts('reload')[0], / \(failed\)$/);
  t.strictSame(await reloader.afterBatch(batchOf('b2', ['public/a.png'])), [
    { action: 'sync', detail: '1 file; the app reloads itself', ok: true },
  ]);
});

t.test('exec runs before the restart, and a failed exec skips it', async (t) => {
  const dir = t.testdir({ 'exit-code': '0' });
  const order = join(dir, 'order.txt');
  const { events } = createTestBus();
  const supervisor = new AppSupervisor({
    events,
    env: APP_ENV,
    command: nodeApp(
      dir,
      'app',
      `require('node:fs').appendFileSync(__dirname + '/order.txt', 'app\\n'); setInterval(() => {}, 1000);`,
    ),
  });
  t.teardown(() => supervisor.stop({ timeoutMs: 0 }));
  await supervisor.start();
  await waitFor(() => readText(order) === 'app\n', 'the app');
  const install = nodeApp(
    dir,
    'install',
    `const fs = require('node:fs');
     fs.appendFileSync(__dirname + '/order.txt', 'install\\n');
     process.exit(Number(fs.readFileSync(__dirname + '/exit-code', 'utf8')));`,
  );
  const reloader = createReloader({
    rules: [
      { paths: ['src/**'], action: 'restart' },
      { paths: ['package.json'], action: 'exec', command: install },
    ],
    supervisor,
    events,
    env: APP_ENV,
    rollbackWindowMs: 0,
  });
  const reports = await reloader.afterBatch(batchOf('b1', ['src/a.js', 'package.json']));
  t.match(reports, [
    { action: 'exec', detail: /^".+install\.cjs" exited 0 in \d+ ms$/, ok: true },
    { action: 'restart', detail: /^restarted the app: pid \d+ \(was \d+\) in \d+ ms$/, ok: true },
  ]);
  await waitFor(() => readText(order) === 'app\ninstall\napp\n', 'exec, then the restart');

  writeFileSync(join(dir, 'exit-code'), '2');
  const pid = supervisor.pid;
  t.match(await reloader.afterBatch(batchOf('b2', ['src/a.js', 'package.json'])), [
    { action: 'exec', detail: /exited 2 in/, ok: false },
    { action: 'restart', detail: /^skipped: ".+install\.cjs" failed$/, ok: false },
  ]);
  t.equal(supervisor.pid, pid, 'the app kept running');
});

t.test('an app that crashes after a batch is rolled back and restarted', async (t) => {
  const { texts, supervisor, reloader, first, setMode, runs } = await modeApp(t);
  setMode('bad');
  const batch = batchOf('b1', ['mode.txt'], () => setMode('good'));
  const [report] = await reloader.afterBatch(batch);
  t.match(report, { action: 'restart', ok: true, detail: new RegExp(`\\(was ${first}\\)`) });
  await waitFor(() => texts('rollback').length > 0, 'the rollback');
  t.strictSame(batch.calls, ['undo']);
  t.match(
    texts('rollback')[0],
    /^rolled back batch "b1": the app exited with exit code 1 \d+ ms after the restart; restored its previous files and restarted the app \(pid \d+\)$/,
  );
  t.ok(supervisor.running);
  await waitFor(() => runs().length === 3, 'the restored app');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.strictSame(runs(), ['good', 'bad', 'good'], 'one restart after the crash: the rollback');
  await reloader.settle();
  t.strictSame(batch.calls, ['undo'], 'a rolled-back batch is never released');
});

t.test('a batch whose app survives the window is released', async (t) => {
  const { reloader, runs, texts } = await modeApp(t, { rollbackWindowMs: 300 });
  const batch = batchOf('b1', ['mode.txt']);
  const began = Date.now();
  await reloader.afterBatch(batch);
  t.strictSame(batch.calls, [], 'not released while the window is open');
  await waitFor(() => batch.calls.includes('release'), 'the release');
  t.ok(Date.now() - began >= 290);
  await waitFor(() => runs().length === 2, 'the restarted app');
  t.strictSame(runs(), ['good', 'good']);
  t.strictSame(texts('rollback'), []);
});

t.test('a crash after the window is left to the supervisor', async (t) => {
  const { reloader, setMode, texts, runs } = await modeApp(t, { rollbackWindowMs: 200 });
  setMode('late');
  const batch = batchOf('b1', ['mode.txt']);
  await reloader.afterBatch(batch);
  await waitFor(() => runs().length === 3, 'the backoff restart');
  t.strictSame(batch.calls, ['release']);
  t.strictSame(texts('rollback'), []);
});

t.test('with no rollback window, batches are released at once and never rolled back', async (t) => {
  const { reloader, setMode, texts, runs } = await modeApp(t, { rollbackWindowMs: 0 });
  setMode('bad');
  const batch = batchOf('b1', ['mode.txt']);
  await reloader.afterBatch(batch);
  await waitFor(() => batch.calls.includes('release'), 'the release');
  await waitFor(() => runs().length === 3, 'the backoff restart');
  t.strictSame(texts('rollback'), []);
  t.strictSame(batch.calls, ['release']);
});

t.test('a failed undo is reported as a failed rollback', async (t) => {
  const { reloader, setMode, texts, supervisor } = await modeApp(t);
  setMode('bad');
  const batch = batchOf('b1', ['mode.txt'], () => {
    throw new Error('backup missing');
  });
  await reloader.afterBatch(batch);
  await waitFor(() => texts('rollback').length > 0, 'the rollback');
  t.match(
    texts('rollback')[0],
    /^rollback of batch "b1" failed \(the app exited with exit code 1 \d+ ms after the restart\): backup missing$/,
  );
  await supervisor.stop();
});

t.test('batches are reloaded one at a time, in call order', async (t) => {
  const dir = t.testdir({});
  const { events } = createTestBus();
  const step = nodeApp(
    dir,
    'step',
    `const fs = require('node:fs');
     const log = __dirname + '/log.txt';
     fs.appendFileSync(log, process.argv[2] + ' start\\n');
     setTimeout(() => fs.appendFileSync(log, process.argv[2] + ' end\\n'), 150);`,
  );
  const reloader = createReloader({
    rules: [
      { paths: ['a'], action: 'exec', command: [...step, 'a'] },
      { paths: ['b'], action: 'exec', command: [...step, 'b'] },
    ],
    events,
    root: dir,
    env: APP_ENV,
  });
  const [first, second] = await Promise.all([
    reloader.afterBatch(batchOf('b1', ['a'])),
    reloader.afterBatch(batchOf('b2', ['b'])),
  ]);
  t.match(first, [{ ok: true }]);
  t.match(second, [{ ok: true }]);
  t.equal(readText(join(dir, 'log.txt')), 'a start\na end\nb start\nb end\n');
});

t.test('a new batch, settle and close end the open window', async (t) => {
  const { reloader } = await modeApp(t, { rollbackWindowMs: 60_000 });
  const first = batchOf('b1', ['mode.txt']);
  await reloader.afterBatch(first);
  t.strictSame(first.calls, []);
  const second = batchOf('b2', ['mode.txt']);
  const reloading = reloader.afterBatch(second);
  t.strictSame(first.calls, ['release'], 'released when the next batch arrives');
  await reloading;
  await reloader.settle();
  t.strictSame(second.calls, ['release'], 'released by settle');
  const third = batchOf('b3', ['mode.txt']);
  await reloader.afterBatch(third);
  await reloader.close();
  t.strictSame(third.calls, ['release'], 'released by close');
  await t.rejects(reloader.afterBatch(batchOf('b4', ['mode.txt'])), ReloaderClosedError);
});

t.test('a failing release is logged, not thrown', async (t) => {
  const { events } = createTestBus();
  const warnings: string[] = [];
  const noop = () => {};
  const reloader = createReloader({
    rules: [],
    events,
    logger: { debug: noop, info: noop, error: noop, warn: (message) => warnings.push(message) },
  });
  await reloader.afterBatch({
    batchId: 'b1',
    changedPaths: ['x'],
    undo: async () => {},
    release: () => Promise.reject(new Error('EACCES')),
  });
  await reloader.afterBatch({ batchId: 'b2', changedPaths: ['x'], undo: async () => {} });
  await reloader.close();
  t.strictSame(warnings, ['Releasing a batch failed.']);
});

t.test('rules that need the supervised app are refused without one', async (t) => {
  const { events } = createTestBus();
  t.throws(() => createReloader({ rules: [{ paths: ['a'], action: 'restart' }], events }), {
    name: 'ReloadConfigError',
    message: /^livepatch\.reload\[0\] restarts the app, but the agent supervises none\./,
  });
  t.throws(
    () =>
      createReloader({
        rules: [
          { paths: ['a'], action: 'sync' },
          { paths: ['b'], action: 'signal', signal: 'SIGHUP' },
        ],
        events,
      }),
    { message: /^livepatch\.reload\[1\] signals the app/ },
  );
  t.throws(() => createReloader({ rules: [], events, rollbackWindowMs: -1 }), ReloadConfigError);
});
