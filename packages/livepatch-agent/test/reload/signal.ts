import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import {
  AppNotRunningError,
  PidFileError,
  readPidFile,
  sendSignal,
  SignalDeliveryError,
} from '../../src/reload/index.js';
import { APP_ENV, nodeApp, readText, SIGNAL_RECORDER, waitFor } from './helpers/apps.js';

t.test('a signal reaches the process named by a pid file', async (t) => {
  const dir = t.testdir({});
  const [node = '', script = ''] = nodeApp(dir, 'app', SIGNAL_RECORDER);
  const app = spawn(node, [script], { stdio: 'ignore', env: APP_ENV });
  t.teardown(() => app.kill('SIGKILL'));
  await waitFor(() => readText(join(dir, 'app.pid')) !== '', 'the pid file');

  const sent = await sendSignal({ kind: 'pid-file', pidFile: 'app.pid' }, 'SIGUSR2', { root: dir });
  t.strictSame(sent, {
    signal: 'SIGUSR2',
    pid: app.pid,
    group: false,
    pidFile: join(dir, 'app.pid'),
  });
  await waitFor(() => readText(join(dir, 'signals.txt')) === 'SIGUSR2\n', 'the signal');

  const absolute = join(dir, 'app.pid');
  await sendSignal({ kind: 'pid-file', pidFile: absolute }, 'SIGHUP', { root: '/elsewhere' });
  await waitFor(() => readText(join(dir, 'signals.txt')) === 'SIGUSR2\nSIGHUP\n', 'the second');
});

t.test('pid files must hold one usable process id', async (t) => {
  const dir = t.testdir({
    'spaces.pid': '  4242 \n',
    'words.pid': 'not a pid\n',
    'zero.pid': '0\n',
    'negative.pid': '-1\n',
    'float.pid': '12.5\n',
    'huge.pid': '99999999999\n',
    'long.pid': `${'1'.repeat(80)}\n`,
    'self.pid': `${process.pid}\n`,
    'empty.pid': '',
    directory: {},
  });
  t.equal(await readPidFile(join(dir, 'spaces.pid')), 4242);
  for (const name of ['words', 'zero', 'negative', 'float', 'huge', 'long', 'empty']) {
    await t.rejects(
      readPidFile(join(dir, `${name}.pid`)),
      new PidFileError(join(dir, `${name}.pid`), 'invalid'),
      name,
    );
  }
  await t.rejects(
    readPidFile(join(dir, 'self.pid')),
    new PidFileError(join(dir, 'self.pid'), 'self'),
  );
  await t.rejects(readPidFile(join(dir, 'missing.pid')), {
    name: 'PidFileError',
    code: 'LIVEPATCH_PID_FILE_INVALID',
    problem: 'missing',
    message: `Pid file "${join(dir, 'missing.pid')}" does not exist. Start the app so that it writes its pid there, or fix the rule's pidFile.`,
  });
  await t.rejects(
    readPidFile(join(dir, 'directory')),
    new PidFileError(join(dir, 'directory'), 'unreadable'),
  );
  const words = await readPidFile(join(dir, 'words.pid')).catch((error: unknown) => error);
  t.notMatch(String(words), 'not a pid', 'the content is never quoted');
});

t.test('a stale pid file is reported, not ignored', async (t) => {
  const dir = t.testdir({ 'stale.pid': `${2 ** 30}\n` });
  await t.rejects(
    sendSignal({ kind: 'pid-file', pidFile: join(dir, 'stale.pid') }, 'SIGHUP'),
    new SignalDeliveryError(
      `pid ${2 ** 30} (from pid file "${join(dir, 'stale.pid')}")`,
      2 ** 30,
      'SIGHUP',
      'ESRCH',
    ),
  );
  const error = await sendSignal(
    { kind: 'pid-file', pidFile: join(dir, 'stale.pid') },
    'SIGHUP',
  ).catch((caught: unknown) => caught);
  t.match(error, {
    errno: 'ESRCH',
    pid: 2 ** 30,
    signal: 'SIGHUP',
    message: /^Pid \d+ .* is gone/,
  });
});

t.test('the app target goes to the supervisor', async (t) => {
  await t.rejects(sendSignal({ kind: 'app' }, 'SIGHUP'), AppNotRunningError);
  const asked: string[] = [];
  const supervisor = {
    signal: (signal: NodeJS.Signals) => {
      asked.push(signal);
      return 77;
    },
  };
  t.strictSame(await sendSignal({ kind: 'app' }, 'SIGHUP', { supervisor }), {
    signal: 'SIGHUP',
    pid: 77,
    group: true,
  });
  t.strictSame(asked, ['SIGHUP']);
});

t.test('signal errors explain themselves', async (t) => {
  t.match(
    new SignalDeliveryError('pid 1', 1, 'SIGHUP', 'EPERM').message,
    /^Not permitted to send SIGHUP to pid 1\./,
  );
  t.match(new SignalDeliveryError('pid 1', 1, 'SIGHUP', 'EINVAL').message, /failed \(EINVAL\)/);
});
