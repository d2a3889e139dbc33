/**
 * End-to-end: runs the built single executable `dist/bin/velocity` (from `npm run build`) as a real child
 * process, from a directory with no node_modules, the way users run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import pkg from '../../package.json' with { type: 'json' };

const exe = join(
  import.meta.dirname,
  '..',
  '..',
  'dist',
  'bin',
  process.platform === 'win32' ? 'velocity.exe' : 'velocity',
);
t.before(() => {
  if (!existsSync(exe)) throw new Error(`${exe} is missing: run npm run build first`);
});

function velocity(cwd: string, args: string[], input = '', env: Record<string, string> = {}) {
  const copy = join(cwd, process.platform === 'win32' ? 'velocity.exe' : 'velocity');
  if (!existsSync(copy)) copyFileSync(exe, copy);
  const result = spawnSync(copy, args, {
    cwd,
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

t.test('--version prints the version', async (t) => {
  const run = velocity(t.testdir(), ['--version']);
  t.equal(run.code, 0);
  t.equal(run.stdout, `${pkg.version}\n`);
});

t.test('scrub pipes stdin to stdout without secrets', async (t) => {
  const token = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
  const run = velocity(
    t.testdir(),
    ['scrub', '--secret-env', 'DEPLOY_KEY'],
    `pushing with ${token}\nkey=deploy-key-value-42\nplain\n`,
    { DEPLOY_KEY: 'deploy-key-value-42' },
  );
  t.equal(run.code, 0);
  t.notMatch(run.stdout, token.slice(4));
  t.notMatch(run.stdout, 'deploy-key-value-42');
  t.match(run.stdout, /\nplain\n$/);
});

t.test('config print --sources reads velocity.yaml and env', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': 'depCi:\n  runner: vitest\n' });
  const run = velocity(cwd, ['config', 'print', '--sources'], '', { VELOCITY_LOG_LEVEL: 'warn' });
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /depCi\.runner.*"vitest".*velocity\.yaml:2:11/);
  t.match(run.stdout, /log\.level.*"warn".*VELOCITY_LOG_LEVEL/);
});

t.test('a config error exits 2 with file:line:col on stderr', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': 'quantumMerge:\n  concurrency: lots\n' });
  const run = velocity(cwd, ['config', 'print']);
  t.equal(run.code, 2);
  t.match(
    run.stderr,
    /^velocity: error: .*velocity\.yaml:2:16 quantumMerge\.concurrency: expected/,
  );
  t.equal(run.stdout, '');
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  t.test(`${signal} exits ${code}`, { skip: process.platform === 'win32' }, async (t) => {
    const cwd = t.testdir();
    const copy = join(cwd, 'velocity');
    copyFileSync(exe, copy);
    const child = spawn(copy, ['scrub'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write('line one\n');
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill(signal);
    const exit = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    t.equal(exit, code);
  });
}

t.test(
  'a reader that goes away early is not an error',
  { skip: process.platform === 'win32' },
  async (t) => {
    const cwd = t.testdir();
    const copy = join(cwd, 'velocity');
    copyFileSync(exe, copy);
    const child = spawn(copy, ['scrub'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.write('first line\n');
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    child.stdin.end('x'.repeat(1 << 20) + '\n'.repeat(1000));
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    t.equal(code, 0);
    t.notMatch(stderr, /EPIPE|Unhandled/);
  },
);
