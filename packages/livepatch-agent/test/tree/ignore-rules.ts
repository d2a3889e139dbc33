import { symlinkSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { InvalidTreePathError, TreeRootNotFoundError } from '../../src/tree/errors.js';
import {
  AGENT_INTERNAL_IGNORES,
  convertDockerignore,
  createIgnoreMatcher,
  DEFAULT_IGNORES,
  isAgentInternalPath,
  readIgnoreRules,
} from '../../src/tree/ignore-rules.js';
import type * as IgnoreRulesModule from '../../src/tree/ignore-rules.js';
import type { IgnoreMatcher } from '../../src/tree/ignore-rules.js';

/** The paths of `cases` (`path` or `path/` for a directory) that `matcher` ignores. */
function ignoredOf(matcher: IgnoreMatcher, cases: string[]): string[] {
  return cases.filter((path) =>
    path.endsWith('/') ? matcher(path.slice(0, -1), true) : matcher(path, false),
  );
}

t.test('defaults leave out .git, node_modules and editor temp files at any depth', async (t) => {
  const matcher = createIgnoreMatcher();
  t.strictSame(
    ignoredOf(matcher, [
      '.git/',
      'a/.git/',
      'node_modules/',
      'pkg/node_modules/',
      'node_modules',
      'src/.app.ts.swp',
      'src/.app.ts.swo',
      'src/.app.ts.swx',
      'src/4913',
      'src/app.ts~',
      'src/.#app.ts',
      'src/#app.ts#',
      'src/app.ts___jb_tmp___',
      'src/app.ts___jb_old___',
      '.DS_Store',
      'src/app.ts',
      'src/#app.ts',
      '.gitignore',
      'git/',
    ]),
    [
      '.git/',
      'a/.git/',
      'node_modules/',
      'pkg/node_modules/',
      'src/.app.ts.swp',
      'src/.app.ts.swo',
      'src/.app.ts.swx',
      'src/4913',
      'src/app.ts~',
      'src/.#app.ts',
      'src/#app.ts#',
      'src/app.ts___jb_tmp___',
      'src/app.ts___jb_old___',
      '.DS_Store',
    ],
    '`node_modules/` is a directory pattern: a file of that name stays',
  );
  t.ok(matcher('node_modules/x/index.js', false), 'inside an ignored directory');
  t.ok(DEFAULT_IGNORES.includes('.git/'));
});

t.test('a negation in a rule file re-includes a default', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [{ directory: '', text: '!node_modules/\n' }],
  });
  t.notOk(matcher('node_modules', true));
  t.notOk(matcher('node_modules/x.js', false));
  t.ok(matcher('.git', true));
});

t.test('agent-internal names are always left out and no negation re-includes them', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [
      { directory: '', text: '!*\n!.*\n!/.livepatch-journal.json\n!**/.*.lp-*.tmp\n' },
      { directory: 'sub', text: '!*\n' },
    ],
  });
  t.ok(matcher('.livepatch-journal.json', false));
  t.ok(matcher('.app.ts.lp-1a2b.tmp', false));
  t.ok(matcher('sub/.app.ts.lp-1a2b.bak', false));
  t.ok(matcher('sub/.dir.lp-9.tmp/inner', false), 'below an internal name too');
  t.notOk(matcher('sub/.livepatch-journal.json', false), 'the journal only at the root');
  t.notOk(matcher('app.lp-1.tmp', false), 'temp names start with a dot');
  t.ok(isAgentInternalPath('.livepatch-journal.json/x'));
  t.strictSame(AGENT_INTERNAL_IGNORES, ['.*.lp-*.tmp', '.*.lp-*.bak', '/.livepatch-journal.json']);
});

t.test('a nested .gitignore applies only inside its directory', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [
      { directory: 'sub', text: '*.log\n/build\nx/y\ndocs/\n' },
      { directory: '', text: 'root-only\n' },
    ],
  });
  t.strictSame(
    ignoredOf(matcher, [
      'a.log',
      'sub/a.log',
      'sub/deep/b.log',
      'build',
      'sub/build',
      'sub/deep/build',
      'sub/x/y',
      'sub/deep/x/y',
      'x/y',
      'sub/docs/',
      'sub/deep/docs/',
      'sub/docs',
      'root-only',
      'sub/root-only',
      'other/sub/a.log',
    ]),
    [
      'sub/a.log',
      'sub/deep/b.log',
      'sub/build',
      'sub/x/y',
      'sub/docs/',
      'sub/deep/docs/',
      'root-only',
      'sub/root-only',
    ],
  );
});

