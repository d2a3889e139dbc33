import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ConfigError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load.js';

/** A directory with no velocity.yaml in it or any parent (testdirs live inside the repository). */
async function emptyDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'velocity-config-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The ConfigError that `promise` rejects with. */
async function configError(t: Test, promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  t.type(error, ConfigError);
  return error as ConfigError;
}

t.test('with no file anywhere, every section has its defaults', async (t) => {
  const cwd = await emptyDir(t);
  const loaded = await loadConfig({ cwd, env: {} });
  t.equal(loaded.file, undefined);
  t.strictSame(loaded.config.log, {
    level: 'info',
    format: 'auto',
    secrets: [],
  });
  t.equal(loaded.config.depCi.runner, undefined);
  t.equal(loaded.config.depCi.baseBranch, undefined);
  t.equal(loaded.config.quantumMerge.concurrency, 4);
  t.equal(loaded.config.livepatch.listen, '127.0.0.1:7420');
  t.strictSame(loaded.sources.get('log.level'), { kind: 'default' });
  t.notOk(loaded.sources.has('depCi.runner'), 'unset optional leaves have no source');
  t.strictSame(loaded.secrets, [], 'default values of secret fields are not secrets');
  t.strictSame(loaded.warnings, []);
});

t.test('finds velocity.yaml in a parent directory and names it relative to cwd', async (t) => {
  const root = t.testdir({
    'velocity.yaml': 'log:\n  level: warn\n',
    packages: { app: {} },
  });
  const loaded = await loadConfig({
    cwd: join(root, 'packages', 'app'),
    env: {},
  });
  t.equal(loaded.file, join(root, 'velocity.yaml'));
  t.equal(loaded.config.log.level, 'warn');
  t.strictSame(loaded.sources.get('log.level'), {
    kind: 'file',
    file: join('..', '..', 'velocity.yaml'),
    line: 2,
    column: 10,
  });
});

t.test('--config must exist', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': '' });
  const error = await configError(t, loadConfig({ cwd, env: {}, configFile: 'ci.yaml' }));
  t.equal(error.issues[0]?.path, '--config');
  t.match(
    error.message,
    `config file "${join(cwd, 'ci.yaml')}" does not exist; fix the path, or omit --config`,
  );
});

t.test('VELOCITY_CONFIG names the file unless --config is given', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': 'log:\n  level: warn\n',
    'ci.yaml': 'log:\n  level: error\n',
    'dev.yaml': 'log:\n  level: debug\n',
  });
  const fromEnv = await loadConfig({
    cwd,
    env: { VELOCITY_CONFIG: 'ci.yaml' },
  });
  t.equal(fromEnv.config.log.level, 'error');
  t.equal(fromEnv.file, join(cwd, 'ci.yaml'));
  const fromFlag = await loadConfig({
    cwd,
    env: { VELOCITY_CONFIG: 'ci.yaml' },
    configFile: 'dev.yaml',
  });
  t.equal(fromFlag.config.log.level, 'debug');
  const error = await configError(t, loadConfig({ cwd, env: { VELOCITY_CONFIG: 'nope.yaml' } }));
  t.match(
    error.message,
    /^VELOCITY_CONFIG: config file ".*nope\.yaml" does not exist; .* omit VELOCITY_CONFIG/,
  );
});

t.test('each layer overrides the one below, and sources say which won', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      'log:',
      '  level: warn',
      '  format: json',
      'depCi:',
      '  runner: jest',
      '  runAllOn: [package.json]',
      '',
    ].join('\n'),
  });
  const loaded = await loadConfig({
    cwd,
    env: {
      VELOCITY_LOG_FORMAT: 'pretty',
      VELOCITY_DEP_CI_RUNNER: 'mocha',
      HOME: '/home/me',
    },
    flags: { 'depCi.runner': 'vitest' },
  });
  t.equal(loaded.config.depCi.baseBranch, undefined);
  t.equal(loaded.config.log.level, 'warn');
  t.equal(loaded.config.log.format, 'pretty');
  t.equal(loaded.config.depCi.runner, 'vitest');
  t.strictSame(loaded.config.depCi.runAllOn, ['package.json']);
  t.strictSame(loaded.sources.get('depCi.cacheDir'), { kind: 'default' });
  t.strictSame(loaded.sources.get('log.level'), {
    kind: 'file',
    file: 'velocity.yaml',
    line: 2,
    column: 10,
  });
  t.strictSame(loaded.sources.get('depCi.runAllOn'), {
    kind: 'file',
    file: 'velocity.yaml',
    line: 6,
    column: 13,
  });
  t.strictSame(loaded.sources.get('log.format'), {
    kind: 'env',
    name: 'VELOCITY_LOG_FORMAT',
  });
  t.strictSame(loaded.sources.get('depCi.runner'), {
    kind: 'flag',
    name: 'depCi.runner',
  });
});

