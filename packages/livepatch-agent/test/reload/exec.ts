import { join } from 'node:path';
import t from 'tap';
import { CommandStartError, execCommand, ReloadConfigError } from '../../src/reload/index.js';
import { APP_ENV, createTestBus, isAlive, nodeApp, readText, waitFor } from './helpers/apps.js';

t.test('a command runs, its output goes to the bus, and its exit code is reported', async (t) => {
  const dir = t.testdir({});
  const { events } = createTestBus();
  const command = nodeApp(
    dir,
    'install',
    `console.log('added 3 packages'); console.error('warn deprecated'); console.log(process.cwd()); process.exit(3);`,
  );
  const result = await execCommand(command, { events, batchId: 'b1', cwd: dir, env: APP_ENV });
  t.match(result, {
    command,
    exitCode: 3,
    signal: null,
    timedOut: false,
    aborted: false,
    ok: false,
  });
  t.type(result.durationMs, 'number');
  const lines = (stream: string) =>
    events
      .recent()
      .filter((record) => record.stream === stream)
      .map(({ kind, text, batchId }) => ({ kind, text, batchId }));
  t.strictSame(lines('stdout'), [
    { kind: 'exec', text: 'added 3 packages', batchId: 'b1' },
    { kind: 'exec', text: dir, batchId: 'b1' },
  ]);
  t.strictSame(lines('stderr'), [{ kind: 'exec', text: 'warn deprecated', batchId: 'b1' }]);
  const ok = await execCommand([process.execPath, '-e', ''], { events, env: APP_ENV });
  t.match(ok, { exitCode: 0, ok: true });
});

t.test('a command that runs too long is stopped', async (t) => {
  const { events } = createTestBus();
  const command = [process.execPath, '-e', 'setInterval(() => {}, 1000)'];
  const result = await execCommand(command, { events, env: APP_ENV, timeoutMs: 300 });
  t.match(result, { exitCode: null, signal: 'SIGTERM', timedOut: true, aborted: false, ok: false });
  t.ok(result.durationMs >= 290);
});

t.test('stopping a command stops its process group', async (t) => {
  const dir = t.testdir({});
  const { events } = createTestBus();
  const command = nodeApp(
    dir,
    'hang',
    `const { spawn } = require('node:child_process');
     const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
     require('node:fs').writeFileSync(__dirname + '/child.pid', String(child.pid));
     setInterval(() => {}, 1000);`,
  );
  const controller = new AbortController();
  const running = execCommand(command, { events, env: APP_ENV, signal: controller.signal });
  await waitFor(() => readText(join(dir, 'child.pid')) !== '', 'the grandchild');
  const child = Number(readText(join(dir, 'child.pid')));
  t.ok(isAlive(child));
  controller.abort();
  t.match(await running, { signal: 'SIGTERM', aborted: true, ok: false });
  await waitFor(() => !isAlive(child), 'the grandchild to go');
});

t.test('a command that ignores SIGTERM is killed after the grace period', async (t) => {
  const dir = t.testdir({});
  const { events } = createTestBus();
  const command = nodeApp(
    dir,
    'stubborn',
    `process.on('SIGTERM', () => console.log('ignored'));
     console.log('ready');
     setInterval(() => {}, 1000);`,
  );
  const controller = new AbortController();
  const running = execCommand(command, {
    events,
    env: APP_ENV,
    signal: controller.signal,
    killGraceMs: 100,
  });
  await waitFor(() => events.recent().some((record) => record.text === 'ready'), 'the handler');
  controller.abort();
  const result = await running;
  t.match(result, { signal: 'SIGKILL', aborted: true, timedOut: false, ok: false });
  t.ok(events.recent().some((record) => record.text === 'ignored'));
  t.match(await execCommand(command, { events, signal: controller.signal }), {
    aborted: true,
    exitCode: null,
  });
});

t.test('a command that cannot start is an error', async (t) => {
  const { events } = createTestBus();
  await t.rejects(execCommand(['no-such-command-velocity', '--secret-arg'], { events }), {
    name: 'CommandStartError',
    program: 'no-such-command-velocity',
    errno: 'ENOENT',
  });
  const error = await execCommand(['no-such-command-velocity', '--secret-arg'], { events }).catch(
    (caught: unknown) => caught,
  );
  t.type(error, CommandStartError);
  t.notMatch(String(error), 'secret-arg', 'arguments are not in the message');
  await t.rejects(execCommand([], { events }), ReloadConfigError);
});
