import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  AppNotRunningError,
  AppSupervisor,
  CommandStartError,
  ReloadConfigError,
  type AppExit,
  type AppSupervisorOptions,
} from '../../src/reload/index.js';
import {
  APP_ENV,
  CRASH_APP,
  createTestBus,
  GROUP_APP,
  isAlive,
  nodeApp,
  readText,
  SIGNAL_RECORDER,
  SLOW_STOP_APP,
  STUBBORN_APP,
  waitFor,
} from './helpers/apps.js';

/** A supervisor stopped (with SIGKILL at once) when the test ends. */
function supervise(
  t: Test,
  options: Omit<AppSupervisorOptions, 'events'>,
): { supervisor: AppSupervisor; texts: (kind?: string) => string[]; exits: AppExit[] } {
  const { events, texts } = createTestBus();
  const supervisor = new AppSupervisor({ events, env: APP_ENV, ...options });
  const exits: AppExit[] = [];
  supervisor.onExit((exit) => exits.push(exit));
  t.teardown(() => supervisor.stop({ timeoutMs: 0 }));
  return { supervisor, texts, exits };
}

t.test('the app runs with its output on the event bus', async (t) => {
  const dir = t.testdir({});
  const { supervisor, texts } = supervise(t, {
    command: nodeApp(
      dir,
      'app',
      `console.log('hello'); console.error('oops'); setInterval(() => {}, 1000);`,
    ),
  });
  t.equal(supervisor.running, false);
  t.equal(supervisor.pid, undefined);
  const pid = await supervisor.start();
  t.equal(supervisor.pid, pid);
  t.equal(await supervisor.start(), pid, 'start while running keeps the app');
  await waitFor(() => texts().includes('oops') && texts().includes('hello'), 'the output');
  t.strictSame(texts('restart'), [`app started: pid ${pid}`]);
  const exit = await supervisor.stop();
  t.match(exit, { pid, code: null, signal: 'SIGTERM', requested: true });
  t.equal(supervisor.running, false);
  t.match(texts('restart')[1], new RegExp(`^app stopped: pid ${pid}, signal SIGTERM, in \\d+ ms$`));
  t.equal(await supervisor.stop(), undefined, 'stopping a stopped app does nothing');
});

t.test('a restart stops the whole process group, then starts again', async (t) => {
  const dir = t.testdir({});
  const { supervisor, exits } = supervise(t, { command: nodeApp(dir, 'app', GROUP_APP) });
  const first = await supervisor.start();
  await waitFor(() => readText(join(dir, 'pids.txt')).split('\n').length === 2, 'the first pids');
  const [, grandchild] = readText(join(dir, 'pids.txt')).trim().split(' ').map(Number);
  t.ok(grandchild !== undefined && isAlive(grandchild), 'the grandchild runs');

  const restarted = await supervisor.restart();
  t.not(restarted.pid, first);
  t.match(restarted.stopped, { pid: first, requested: true });
  t.notOk(isAlive(first), 'the app is gone');
  t.notOk(isAlive(grandchild ?? 0), 'its child is gone too');
  t.ok(isAlive(restarted.pid));
  t.strictSame(
    exits.map((exit) => exit.pid),
    [first],
  );
  await waitFor(() => readText(join(dir, 'pids.txt')).split('\n').length === 3, 'the second pids');
});

t.test('an app that ignores SIGTERM is killed after the timeout', async (t) => {
  const dir = t.testdir({});
  const { supervisor, texts } = supervise(t, { command: nodeApp(dir, 'app', STUBBORN_APP) });
  const pid = await supervisor.start();
  await waitFor(() => readText(join(dir, 'stubborn.txt')) === 'ready', 'the SIGTERM handler');
  const began = Date.now();
  const exit = await supervisor.stop({ timeoutMs: 300 });
  t.ok(Date.now() - began >= 290, 'SIGTERM was given its time');
  t.match(exit, { pid, signal: 'SIGKILL', requested: true });
  t.notOk(isAlive(pid));
  t.match(texts('restart').at(-1), /\(SIGKILL after 300 ms\)$/);
});