t.test('a value replaced by a higher layer is not resolved or validated', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': 'quantumMerge:\n  githubToken: ${env:GITHUB_TOKEN}\n  concurrency: lots\n',
  });
  const loaded = await loadConfig({
    cwd,
    env: { VELOCITY_QUANTUM_MERGE_GITHUB_TOKEN: 'ghp_fromenv' },
    flags: { 'quantumMerge.concurrency': 8 },
  });
  t.equal(loaded.config.quantumMerge.githubToken, 'ghp_fromenv');
  t.equal(loaded.config.quantumMerge.concurrency, 8);
});

t.test('environment variables are coerced to the type of their field', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': '' });
  const loaded = await loadConfig({
    cwd,
    env: {
      VELOCITY_QUANTUM_MERGE_APP_ID: '123',
      VELOCITY_QUANTUMMERGE_CONCURRENCY: '8',
      VELOCITY_LIVEPATCH_DURABLE: 'TRUE',
      VELOCITY_DEP_CI_IGNORE_TYPE_IMPORTS: '0',
      VELOCITY_QUANTUM_MERGE_REQUIRED_CHECKS: 'build, test,',
      VELOCITY_DEP_CI_RUN_ALL_ON: '["a, b.json"]',
      VELOCITY_DEP_CI_ALIASES: '{"^@/(.*)$":"src/$1"}',
      VELOCITY_LIVEPATCH_RELOAD: '[{"paths":["nginx.conf"],"action":"signal","signal":"SIGHUP"}]',
      VELOCITY_LOG_LEVEL: '',
    },
  });
  const { quantumMerge, livepatch, depCi, log } = loaded.config;
  t.equal(quantumMerge.appId, 123);
  t.equal(quantumMerge.concurrency, 8);
  t.equal(livepatch.durable, true);
  t.equal(depCi.ignoreTypeImports, false);
  t.strictSame(quantumMerge.requiredChecks, ['build', 'test']);
  t.strictSame(depCi.runAllOn, ['a, b.json']);
  t.strictSame(depCi.aliases, { '^@/(.*)$': 'src/$1' });
  t.strictSame(livepatch.reload, [{ paths: ['nginx.conf'], action: 'signal', signal: 'SIGHUP' }]);
  t.equal(log.level, 'info', 'an empty variable counts as unset');
  t.strictSame(loaded.sources.get('quantumMerge.concurrency'), {
    kind: 'env',
    name: 'VELOCITY_QUANTUMMERGE_CONCURRENCY',
  });
});

t.test('bad environment variables are issues naming the variable', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': '' });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {
        VELOCITY_QUANTUM_MERGE_CONCURRENCY: 'abc',
        VELOCITY_LIVEPATCH_DURABLE: 'maybe',
        VELOCITY_DEP_CI_ALIASES: 'src=lib',
        VELOCITY_LIVEPATCH_RELOAD: '[{"paths":',
        VELOCITY_DEP_CI_RUNNER: 'jset',
      },
    }),
  );
  t.strictSame(error.issues, [
    {
      path: 'depCi.aliases (from VELOCITY_DEP_CI_ALIASES)',
      message: 'expected a JSON object, got "src=lib"',
    },
    {
      path: 'livepatch.reload (from VELOCITY_LIVEPATCH_RELOAD)',
      message: 'expected a JSON array, got "[{\\"paths\\":"',
    },
    {
      path: 'depCi.runner (from VELOCITY_DEP_CI_RUNNER)',
      message:
        'expected one of "jest" | "vitest" | "mocha" | "node" | "tap" | "pytest" | "playwright", got "jset"',
    },
    {
      path: 'livepatch.durable (from VELOCITY_LIVEPATCH_DURABLE)',
      message: 'expected a boolean, got "maybe"',
    },
    {
      path: 'quantumMerge.concurrency (from VELOCITY_QUANTUM_MERGE_CONCURRENCY)',
      message: 'expected a number, got "abc"',
    },
  ]);
});

