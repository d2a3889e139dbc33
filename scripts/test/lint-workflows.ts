import { resolve } from 'node:path';
import t from 'tap';
import { run } from './helpers/run.js';

const SCRIPT = resolve(import.meta.dirname, '..', 'lint-workflows.mjs');

/** Run the script from `cwd` on `files` (none: the repository's workflows). */
function lintWorkflows(cwd: string, ...files: string[]) {
  return run(process.execPath, [SCRIPT, ...files], cwd);
}

t.test("the repository's workflows pass", async (t) => {
  const result = await lintWorkflows(resolve(import.meta.dirname, '..', '..'));
  t.equal(result.code, 0, result.stdout);
  t.equal(result.stdout, '');
  t.match(result.stderr, /^lint-workflows: [1-9]\d* file\(s\), 0 problem\(s\)\n$/);
});

t.test('reports each problem as file:line:col: message [kind] and exits 1', async (t) => {
  const dir = t.testdir({
    'broken.yml': [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latst',
      '    steps:',
      '      - run: echo ${{ github.no_such_property }}',
      '',
    ].join('\n'),
  });
  const result = await lintWorkflows(dir, 'broken.yml');
  t.equal(result.code, 1);
  const lines = result.stdout.trimEnd().split('\n');
  t.equal(lines.length, 2);
  t.match(lines[0], /^broken\.yml:4:14: label "ubuntu-latst" is unknown\. .* \[runner-label\]$/);
  t.match(
    lines[1],
    /^broken\.yml:6:23: property "no_such_property" is not defined .* \[expression\]$/,
  );
  t.equal(result.stderr, 'lint-workflows: 1 file(s), 2 problem(s)\n');
});

t.test('accepts newer GitHub features that actionlint v1.6.22 does not know', async (t) => {
  const dir = t.testdir({
    'newer.yml': [
      'on: push',
      'permissions:',
      '  contents: read',
      '  attestations: write',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04-arm',
      '    steps:',
      '      - run: echo "${{ vars.CHANNEL }}"',
      '',
    ].join('\n'),
  });
  t.strictSame(await lintWorkflows(dir, 'newer.yml'), {
    code: 0,
    stdout: '',
    stderr: 'lint-workflows: 1 file(s), 0 problem(s)\n',
  });
});

t.test('exits 2 when a file cannot be read', async (t) => {
  const dir = t.testdir({});
  t.strictSame(await lintWorkflows(dir, 'missing.yml'), {
    code: 2,
    stdout: '',
    stderr: 'lint-workflows: error: Cannot read "missing.yml": ENOENT.\n',
  });
});