t.test('restarts never overlap: each waits for the one before', async (t) => {
  const dir = t.testdir({});
  const { supervisor, texts } = supervise(t, { command: nodeApp(dir, 'app', SLOW_STOP_APP) });
  const first = await supervisor.start();
  await waitFor(() => readText(join(dir, 'log.txt')) !== '', 'the first start');
  const results = await Promise.all([
    supervisor.restart(),
    supervisor.restart(),
    supervisor.start(),
    supervisor.restart(),
  ]);
  const last = results[3]?.pid ?? 0;
  await waitFor(() => readText(join(dir, 'log.txt')).includes(`start ${last}`), 'the last start');
  t.notMatch(readText(join(dir, 'log.txt')), 'overlap', 'no app started while another ran');
  const pids = [
    first,
    ...results.map((result) => (typeof result === 'number' ? result : result.pid)),
  ];
  t.equal(pids[3], pids[2], 'start while running keeps the app');
  const expected = [first, pids[1], pids[2], last].flatMap((pid) => [
    `app started: pid ${pid}`,
    `app stopped: pid ${pid}`,
  ]);
  t.strictSame(
    texts('restart').map((text) => text.split(',')[0]),
    expected.slice(0, -1),
    'every start follows the stop of the app before',
  );
});

t.test('signals go to the running app', async (t) => {
  const dir = t.testdir({});
  const { supervisor, texts } = supervise(t, { command: nodeApp(dir, 'app', SIGNAL_RECORDER) });
  t.throws(() => supervisor.signal('SIGHUP'), AppNotRunningError);
  const pid = await supervisor.start();
  await waitFor(() => texts('restart').length === 1 && texts().includes('ready'), 'the app');
  t.equal(supervisor.signal('SIGHUP'), pid);
  await waitFor(() => readText(join(dir, 'signals.txt')) === 'SIGHUP\n', 'the signal');
});