t.test('unknown VELOCITY_* variables are warnings, with a suggestion when close', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': '' });
  const loaded = await loadConfig({
    cwd,
    env: {
      VELOCITY_LOG_LEVLE: 'debug',
      VELOCITY_SOMETHING_ELSE: '1',
      VELOCITY_CONFIG: '',
    },
  });
  t.strictSame(loaded.warnings, [
    'ignoring unknown environment variable VELOCITY_LOG_LEVLE (did you mean VELOCITY_LOG_LEVEL?)',
    'ignoring unknown environment variable VELOCITY_SOMETHING_ELSE',
  ]);
  t.equal(loaded.config.log.level, 'info');
});

t.test('flags are validated, and unknown flags are issues', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': '' });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {},
      flags: {
        'depCi.runer': 'jest',
        log: 'debug',
        'quantumMerge.batchSize': 0,
        'livepatch.listen': 'nowhere',
      },
    }),
  );
  t.strictSame(error.issues, [
    {
      path: '--set depCi.runer',
      message: 'unknown key "depCi.runer" (did you mean "depCi.runner"?)',
    },
    {
      path: '--set log',
      message: '"log" is a section; set one of its fields (log.level, log.format, log.secrets)',
    },
    {
      path: 'livepatch.listen (from --set livepatch.listen)',
      message: 'expected HOST:PORT such as "127.0.0.1:7420", got "nowhere"',
    },
    {
      path: 'quantumMerge.batchSize (from --set quantumMerge.batchSize)',
      message: 'expected a number >= 1, got 0',
    },
  ]);
  const loaded = await loadConfig({
    cwd,
    env: {},
    flags: { 'quantumMerge.batchSize': '5', 'depCi.testGlobs': ['a', 'b'] },
  });
  t.equal(loaded.config.quantumMerge.batchSize, 5, 'string flags are coerced like variables');
  t.strictSame(loaded.config.depCi.testGlobs, ['a', 'b']);
});

t.test('references resolve from the environment and from files', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      'quantumMerge:',
      '  privateKey: ${file:keys/app.pem}',
      '  githubToken: ${env:GH_TOKEN}',
      '  redisUrl: redis://:${env:REDIS_PASSWORD}@redis:6379',
      '  appId: ${env:APP_ID}',
      '  label: $${not-a-ref}',
      'livepatch:',
      '  certs: ${file:certs-dir.txt}',
      '',
    ].join('\n'),
    keys: {
      'app.pem': '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n',
    },
    'certs-dir.txt': '/etc/velocity/certs\r\n',
    'token.txt': 'ghp_fromfile\n',
  });
  const loaded = await loadConfig({
    cwd,
    env: {
      GH_TOKEN: 'ghp_env',
      REDIS_PASSWORD: 'pw',
      APP_ID: '42',
      VELOCITY_DASHBOARD_TOKEN: '${file:token.txt}',
    },
  });
  const { quantumMerge, livepatch, dashboard } = loaded.config;
  t.equal(
    quantumMerge.privateKey,
    '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
  );
  t.equal(quantumMerge.githubToken, 'ghp_env');
  t.equal(quantumMerge.redisUrl, 'redis://:pw@redis:6379');
  t.equal(quantumMerge.appId, 42, 'a value that held a reference is coerced');
  t.equal(quantumMerge.label, '${not-a-ref}', '$${ escapes a literal ${');
  t.equal(livepatch.certs, '/etc/velocity/certs', 'one trailing newline is stripped');
  t.equal(dashboard.token, 'ghp_fromfile', 'relative paths in variables start at cwd');
  t.strictSame(
    [...loaded.secrets].sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: 'dashboard.token', value: 'ghp_fromfile' },
      { path: 'livepatch.certs', value: '/etc/velocity/certs' },
      { path: 'quantumMerge.githubToken', value: 'ghp_env' },
      {
        path: 'quantumMerge.privateKey',
        value: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
      },
      { path: 'quantumMerge.redisUrl', value: 'redis://:pw@redis:6379' },
    ],
    'secret fields and everything read from files are secrets',
  );
});

t.test('references in the file resolve relative to the file, not cwd', async (t) => {
  const root = t.testdir({
    'velocity.yaml': 'dashboard:\n  token: ${file:secrets/token}\n',
    secrets: { token: 'root-token' },
    sub: { secrets: { token: 'sub-token' } },
  });
  const loaded = await loadConfig({ cwd: join(root, 'sub'), env: {} });
  t.equal(loaded.config.dashboard.token, 'root-token');
});

