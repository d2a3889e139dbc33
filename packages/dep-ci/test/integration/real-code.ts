/**
 * End-to-end on real code no one here wrote: zod's TypeScript sources and its own vitest tests (as the npm
 * package ships them, in node_modules), and PyYAML from Debian's python3-yaml, each committed into a temp
 * git repository and then edited.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import t from 'tap';
import {
  affected,
  commitAll,
  copyTree,
  depCiBuilt,
  initRepo,
  writeFiles,
} from '../helpers/git-repo.js';

t.before(() => {
  if (!depCiBuilt()) throw new Error('dist/bin/dep-ci is missing: run npm run build first');
});

const zodRoot = dirname(createRequire(import.meta.url).resolve('zod/package.json'));

t.test('zod: a v3-only change selects v3 tests, not pure v4 tests', async (t) => {
  const dir = t.testdir();
  initRepo(dir, {
    'package.json': readFileSync(join(zodRoot, 'package.json'), 'utf8'),
    'vitest.config.ts': "export default { test: { include: ['src/**/*.test.ts'] } };\n",
    '.gitignore': '.velocity/\n',
  });
  copyTree(join(zodRoot, 'src'), dir, 'src');
  commitAll(dir, 'zod sources');
  const util = join(dir, 'src/v3/helpers/util.ts');
  writeFiles(dir, { 'src/v3/helpers/util.ts': `${readFileSync(util, 'utf8')}\n// edited\n` });
  commitAll(dir, 'edit v3 util');

  const result = affected(dir, ['--base', 'HEAD~1']);
  t.strictSame(result.changed, ['src/v3/helpers/util.ts']);
  t.equal(result.runAll, false);
  t.ok(result.tests.length >= 20, `${result.tests.length} v3 tests selected`);
  t.ok(
    result.tests.filter((test) => !test.startsWith('src/v3/tests/')).length <= 3,
    'v3 tests, and the few v4 tests that import zod/v3',
  );
  t.notOk(result.tests.includes('src/v4/classic/tests/string.test.ts'), 'a pure v4 test stays out');
  t.ok(result.stats.files > 300);
  t.ok(result.stats.edges > 400, `${result.stats.edges} edges`);
  for (const test of result.tests) t.equal(result.reasons[test]?.[0], 'src/v3/helpers/util.ts');

  // A v4 core change reaches v4 tests through the package's self-reference `import * as z from "zod/v4"`.
  const regexes = 'src/v4/core/regexes.ts';
  writeFiles(dir, { [regexes]: `${readFileSync(join(dir, regexes), 'utf8')}\n// edited\n` });
  commitAll(dir, 'edit v4 regexes');
  const v4 = affected(dir, ['--base', 'HEAD~1']);
  t.ok(v4.tests.some((test) => test === 'src/v4/classic/tests/string.test.ts'));
  t.notOk(
    v4.tests.some((test) => test.startsWith('src/v3/')),
    'no v3 test',
  );
});

const pyyaml = '/usr/lib/python3/dist-packages/yaml';

t.test(
  'PyYAML: relative imports inside a real package',
  { skip: !existsSync(pyyaml) && 'python3-yaml is not installed' },
  async (t) => {
    const dir = t.testdir();
    initRepo(dir, {
      'tests/test_scanner.py':
        'from yaml.scanner import Scanner\n\ndef test_scanner():\n    assert Scanner\n',
      'tests/test_app.py':
        'from app import parse\n\ndef test_parse():\n    assert parse("a: 1") == {"a": 1}\n',
      'tests/test_report.py':
        'from app.report import render\n\ndef test_render():\n    assert render()\n',
      'app/__init__.py': 'from .loading import parse\n',
      'app/loading.py': 'import yaml\n\ndef parse(text):\n    return yaml.safe_load(text)\n',
      'app/report.py': 'def render():\n    return "ok"\n',
    });
    copyTree(pyyaml, dir, 'yaml');
    commitAll(dir, 'vendor PyYAML');

    const tokens = affected(dir, ['--changed', 'yaml/tokens.py']);
    t.strictSame(
      tokens.tests,
      ['tests/test_app.py', 'tests/test_report.py', 'tests/test_scanner.py'],
      'every test that imports yaml or app (whose __init__ imports yaml)',
    );
    t.strictSame(affected(dir, ['--changed', 'app/report.py']).tests, ['tests/test_report.py']);
  },
);