t.test('deeper rule files override shallower ones; later files in a directory win', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [
      { directory: 'sub', text: '!keep.log\n' },
      { directory: '', text: '*.log\n' },
      { directory: '', text: '!root.log\n' },
      { directory: 'sub/deep', text: 'keep.log\n' },
    ],
  });
  t.ok(matcher('a.log', false));
  t.notOk(matcher('root.log', false));
  t.notOk(matcher('sub/keep.log', false));
  t.ok(matcher('sub/other.log', false));
  t.ok(matcher('sub/deep/keep.log', false));
});

t.test('negation cannot re-include a file below an excluded directory', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [{ directory: '', text: 'out/\n!out/keep\n' }],
  });
  t.ok(matcher('out', true));
  t.ok(matcher('out/keep', false));
  const reincluded = createIgnoreMatcher({
    files: [
      { directory: '', text: 'cache/\n' },
      { directory: 'pkg', text: '!cache/\n' },
    ],
  });
  t.ok(reincluded('cache', true));
  t.notOk(reincluded('pkg/cache', true), 'a deeper file re-includes the directory');
  t.notOk(reincluded('pkg/cache/data', false), 'and what is inside it');
});

t.test('rule syntax: comments, escapes, trailing spaces, CRLF, BOM', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [
      {
        directory: 'd',
        text: '\uFEFF# comment\r\n\\#hash\r\n\\!bang\r\nspaced   \r\n\r\n!\r\n/\r\n',
      },
    ],
  });
  t.strictSame(
    ignoredOf(matcher, ['d/# comment', 'd/#hash', 'd/!bang', 'd/x/#hash', 'd/spaced', 'd/other']),
    ['d/#hash', 'd/!bang', 'd/x/#hash', 'd/spaced'],
  );
});

t.test('directory names with glob characters are taken literally', async (t) => {
  const matcher = createIgnoreMatcher({
    files: [
      { directory: '[x]', text: 'a\n' },
      { directory: '!bang', text: 'b\n' },
      { directory: '#hash', text: 'c\n' },
      { directory: 'star*', text: 'd\n' },
    ],
  });
  t.ok(matcher('[x]/a', false));
  t.notOk(matcher('x/a', false));
  t.ok(matcher('!bang/b', false));
  t.ok(matcher('#hash/c', false));
  t.ok(matcher('star*/d', false));
  t.notOk(matcher('starry/d', false));
});

t.test('matching is case-sensitive, and names of dots only are valid', async (t) => {
  const matcher = createIgnoreMatcher({ files: [{ directory: '', text: 'Build/\n...\n' }] });
  t.ok(matcher('Build', true));
  t.notOk(matcher('build', true));
  t.ok(matcher('...', false));
  t.notOk(matcher('', true), 'the root is never ignored');
});

t.test('invalid paths are refused', async (t) => {
  const matcher = createIgnoreMatcher();
  for (const path of ['/abs', 'a//b', './a', 'a/../b', 'a\\b', 'a/']) {
    t.throws(() => matcher(path, false), InvalidTreePathError, path);
  }
  t.throws(
    () => createIgnoreMatcher({ files: [{ directory: '../up', text: 'x' }] }),
    InvalidTreePathError,
  );
});

t.test('.dockerignore patterns become root-relative gitignore patterns', async (t) => {
  t.equal(
    convertDockerignore(
      [
        '# comment',
        '  *.md  ',
        '!README.md',
        '/abs',
        './rel/',
        'a//b/../c',
        '**/*.tmp',
        '! spaced',
        '',
        '.',
        '../up',
        ' #not-comment',
      ].join('\n'),
    ),
    [
      '/*.md',
      '!/README.md',
      '/abs',
      '/rel',
      '/a/c',
      '/**/*.tmp',
      '!/spaced',
      '/#not-comment',
      '',
    ].join('\n'),
  );
  t.equal(convertDockerignore('# only a comment\n'), '');
  const matcher = createIgnoreMatcher({
    files: [{ directory: '', text: convertDockerignore('*.md\n!README.md\nrel/\n**/*.tmp\n') }],
  });
  t.strictSame(
    ignoredOf(matcher, ['x.md', 'README.md', 'docs/x.md', 'rel', 'rel/', 'a/b.tmp', 'b.tmp']),
    ['x.md', 'rel', 'rel/', 'a/b.tmp', 'b.tmp'],
  );
});