t.test('unresolvable references are issues at the value, with a remedy', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      'quantumMerge:',
      '  githubToken: ${env:MISSING_TOKEN}',
      'livepatch:',
      '  reload:',
      '    - paths: [a]',
      '      action: exec',
      '      command: make ${file:/nonexistent/velocity/cmd}',
      '  certs: ${vault:certs}',
      '  ignore: ["${env:UNCLOSED"]',
      '',
    ].join('\n'),
  });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {},
      readFile: async (path) => {
        if (path.endsWith('velocity.yaml')) return readFile(path, 'utf8');
        throw Object.assign(new Error('no'), { code: 'ENOENT' });
      },
    }),
  );
  t.strictSame(error.issues, [
    {
      file: 'velocity.yaml',
      line: 2,
      column: 16,
      path: 'quantumMerge.githubToken',
      message:
        'environment variable "MISSING_TOKEN" is not set; set it, or remove the ${env:MISSING_TOKEN} reference',
    },
    {
      file: 'velocity.yaml',
      line: 7,
      column: 16,
      path: 'livepatch.reload[0].command',
      message: `cannot read "/nonexistent/velocity/cmd" for \${file:/nonexistent/velocity/cmd} (ENOENT); fix the path (relative paths start at ${cwd}) or the file's permissions`,
    },
    {
      file: 'velocity.yaml',
      line: 8,
      column: 10,
      path: 'livepatch.certs',
      message:
        'unsupported reference; write ${env:NAME} or ${file:PATH}, or "$${" for a literal "${"',
    },
    {
      file: 'velocity.yaml',
      line: 9,
      column: 12,
      path: 'livepatch.ignore[0]',
      message: 'unterminated "${"; close the reference with "}", or write "$${" for a literal "${"',
    },
  ]);
});

t.test('every problem in a real file is reported at its node, in source order', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      '# Velocity configuration', // 1
      'log:', // 2
      '  level: debug', // 3
      'livepatch:', // 4
      '  agent: 10.0.0.5:99999', // 5
      '  reload:', // 6
      "    - paths: ['src/**']", // 7
      '      action: restart', // 8
      "    - paths: ['nginx.conf']", // 9
      '      action: reboot', // 10
      'depCi:', // 11
      '    runner: jset', // 12
      '    runer: jest', // 13
      'quantumMerge:', // 14
      '  concurrency: 0.5', // 15
      '  mergeMethod: [squash]', // 16
      'dashbord: {}', // 17
      '',
    ].join('\n'),
  });
  const error = await configError(t, loadConfig({ cwd, env: {} }));
  t.equal(
    error.message,
    [
      'velocity.yaml:5:10 livepatch.agent: expected a port between 1 and 65535',
      'velocity.yaml:10:15 livepatch.reload[1].action: expected one of "sync" | "signal" | "restart" | "exec", got "reboot"',
      'velocity.yaml:12:13 depCi.runner: expected one of "jest" | "vitest" | "mocha" | "node" | "tap" | "pytest" | "playwright", got "jset"',
      'velocity.yaml:13:5 depCi.runer: unknown key "runer" (did you mean "runner"?)',
      'velocity.yaml:15:16 quantumMerge.concurrency: expected an integer, got 0.5',
      'velocity.yaml:16:16 quantumMerge.mergeMethod: expected one of "merge" | "squash" | "rebase" | "fast-forward", got a list',
      'velocity.yaml:17:1 dashbord: unknown key "dashbord" (did you mean "dashboard"?)',
    ].join('\n'),
  );
  t.equal(error.code, 'CONFIG_INVALID');
  t.equal(error.exitCode, 2);
});