t.test('an app that keeps crashing is restarted with growing delays', async (t) => {
  const dir = t.testdir({});
  const { supervisor, exits, texts } = supervise(t, {
    command: nodeApp(dir, 'app', CRASH_APP),
    backoff: { initialDelayMs: 40, factor: 2, maxDelayMs: 200 },
  });
  await supervisor.start();
  await waitFor(() => exits.length >= 5, 'five crashes');
  await supervisor.stop();
  const count = exits.length;
  t.strictSame(
    exits.slice(0, 5).map((exit) => exit.restartDelayMs),
    [40, 80, 160, 200, 200],
  );
  t.ok(exits.every((exit) => exit.code === 1 && !exit.requested));
  t.match(texts('crash')[0], /^app exited on its own: pid \d+, exit code 1, after \d+ ms$/);
  t.ok(texts('restart').includes('restarting the app in 80 ms (exit 2 in a row)'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(exits.length, count, 'no restart after stop');
});

t.test('an app that ran long enough starts the backoff again', async (t) => {
  const dir = t.testdir({});
  const { supervisor, exits } = supervise(t, {
    command: nodeApp(dir, 'app', `setTimeout(() => process.exit(3), 150);`),
    backoff: { initialDelayMs: 20, resetAfterMs: 100 },
  });
  await supervisor.start();
  await waitFor(() => exits.length >= 2, 'two exits');
  await supervisor.stop();
  t.strictSame(
    exits.slice(0, 2).map((exit) => exit.restartDelayMs),
    [20, 20],
  );
});

t.test('the restart policy decides which exits restart the app', async (t) => {
  const dir = t.testdir({});
  const clean = nodeApp(dir, 'clean', `setTimeout(() => {}, 20);`);
  for (const [policy, command, restarts] of [
    ['on-failure', clean, false],
    ['always', clean, true],
    ['never', nodeApp(dir, 'crash', CRASH_APP), false],
  ] as const) {
    const { supervisor, exits, texts } = supervise(t, {
      command,
      restartPolicy: policy,
      backoff: { initialDelayMs: 10_000 },
    });
    await supervisor.start();
    await waitFor(() => exits.length === 1, 'the exit');
    t.equal(exits[0]?.restartDelayMs !== undefined, restarts, policy);
    t.equal(supervisor.running, false);
    if (policy === 'on-failure') {
      t.match(texts('restart').at(-1), /exited on its own: pid \d+, exit code 0/);
    }
    await supervisor.stop();
  }
});

t.test('a command that cannot start is an error', async (t) => {
  const dir = t.testdir({});
  const { supervisor } = supervise(t, { command: [join(dir, 'no-such-program'), 'arg'] });
  await t.rejects(supervisor.start(), {
    name: 'CommandStartError',
    errno: 'ENOENT',
    message: `Command "${join(dir, 'no-such-program')}" could not be started (ENOENT). Check that it is installed in the container, on PATH, and executable.`,
  });
  await t.rejects(supervisor.restart(), CommandStartError);
  await supervisor.idle();
});

t.test(
  'a restart runs beforeStart between stop and start, and starts even if it throws',
  async (t) => {
    const dir = t.testdir({ 'mode.txt': 'one' });
    const { supervisor } = supervise(t, {
      command: nodeApp(
        dir,
        'app',
        `console.log(require('node:fs').readFileSync(__dirname + '/mode.txt', 'utf8')); setInterval(() => {}, 1000);`,
      ),
    });
    await supervisor.start();
    const order: string[] = [];
    const restarted = await supervisor.restart({
      beforeStart: () => {
        order.push(supervisor.running ? 'running' : 'stopped');
      },
      reason: 'batch "b1"',
    });
    t.strictSame(order, ['stopped']);
    await t.rejects(
      supervisor.restart({
        beforeStart: () => Promise.reject(new Error('undo failed')),
      }),
      { message: 'undo failed' },
    );
    t.ok(supervisor.running, 'the app was started anyway');
    t.not(supervisor.pid, restarted.pid);
  },
);

t.test('bad options are refused', async (t) => {
  const { events } = createTestBus();
  t.throws(() => new AppSupervisor({ events, command: [] }), ReloadConfigError);
  t.throws(() => new AppSupervisor({ events, command: [''] }), ReloadConfigError);
  t.throws(
    () => new AppSupervisor({ events, command: ['x'], restartPolicy: 'sometimes' as 'always' }),
    { message: /^Restart policy "sometimes" is unknown/ },
  );
  t.throws(() => new AppSupervisor({ events, command: ['x'], stopTimeoutMs: -1 }), {
    message: /^Supervisor option stopTimeoutMs is "-1"/,
  });
  t.throws(() => new AppSupervisor({ events, command: ['x'], backoff: { factor: 0.5 } }), {
    message: /backoff\.factor/,
  });
});

t.test('an automatic restart that cannot start the app tries again later', async (t) => {
  const dir = t.testdir({ 'app.sh': '#!/bin/sh\nexit 1\n' });
  chmodSync(join(dir, 'app.sh'), 0o755);
  const errors: string[] = [];
  const noop = () => {};
  const { supervisor, texts, exits } = supervise(t, {
    command: [join(dir, 'app.sh')],
    backoff: { initialDelayMs: 100 },
    logger: { debug: noop, info: noop, warn: noop, error: (message) => errors.push(message) },
  });
  supervisor.onExit(() => {
    throw new Error('a broken listener');
  });
  await supervisor.start();
  rmSync(join(dir, 'app.sh'));
  await waitFor(() => texts('crash').length >= 2, 'the failed restart');
  t.match(
    texts('crash')[1],
    /^the app could not be restarted: Command ".+app\.sh" could not be started \(ENOENT\)\. .*; trying again in 200 ms$/,
  );
  t.equal(exits.length, 1);
  t.strictSame(errors, ['An app exit listener threw.']);
  await supervisor.stop();
});
