import t from 'tap';
import { parsePnpmWorkspacePackages } from '../../src/resolve/pnpm-workspace.js';

t.test('reads a block sequence under packages, with quotes and comments', async (t) => {
  const text = [
    '# workspace',
    'packages:',
    "  - 'packages/*'",
    '  - "apps/**" # the apps',
    '  - !**/test/**',
    '  - tools#1',
    'catalog:',
    '  - not-a-package',
    '',
  ].join('\n');
  t.strictSame(parsePnpmWorkspacePackages(text), [
    'packages/*',
    'apps/**',
    '!**/test/**',
    'tools#1',
  ]);
});

t.test('reads a flow sequence', async (t) => {
  t.strictSame(
    parsePnpmWorkspacePackages('packages: [\'a/*\', b, "c"]\r\nonlyBuiltDependencies: [x]\r\n'),
    ['a/*', 'b', 'c'],
  );
});

t.test('no packages key gives no globs', async (t) => {
  t.strictSame(parsePnpmWorkspacePackages('catalog:\n  react: ^19\n'), []);
});