t.test('missing fields are reported at the enclosing node', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      'dashboard:',
      '  agents:',
      '    - name: prod',
      '      certs: certs/prod',
      'livepatch:',
      '  reload:',
      '    - paths: []',
      '      action: sync',
      '      signal: SIGHUP',
      '',
    ].join('\n'),
  });
  const error = await configError(t, loadConfig({ cwd, env: {} }));
  t.strictSame(
    error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`),
    [
      '3:7 dashboard.agents[0].address: required; expected a string',
      '7:14 livepatch.reload[0].paths: expected at least 1 item',
      '9:15 livepatch.reload[0].signal: only allowed when action is "signal"',
    ],
  );
  const missing = t.testdir({
    'velocity.yaml': 'livepatch:\n  reload:\n    - paths: [a]\n      action: exec\n',
  });
  const refined = await configError(t, loadConfig({ cwd: missing, env: {} }));
  t.equal(
    refined.message,
    'velocity.yaml:3:7 livepatch.reload[0].command: required when action is "exec"',
  );
});

t.test('YAML syntax errors, duplicate keys and odd roots are positioned issues', async (t) => {
  const cwd = t.testdir({
    'syntax.yaml': 'log:\n  level: "info\n',
    'dup.yaml': 'log:\n  level: info\n  level: warn\n',
    'list.yaml': '- log\n',
  });
  const syntax = await configError(t, loadConfig({ cwd, env: {}, configFile: 'syntax.yaml' }));
  t.strictSame(syntax.issues, [
    {
      file: 'syntax.yaml',
      line: 3,
      column: 1,
      path: 'log.level',
      message: 'invalid YAML: Missing closing "quote',
    },
  ]);
  const dup = await configError(t, loadConfig({ cwd, env: {}, configFile: 'dup.yaml' }));
  t.equal(
    dup.message,
    'dup.yaml:3:3 log.level: duplicate key "level"; each key may appear only once',
  );
  const list = await configError(t, loadConfig({ cwd, env: {}, configFile: 'list.yaml' }));
  t.equal(
    list.message,
    'list.yaml:1:1 (root): expected a mapping of section names (depCi, livepatch, …) at the top level, got a list',
  );
});

t.test('an unreadable config file is an issue', async (t) => {
  const cwd = t.testdir({ 'velocity.yaml': 'log: {}\n' });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {},
      readFile: async () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    }),
  );
  t.equal(
    error.message,
    'velocity.yaml (root): cannot read the config file (EACCES); check its permissions',
  );
});

t.test('secrets never appear in messages', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': [
      'log:',
      '  secrets: [hunter2-extra]',
      'quantumMerge:',
      '  webhookSecret: 31337',
      '  privateKey: not-a-pem-hunter2-key',
      '  mergeMethod: hunter2-extra',
      'dashboard:',
      '  redisUrl: http://admin:hunter2-redis@cache:6379',
      'depCi:',
      '  runner: ${file:runner.txt}',
      '  baseBranch: [hunter2-extra]',
      '',
    ].join('\n'),
    'runner.txt': 'hunter2-file\n',
  });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {
        VELOCITY_DASHBOARD_TOKEN: '${file:runner.txt}',
        VELOCITY_QUANTUM_MERGE_APP_ID: 'abc',
      },
      flags: { 'quantumMerge.githubToken': 12345678 },
    }),
  );
  for (const secret of ['hunter2', '31337', '12345678']) t.notMatch(error.message, secret);
  t.equal(
    error.message,
    [
      'velocity.yaml:4:18 quantumMerge.webhookSecret: expected a string',
      'velocity.yaml:5:15 quantumMerge.privateKey: expected a PEM private key',
      'velocity.yaml:6:16 quantumMerge.mergeMethod: expected one of "merge" | "squash" | "rebase" | "fast-forward"',
      'velocity.yaml:8:13 dashboard.redisUrl: expected a redis:// or rediss:// URL',
      'velocity.yaml:10:11 depCi.runner: expected one of "jest" | "vitest" | "mocha" | "node" | "tap" | "pytest" | "playwright"',
      'velocity.yaml:11:15 depCi.baseBranch: expected a string, got a list',
      'quantumMerge.appId (from VELOCITY_QUANTUM_MERGE_APP_ID): expected a number, got "abc"',
      'quantumMerge.githubToken (from --set quantumMerge.githubToken): expected a string',
    ].join('\n'),
  );
});

t.test('a variable that cannot be coerced is not quoted when it holds a secret', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': 'log:\n  secrets: [tok-123456]\n',
  });
  const error = await configError(
    t,
    loadConfig({
      cwd,
      env: {
        VELOCITY_DEP_CI_ALIASES: 'x=tok-123456',
        VELOCITY_LIVEPATCH_RELOAD: 'nope',
      },
    }),
  );
  t.strictSame(error.issues, [
    {
      path: 'depCi.aliases (from VELOCITY_DEP_CI_ALIASES)',
      message: 'expected a JSON object',
    },
    {
      path: 'livepatch.reload (from VELOCITY_LIVEPATCH_RELOAD)',
      message: 'expected a JSON array, got "nope"',
    },
  ]);
});

t.test('the config is deeply frozen', async (t) => {
  const cwd = t.testdir({
    'velocity.yaml': 'depCi:\n  runAllOn: [package.json]\n',
  });
  const { config } = await loadConfig({ cwd, env: {} });
  t.ok(Object.isFrozen(config));
  t.ok(Object.isFrozen(config.depCi));
  t.ok(Object.isFrozen(config.depCi.runAllOn));
  t.throws(() => (config.depCi.runAllOn as string[]).push('x'), TypeError);
  t.throws(() => {
    (config.log as { level: string }).level = 'debug';
  }, TypeError);
});