t.test(
  'readIgnoreRules reads rule files at every depth except in ignored directories',
  async (t) => {
    const root = t.testdir({
      '.gitignore': 'dist/\n*.log\n',
      '.dockerignore': 'secrets\n',
      '.livepatchignore': '!important.log\n',
      src: {
        '.gitignore': '*.gen.ts\n',
        lib: { '.livepatchignore': 'fixtures/\n', 'a.ts': '' },
      },
      dist: { '.gitignore': '!*\n' },
      node_modules: { pkg: { '.gitignore': 'x\n' } },
      'b-dir': { '.gitignore': 'b\n' },
      linked: { 'target.txt': '' },
    });
    symlinkSync(join(root, 'linked'), join(root, 'link-to-dir'));
    symlinkSync(join(root, '.gitignore'), join(root, 'linked', '.gitignore'));
    const rules = await readIgnoreRules(root);
    t.strictSame(rules, {
      files: [
        { directory: '', text: '/secrets\n' },
        { directory: '', text: 'dist/\n*.log\n' },
        { directory: '', text: '!important.log\n' },
        { directory: 'b-dir', text: 'b\n' },
        { directory: 'src', text: '*.gen.ts\n' },
        { directory: 'src/lib', text: 'fixtures/\n' },
      ],
    });
    const matcher = createIgnoreMatcher(rules);
    t.strictSame(
      ignoredOf(matcher, [
        'secrets',
        'a.log',
        'important.log',
        'dist/',
        'src/x.gen.ts',
        'x.gen.ts',
        'src/lib/fixtures/',
        'src/fixtures/',
      ]),
      ['secrets', 'a.log', 'dist/', 'src/x.gen.ts', 'src/lib/fixtures/'],
    );
  },
);

t.test('readIgnoreRules needs an existing directory', async (t) => {
  const root = t.testdir({ file: '' });
  await t.rejects(readIgnoreRules(join(root, 'missing')), TreeRootNotFoundError);
  await t.rejects(readIgnoreRules(join(root, 'file')), {
    name: 'TreeRootNotFoundError',
    notDirectory: true,
  });
});

t.test('readIgnoreRules stops when aborted', async (t) => {
  const root = t.testdir({ a: { '.gitignore': 'x' } });
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await t.rejects(readIgnoreRules(root, { signal: controller.signal }), { message: 'stop' });
});

t.test('readIgnoreRules skips what vanishes and fails on other read errors', async (t) => {
  const root = t.testdir({
    '.gitignore': 'x\n',
    gone: { '.gitignore': 'y\n' },
    locked: { '.livepatchignore': 'z\n' },
  });
  const failing = (fail: (call: string, path: string) => string | undefined) => {
    const wrap =
      <A extends unknown[], R>(call: string, real: (path: string, ...rest: A) => Promise<R>) =>
      async (path: string, ...rest: A): Promise<R> => {
        const code = fail(call, path);
        if (code !== undefined) throw Object.assign(new Error(`${code}: ${path}`), { code });
        return real(path, ...rest);
      };
    return {
      ...fsPromises,
      stat: wrap('stat', fsPromises.stat),
      readdir: wrap('readdir', fsPromises.readdir),
      readFile: wrap('readFile', fsPromises.readFile),
    };
  };
  const load = (fail: (call: string, path: string) => string | undefined) =>
    t.mockImport<typeof IgnoreRulesModule>('../../src/tree/ignore-rules.js', {
      'node:fs/promises': failing(fail),
    });
  const vanishing = await load((call, path) =>
    (call === 'readdir' && path.endsWith('/gone')) ||
    (call === 'readFile' && path.endsWith('/.gitignore'))
      ? 'ENOENT'
      : undefined,
  );
  t.strictSame(await vanishing.readIgnoreRules(root), {
    files: [{ directory: 'locked', text: 'z\n' }],
  });
  const denied = await load((call, path) =>
    call === 'readFile' && path.endsWith('.livepatchignore') ? 'EACCES' : undefined,
  );
  await t.rejects(denied.readIgnoreRules(root), {
    name: 'TreeReadError',
    path: join(root, 'locked/.livepatchignore'),
  });
  const unlisted = await load((call, path) =>
    call === 'readdir' && path.endsWith('/locked') ? 'EIO' : undefined,
  );
  await t.rejects(unlisted.readIgnoreRules(root), { name: 'TreeReadError' });
  const rootDenied = await load((call) => (call === 'stat' ? 'EACCES' : undefined));
  await t.rejects(rootDenied.readIgnoreRules(root), { name: 'TreeReadError', path: root });
});
