import { PassThrough } from 'node:stream';
import t from 'tap';
import pkg from '../package.json' with { type: 'json' };
import { main } from '../src/cli.js';
import { testIo } from './helpers/io.js';

const TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

t.test('--version prints the package version', async (t) => {
  const io = testIo({ cwd: t.testdir() });
  t.equal(await main(['--version'], io), 0);
  t.equal(io.stdout.text, `${pkg.version}\n`);
});

t.test('--help lists the commands on stdout', async (t) => {
  const io = testIo({ cwd: t.testdir() });
  t.equal(await main(['--help'], io), 0);
  t.match(io.stdout.text, /config \[action\]/);
  t.match(io.stdout.text, /scrub/);
  t.equal(io.stderr.text, '');
});

t.test('usage errors exit 2 with one line on stderr', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /^velocity: error: No command given/],
    [['deploy'], /^velocity: error: Unknown command "deploy"/],
    [['scrub', '--nope'], /^velocity: error: Unknown option `--nope`/],
    [['config', 'show'], /^velocity: error: Unknown config action "show"/],
    [['config', 'print', '--format', 'xml'], /^velocity: error: Unknown format "xml"/],
    [['config', 'print', '--set', 'novalue'], /^velocity: error: Malformed --set "novalue"/],
  ];
  for (const [argv, expected] of cases) {
    const io = testIo({ cwd: t.testdir() });
    t.equal(await main(argv, io), 2, argv.join(' '));
    t.match(io.stderr.text, expected);
    t.equal(io.stderr.text.trim().split('\n').length, 1, 'one line');
    t.equal(io.stdout.text, '');
  }
});

t.test('config print --sources shows each layer and redacts secrets', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml':
      'log:\n  level: debug\nquantumMerge:\n  webhookSecret: file-webhook-secret-value\n',
    sub: {},
  });
  const io = testIo({
    cwd: `${cwd}/sub`,
    env: { VELOCITY_QUANTUM_MERGE_CONCURRENCY: '8' },
  });
  t.equal(await main(['config', 'print', '--sources', '--set', 'depCi.baseBranch=trunk'], io), 0);
  const out = io.stdout.text;
  t.match(out, /log\.level.*"debug".*velocity\.yaml:2:10/);
  t.match(out, /quantumMerge\.concurrency.*8.*VELOCITY_QUANTUM_MERGE_CONCURRENCY/);
  t.match(out, /depCi\.baseBranch.*"trunk".*--set/);
  t.match(out, /quantumMerge\.webhookSecret.*\[REDACTED\]/);
  t.notMatch(out, 'file-webhook-secret-value');
});

t.test('an invalid config exits 2 naming file:line:col and the key path', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': 'depCi:\n  runner: jset\n' });
  const io = testIo({ cwd });
  t.equal(await main(['config', 'print'], io), 2);
  t.match(
    io.stderr.text,
    /^velocity: error: .*velocity\.yaml:2:11 depCi\.runner: expected one of "jest"/,
  );
});

t.test('scrub filters stdin to stdout, keeping everything else', async (t) => {
  const input = `ok line\r\nexport MY_VAR=my-registered-value-1\ntoken ${TOKEN}\nno newline at end`;
  const io = testIo({
    cwd: t.testdir(),
    env: { MY_VAR: 'my-registered-value-1' },
    input,
  });
  t.equal(await main(['scrub', '--secret-env', 'MY_VAR'], io), 0);
  t.equal(io.stdout.text.split('\n')[0], 'ok line\r');
  t.notMatch(io.stdout.text, 'my-registered-value-1');
  t.notMatch(io.stdout.text, TOKEN.slice(4));
  t.match(io.stdout.text, /no newline at end$/);
});

t.test('scrub warns about a --secret-env that is not set', async (t) => {
  const io = testIo({ cwd: t.testdir(), input: 'x\n' });
  t.equal(await main(['scrub', '--secret-env', 'NOT_SET'], io), 0);
  t.match(io.stderr.text, /NOT_SET/);
  t.equal(io.stdout.text, 'x\n');
});

