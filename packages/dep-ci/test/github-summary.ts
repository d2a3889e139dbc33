import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { StepSummaryError } from '../src/errors.js';
import {
  escapeCommandData,
  escapeCommandProperty,
  formatAnnotations,
  formatStepSummary,
  writeStepSummary,
  type StepSummaryInput,
} from '../src/github-summary.js';

const NONE: StepSummaryInput = {
  changed: [],
  tests: [],
  runAll: false,
  runAllReasons: [],
  reasons: {},
};

t.test('the summary lists changed files and each test with its import chain', async (t) => {
  const summary = formatStepSummary({
    ...NONE,
    changed: ['src/a.ts', 'test/c.test.ts'],
    tests: ['test/a.test.ts', 'test/c.test.ts'],
    reasons: {
      'test/a.test.ts': ['src/a.ts', 'src/b.ts', 'test/a.test.ts'],
      'test/c.test.ts': ['test/c.test.ts'],
    },
  });
  t.equal(
    summary,
    [
      '### dep-ci: 2 tests affected by 2 changed files',
      '',
      '**Changed files (2)**',
      '',
      '- `src/a.ts`',
      '- `test/c.test.ts`',
      '',
      '**Tests to run (2)**',
      '',
      '- `test/a.test.ts`: `src/a.ts` → `src/b.ts` → `test/a.test.ts`',
      '- `test/c.test.ts` (changed)',
      '',
    ].join('\n'),
  );
});

t.test('a long import chain is collapsed in <details>', async (t) => {
  const chain = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts', 'test/x.test.ts'];
  const summary = formatStepSummary({
    ...NONE,
    changed: ['src/a.ts'],
    tests: ['test/x.test.ts'],
    reasons: { 'test/x.test.ts': chain },
  });
  t.match(
    summary,
    [
      '- <details><summary><code>test/x.test.ts</code>: 5 files from <code>src/a.ts</code></summary>',
      '',
      '  - `src/a.ts`',
      '  - `src/b.ts`',
      '  - `src/c.ts`',
      '  - `src/d.ts`',
      '  - `test/x.test.ts`',
      '',
      '  </details>',
    ].join('\n'),
  );
});

t.test('a very long chain shows its two ends and counts the middle', async (t) => {
  const chain = Array.from({ length: 30 }, (_, i) => `src/m${i}.ts`);
  const summary = formatStepSummary({
    ...NONE,
    changed: ['src/m0.ts'],
    tests: ['t.test.ts'],
    reasons: { 't.test.ts': chain },
  });
  t.match(summary, '  - `src/m9.ts`\n  - … 10 more …\n  - `src/m20.ts`');
  t.notMatch(summary, 'm10.ts');
});

t.test('a test without a recorded chain is listed alone', async (t) => {
  const summary = formatStepSummary({ ...NONE, changed: ['a.ts'], tests: ['t.test.ts'] });
  t.match(summary, '**Tests to run (1)**\n\n- `t.test.ts`\n');
  t.match(summary, '### dep-ci: 1 test affected by 1 changed file\n');
});

t.test('long lists are collapsed, and cut after 100 entries', async (t) => {
  const changed = Array.from({ length: 150 }, (_, i) => `src/f${String(i).padStart(3, '0')}.ts`);
  const summary = formatStepSummary({ ...NONE, changed });
  t.match(summary, '<details><summary>Changed files (150)</summary>\n\n- `src/f000.ts`\n');
  t.match(summary, '- `src/f099.ts`\n- … and 50 more\n\n</details>');
  t.notMatch(summary, 'f100');
  const short = formatStepSummary({ ...NONE, changed: changed.slice(0, 10) });
  t.notMatch(short, '<details>');
});

