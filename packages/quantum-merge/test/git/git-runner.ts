import t from 'tap';
import { DEFAULT_GIT_IDENTITY, GitCommandError, GitRunner } from '../../src/git/git-runner.js';

const SECRET = 'not-a-real-token-4f9c1d2e8b7a';

t.test('runs git with an argument array, stdin and extra variables, in cwd', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner();
  await runner.run(['init', '--quiet', '--bare', 'repo.git'], { cwd: dir });
  const repo = `${dir}/repo.git`;
  // A shell would expand these; git must receive them as they are.
  const content = 'hello $HOME `id` ; | & \n';
  const blob = await runner.run(['hash-object', '-w', '--stdin'], { cwd: repo, input: content });
  const shown = await runner.run(['cat-file', 'blob', blob.stdout.trim()], { cwd: repo });
  t.equal(shown.stdout, content);
  t.equal(shown.exitCode, 0);

  const tree = await runner.run(['write-tree'], {
    cwd: repo,
    env: { GIT_INDEX_FILE: `${dir}/index` },
  });
  const commit = await runner.run(['commit-tree', tree.stdout.trim()], {
    cwd: repo,
    input: 'message\n',
    env: { GIT_AUTHOR_NAME: 'Someone Else' },
  });
  const idents = await runner.run(
    ['show', '-s', '--format=%an <%ae>%n%cn <%ce>', commit.stdout.trim()],
    { cwd: repo },
  );
  t.equal(
    idents.stdout,
    `Someone Else <${DEFAULT_GIT_IDENTITY.email}>\n` +
      `${DEFAULT_GIT_IDENTITY.name} <${DEFAULT_GIT_IDENTITY.email}>\n`,
    'the per-run variable overrides the identity, the committer is fixed',
  );
});

t.test(
  'the identity, config and environment are the runner options, not the user config',
  async (t) => {
    const dir = t.testdir({ home: { '.gitconfig': '[user]\n\tname = From Global Config\n' } });
    const runner = new GitRunner({
      identity: { name: 'Merge Bot', email: 'bot@example.com' },
      config: {
        'qm.answer': '42',
        'alias.show-env':
          '!echo "$GIT_TERMINAL_PROMPT|$GIT_CONFIG_NOSYSTEM|$LC_ALL|$GIT_SSH_COMMAND"',
      },
      env: {
        PATH: process.env.PATH,
        HOME: `${dir}/home`,
        GIT_DIR: `${dir}/elsewhere`,
        GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
      },
    });
    const answer = await runner.run(['config', 'qm.answer'], { cwd: dir });
    t.equal(answer.stdout, '42\n', 'config comes through GIT_CONFIG_* variables');
    const name = await runner.run(['config', 'user.name'], { cwd: dir, okExitCodes: [1] });
    t.equal(name.exitCode, 1, 'the global config of HOME is not read');
    const ident = await runner.run(['var', 'GIT_COMMITTER_IDENT'], { cwd: dir });
    t.match(ident.stdout, /^Merge Bot <bot@example\.com> /);
    const env = await runner.run(['show-env'], { cwd: dir });
    t.equal(
      env.stdout,
      '0|1|C|ssh -o BatchMode=yes\n',
      'no prompts, no system config, transport kept',
    );
    await runner.run(['init', '--quiet', '--bare', `${dir}/elsewhere`], { cwd: dir });
    const gitDir = await runner.run(['rev-parse', '--absolute-git-dir'], {
      cwd: dir,
      okExitCodes: [0, 128],
    });
    t.not(gitDir.stdout.trim(), `${dir}/elsewhere`, 'an inherited GIT_DIR is dropped');
  },
);

t.test('a failing command throws GitCommandError with secrets scrubbed', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner({ secrets: [SECRET] });
  const url = `https://x-access-token:other-secret-value-123456@example.invalid/o/r.git`;
  const error = await runner.run(['rev-parse', '--verify', SECRET, url], { cwd: dir }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  t.ok(error instanceof GitCommandError);
  const gitError = error as GitCommandError;
  t.equal(gitError.code, 'QM_GIT_COMMAND');
  t.equal(gitError.exitStatus, 128);
  t.match(gitError.message, /^Command "git rev-parse --verify \[REDACTED:git-secret\] https:/);
  t.match(gitError.message, /exited with 128: fatal: /);
  for (const text of [gitError.message, gitError.stderr, ...gitError.args]) {
    t.notMatch(text, SECRET);
    t.notMatch(text, 'other-secret-value-123456');
  }
  t.notMatch(JSON.stringify(gitError), SECRET);
});

t.test('exit codes listed as results are returned, others thrown', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner({ secrets: [SECRET] });
  const result = await runner.run(['config', 'no.such'], { cwd: dir, okExitCodes: [0, 1] });
  t.equal(result.exitCode, 1);
  await t.rejects(runner.run(['config', 'no.such'], { cwd: dir }), {
    name: 'GitCommandError',
    exitStatus: 1,
  });
  t.equal(
    runner.commandError(['config', SECRET], result).message,
    'Command "git config [REDACTED:git-secret]" exited with 1. Check that git 2.38 or later is on PATH and that the remote is reachable with the configured URL and token.',
  );
});

t.test('a command running past its timeout is stopped', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner({ config: { 'alias.hang': '!sleep 3' }, timeoutMs: 200 });
  const started = Date.now();
  await t.rejects(runner.run(['hang'], { cwd: dir }), {
    name: 'GitCommandError',
    exitStatus: null,
    message: /^Command "git hang" was stopped after 200 ms\./,
  });
  t.ok(Date.now() - started < 2500, 'does not wait for the alias shell holding the pipes');
});

t.test('git killed by a signal is a GitCommandError without exit status', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner({ config: { 'alias.die': '!kill -KILL $PPID' } });
  await t.rejects(runner.run(['die'], { cwd: dir }), {
    name: 'GitCommandError',
    exitStatus: null,
    message: /^Command "git die" was killed\./,
  });
});

t.test('git that cannot be started is a GitCommandError naming the errno', async (t) => {
  const dir = t.testdir();
  const runner = new GitRunner({ env: { PATH: dir } });
  await t.rejects(runner.run(['status'], { cwd: dir }), {
    name: 'GitCommandError',
    exitStatus: null,
    message: /^Command "git status" could not be started \(ENOENT\)\./,
  });
});