t.test('scrub --json registers each record secrets and writes JSON log records', async (t) => {
  const lines = [
    {
      msg: 'deploy with sekret-value-12345',
      fields: { nested: { v: 'sekret-value-12345' } },
      secrets: ['sekret-value-12345'],
    },
    { msg: 'later record', fields: { again: 'sekret-value-12345', token: TOKEN } },
  ];
  const io = testIo({ cwd: t.testdir(), input: lines.map((l) => JSON.stringify(l)).join('\n') });
  t.equal(await main(['scrub', '--json'], io), 0);
  const records = io.stdout.records();
  t.equal(records.length, 2);
  t.equal(records[0]?.['msg'], 'deploy with [REDACTED:secret]');
  t.notMatch(io.stdout.text, 'sekret-value-12345');
  t.notMatch(io.stdout.text, TOKEN.slice(4));
  t.equal(records[1]?.['level'], 30);
});

t.test(
  'scrub --json reports malformed lines and exits 1 after writing the good ones',
  async (t) => {
    const io = testIo({
      cwd: t.testdir(),
      input: '{"msg":"good"}\nnot json\n{"msg":3}\n[]\n',
    });
    t.equal(await main(['scrub', '--json'], io), 1);
    t.equal(io.stdout.records().length, 1);
    t.match(io.stderr.text, /3 input line\(s\) were not JSON records.*line 2, 3, 4/);
  },
);

t.test('SIGINT during scrub exits 130', async (t) => {
  const input = new PassThrough();
  const io = testIo({ cwd: t.testdir(), input });
  const done = main(['scrub'], io);
  input.write('partial');
  setTimeout(() => io.controller.abort(), 20);
  t.equal(await done, 130);
});

t.test('an unexpected error is reported as a bug with exit 1', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': 'log: {}\n' });
  const io = testIo({ cwd, input: 'x' });
  io.stdout.write = () => {
    throw new Error('disk full');
  };
  t.equal(await main(['scrub', '--verbose'], io), 1);
  t.match(io.stderr.text, /^velocity: error: Unexpected error: disk full/);
  t.match(io.stderr.text, /this is a bug in Velocity/);
  t.match(io.stderr.text, /at /, 'stack with --verbose');
});

t.test('in GitHub Actions, secrets are masked on stderr and never reach stdout', async (t) => {
  const io = testIo({
    cwd: t.testdir(),
    env: { GITHUB_ACTIONS: 'true', DEPLOY_KEY: 'deploy-key-value-42' },
    input: 'using deploy-key-value-42\n',
  });
  t.equal(await main(['scrub', '--secret-env', 'DEPLOY_KEY'], io), 0);
  t.match(io.stderr.text, '::add-mask::deploy-key-value-42\n');
  t.equal(io.stdout.text, 'using [REDACTED:DEPLOY_KEY]\n');
});

t.test('secrets from velocity.yaml are scrubbed by kind of their key path', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': 'dashboard:\n  token: ${file:token.txt}\n',
    'token.txt': 'dashboard-token-from-file\n',
  });
  const io = testIo({ cwd, input: 'auth dashboard-token-from-file ok\n' });
  t.equal(await main(['scrub'], io), 0);
  t.equal(io.stdout.text, 'auth [REDACTED:dashboard.token] ok\n');
});

t.test('scrub passes bytes that are not UTF-8 through unchanged', async (t) => {
  const input = Buffer.concat([
    Buffer.from('binary \xff\xfe line with my-registered-value-1\n', 'latin1'),
    Buffer.from([0x00, 0xc3, 0x28, 0x0a]),
  ]);
  const io = testIo({ cwd: t.testdir(), env: { MY_VAR: 'my-registered-value-1' }, input });
  t.equal(await main(['scrub', '--secret-env', 'MY_VAR'], io), 0);
  t.strictSame(
    io.stdout.bytes,
    Buffer.concat([
      Buffer.from('binary \xff\xfe line with [REDACTED:MY_VAR]\n', 'latin1'),
      Buffer.from([0x00, 0xc3, 0x28, 0x0a]),
    ]),
  );
});