t.test('when every test runs, the summary says why', async (t) => {
  const summary = formatStepSummary({
    ...NONE,
    changed: ['package.json'],
    tests: ['a.test.ts', 'b.test.ts'],
    runAll: true,
    runAllReasons: ['package.json changed (matches runAllOn "package.json")', 'x < y & "z"'],
  });
  t.match(
    summary,
    [
      '### dep-ci: running all 2 tests',
      '',
      '**Why every test runs**',
      '',
      '- package.json changed (matches runAllOn &quot;package.json&quot;)',
      '- x &lt; y &amp; &quot;z&quot;',
    ].join('\n'),
  );
  t.match(formatStepSummary({ ...NONE, runAll: true }), '- (no reason recorded)');
});

t.test('no affected test is said plainly', async (t) => {
  t.equal(
    formatStepSummary({ ...NONE, changed: ['README.md'] }),
    '### dep-ci: no test is affected by 1 changed file\n\n**Changed files (1)**\n\n- `README.md`\n',
  );
});

t.test('paths with backticks, HTML and control characters cannot break the Markdown', async (t) => {
  const summary = formatStepSummary({
    ...NONE,
    changed: ['a`b.ts', '`edge`.ts', 'new\nline\x1b.ts', '<img src=x>.ts'],
    tests: ['<t>.test.ts'],
    reasons: { '<t>.test.ts': ['a', 'b', 'c', 'd', '<t>.test.ts'] },
  });
  t.match(summary, '- ``a`b.ts``\n');
  t.match(summary, '- `` `edge`.ts ``\n');
  t.match(summary, '- `new\\nline\\x1b.ts`\n');
  t.match(summary, '- `<img src=x>.ts`\n');
  t.match(summary, '<summary><code>&lt;t&gt;.test.ts</code>: 5 files');
  t.equal(summary.split('\n').filter((line) => line.includes('line')).length, 1);
});

t.test('the annotation says what runs, escaped as a workflow command', async (t) => {
  t.equal(
    formatAnnotations({ ...NONE, changed: ['a', 'b'], tests: ['t'] }),
    '::notice title=dep-ci::Running 1 test affected by 2 changed files.\n',
  );
  t.equal(
    formatAnnotations({ ...NONE, changed: ['a'] }),
    '::notice title=dep-ci::No test is affected by 1 changed file.\n',
  );
  t.equal(
    formatAnnotations({
      ...NONE,
      tests: ['a', 'b'],
      runAll: true,
      runAllReasons: ['100% sure: config changed', 'line\r\nbreak\n::error::injected'],
    }),
    '::notice title=dep-ci::Running all 2 tests:%0A100%25 sure: config changed%0Aline%0D%0Abreak%0A::error::injected\n',
  );
});

t.test('workflow command escaping follows @actions/core', async (t) => {
  t.equal(escapeCommandData('50% a\r\nb'), '50%25 a%0D%0Ab');
  t.equal(escapeCommandProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
});

t.test('writeStepSummary appends to the summary file', async (t) => {
  const dir = t.testdir({ 'summary.md': 'before\n' });
  const path = join(dir, 'summary.md');
  await writeStepSummary(path, '### one\n');
  await writeStepSummary(path, '### two');
  t.equal(await readFile(path, 'utf8'), 'before\n### one\n### two\n');
  const fresh = join(dir, 'new.md');
  await writeStepSummary(fresh, 'x\n');
  t.equal(await readFile(fresh, 'utf8'), 'x\n');
});

t.test('writeStepSummary throws StepSummaryError when the file cannot be written', async (t) => {
  const dir = t.testdir({});
  await mkdir(join(dir, 'a-directory'));
  const error = await writeStepSummary(join(dir, 'a-directory'), 'x').catch((e: unknown) => e);
  t.type(error, StepSummaryError);
  t.match(error, {
    code: 'DEPCI_STEP_SUMMARY_FAILED',
    message:
      /^Could not append to the step summary ".*a-directory" \(EISDIR\)\. Check that GITHUB_STEP_SUMMARY names a writable file\.$/,
  });
});
