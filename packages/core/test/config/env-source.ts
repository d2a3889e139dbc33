import t from 'tap';
import { envNameFor, matchEnv } from '../../src/config/env-source.js';
import { leafPaths } from '../../src/config/schema-tree.js';

t.test('envNameFor splits camelCase into UPPER_SNAKE', async (t) => {
  t.equal(envNameFor('depCi.runner'), 'VELOCITY_DEP_CI_RUNNER');
  t.equal(
    envNameFor('quantumMerge.buildTimeoutMinutes'),
    'VELOCITY_QUANTUM_MERGE_BUILD_TIMEOUT_MINUTES',
  );
  t.equal(envNameFor('log.level'), 'VELOCITY_LOG_LEVEL');
});

t.test('every leaf has its own canonical variable, and it matches back', async (t) => {
  const names = leafPaths().map(envNameFor);
  t.equal(new Set(names).size, names.length, 'no two leaves share a variable');
  const env = Object.fromEntries(names.map((name) => [name, 'x']));
  t.strictSame(
    matchEnv(env)
      .entries.map((entry) => entry.path)
      .sort(),
    [...leafPaths()].sort(),
  );
});

t.test('variables match leaves ignoring underscores and case', async (t) => {
  const { entries, warnings } = matchEnv({
    VELOCITY_DEPCI_RUNNER: 'vitest',
    VELOCITY_QUANTUM_MERGE_GITHUB_TOKEN: 'ghp',
    VELOCITY_LOG_LEVEL: 'debug',
    PATH: '/bin',
    VELOCITY_CONFIG: 'ci.yaml',
    VELOCITY_LOG_FORMAT: '',
    VELOCITY_DASHBOARD_TOKEN: undefined,
  });
  t.strictSame(entries, [
    { path: 'depCi.runner', name: 'VELOCITY_DEPCI_RUNNER', value: 'vitest' },
    { path: 'log.level', name: 'VELOCITY_LOG_LEVEL', value: 'debug' },
    {
      path: 'quantumMerge.githubToken',
      name: 'VELOCITY_QUANTUM_MERGE_GITHUB_TOKEN',
      value: 'ghp',
    },
  ]);
  t.strictSame(warnings, []);
});

t.test('the canonical name wins when two variables set one field', async (t) => {
  for (const env of [
    { VELOCITY_DEP_CI_RUNNER: 'jest', VELOCITY_DEPCI_RUNNER: 'mocha' },
    { VELOCITY_DEPCI_RUNNER: 'mocha', VELOCITY_DEP_CI_RUNNER: 'jest' },
  ]) {
    const { entries, warnings } = matchEnv(env);
    t.strictSame(entries, [
      { path: 'depCi.runner', name: 'VELOCITY_DEP_CI_RUNNER', value: 'jest' },
    ]);
    t.strictSame(warnings, [
      'ignoring VELOCITY_DEPCI_RUNNER: VELOCITY_DEP_CI_RUNNER also sets depCi.runner',
    ]);
  }
  const { entries, warnings } = matchEnv({
    VELOCITY_DEPCI_RUNNER: 'a',
    VELOCITY_DEP_CIRUNNER: 'b',
  });
  t.strictSame(entries, [{ path: 'depCi.runner', name: 'VELOCITY_DEPCI_RUNNER', value: 'a' }]);
  t.strictSame(warnings, [
    'ignoring VELOCITY_DEP_CIRUNNER: VELOCITY_DEPCI_RUNNER also sets depCi.runner',
  ]);
});

t.test('unknown variables are warnings with the closest canonical name', async (t) => {
  t.strictSame(
    matchEnv({
      VELOCITY_QUANTUM_MERGE_CONCURENCY: '4',
      VELOCITY_TELEMETRY: '0',
    }).warnings,
    [
      'ignoring unknown environment variable VELOCITY_QUANTUM_MERGE_CONCURENCY (did you mean VELOCITY_QUANTUM_MERGE_CONCURRENCY?)',
      'ignoring unknown environment variable VELOCITY_TELEMETRY',
    ],
  );
});
