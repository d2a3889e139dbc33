import t from 'tap';
import { findRunAllReasons } from '../src/run-all-triggers.js';

const noVersions = async () => ({ base: undefined, head: undefined });

t.test('lockfiles, configs and .env files run everything', async (t) => {
  const reasons = await findRunAllReasons({
    changed: [
      'package-lock.json',
      'packages/a/tsconfig.build.json',
      'vitest.config.mts',
      '.env.test',
      'jest.config.js',
      'pyproject.toml',
      'src/x.ts',
      'babel.config.cjs',
    ],
    runAllOn: [],
    unparsable: new Map(),
    readVersions: noVersions,
  });
  t.strictSame(reasons, [
    '.env file changed: .env.test',
    'Babel config changed: babel.config.cjs',
    'Jest config changed: jest.config.js',
    'lockfile changed: package-lock.json',
    'TypeScript config changed: packages/a/tsconfig.build.json',
    'Python project config changed: pyproject.toml',
    'Vitest config changed: vitest.config.mts',
  ]);
});

t.test(
  'package.json runs everything only when a dependency or resolution field changed',
  async (t) => {
    const versions: Record<string, { base: string | undefined; head: string | undefined }> = {
      'a/package.json': { base: '{"version":"1.0.0"}', head: '{"version":"1.1.0"}' },
      'b/package.json': {
        base: '{"dependencies":{"x":"1"}}',
        head: '{"dependencies":{"x":"2"},"exports":"./y.js"}',
      },
      'c/package.json': { base: '{}', head: '{ not json' },
    };
    const reasons = await findRunAllReasons({
      changed: Object.keys(versions),
      runAllOn: [],
      unparsable: new Map(),
      readVersions: async (path) => versions[path] ?? { base: undefined, head: undefined },
    });
    t.strictSame(reasons, [
      'dependencies, exports changed in b/package.json',
      'package.json (unreadable) changed in c/package.json',
    ]);
  },
);

t.test('runAllOn globs and unparsable changed files run everything', async (t) => {
  const reasons = await findRunAllReasons({
    changed: ['scripts/ci/setup.sh', 'src/broken.ts', 'src/fine.ts'],
    runAllOn: ['scripts/ci/**'],
    unparsable: new Map([
      ['src/broken.ts', 'syntax error at 3:1'],
      ['src/unchanged.ts', 'x'],
    ]),
    readVersions: noVersions,
  });
  t.strictSame(reasons, [
    'matches depCi.runAllOn "scripts/ci/**": scripts/ci/setup.sh',
    'cannot parse src/broken.ts: syntax error at 3:1',
  ]);
});

t.test('ordinary source changes trigger nothing', async (t) => {
  t.strictSame(
    await findRunAllReasons({
      changed: ['src/a.ts', 'README.md', 'test/x.test.ts', 'src/package.ts'],
      runAllOn: [],
      unparsable: new Map(),
      readVersions: noVersions,
    }),
    [],
  );
});
