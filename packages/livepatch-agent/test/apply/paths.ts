import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { PathRefusedError } from '../../src/apply/errors.js';
import {
  DEFAULT_PATH_LIMITS,
  JOURNAL_NAME,
  backupName,
  batchTag,
  checkParents,
  chmodNoFollow,
  ensureParents,
  isBackupName,
  isInternalName,
  isTempName,
  parentsOf,
  tempName,
  validatePath,
} from '../../src/apply/paths.js';
import { isAgentInternalPath } from '../../src/tree/index.js';

t.test('validatePath accepts root-relative POSIX paths and splits them', async (t) => {
  t.strictSame(validatePath('a'), ['a']);
  t.strictSame(validatePath('a/b/c.txt'), ['a', 'b', 'c.txt']);
  for (const path of ['.hidden', 'a..b', '...', 'f.lp-x.tmp', 'é'.repeat(127), 'a b/ c ']) {
    t.doesNotThrow(() => validatePath(path), path);
  }
  t.doesNotThrow(() => validatePath(`${'d/'.repeat(2047)}f`), 'exactly 4095 bytes');
});

t.test('validatePath refuses every unsafe path with its reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['/etc/passwd', /is absolute/],
    ['/', /is absolute/],
    ['..', /has a "\.\." component/],
    ['../outside', /has a "\.\." component/],
    ['a/../../b', /has a "\.\." component/],
    ['a/..', /has a "\.\." component/],
    ['.', /has a "\." component/],
    ['./a', /has a "\." component/],
    ['a//b', /has an empty component/],
    ['a/', /has an empty component/],
    ['a\0b', /contains a NUL byte/],
    ['a\\b', /contains a backslash/],
    ['..\\outside', /contains a backslash/],
    ['x'.repeat(4097), /is longer than 4096 bytes/],
    [`${'d/'.repeat(2048)}f`, /is longer than 4096 bytes/],
    ['y'.repeat(256), /has a component longer than 255 bytes/],
    ['é'.repeat(128), /has a component longer than 255 bytes/],
    [JOURNAL_NAME, /reserved by the agent/],
    [`sub/${JOURNAL_NAME}`, /reserved by the agent/],
    ['a/.f.lp-0123456789abcdef.tmp', /reserved by the agent/],
    ['.f.lp-batch-3.bak/x', /reserved by the agent/],
    ['.x.lp-anything.tmp', /reserved by the agent/],
  ];
  for (const [path, reason] of cases) {
    const error = t.throws(() => validatePath(path), PathRefusedError, JSON.stringify(path));
    t.match(error, { path, reason, code: 'LIVEPATCH_PATH_REFUSED' });
    if (error instanceof Error)
      t.ok(error.message.includes(JSON.stringify(path)), 'names the path');
  }
});

t.test('validatePath takes custom limits', async (t) => {
  t.throws(() => validatePath('abcdef', { maxPathBytes: 5 }), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: /longer than 5 bytes/,
  });
  t.throws(() => validatePath('ab/cd', { maxComponentBytes: 1 }), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: /component longer than 1 bytes/,
  });
  t.strictSame(DEFAULT_PATH_LIMITS, { maxPathBytes: 4096, maxComponentBytes: 255 });
});

t.test('internal names match what the tree module leaves out', async (t) => {
  const names = [
    JOURNAL_NAME,
    tempName('app.js', '0123456789abcdef'),
    backupName('app.js', 'b1', 7),
    '.x.lp-a.b.tmp',
    '.x.lp-.bak',
    'app.js',
    'x.lp-a.tmp',
    '.x.lp-a.tmpx',
    '.livepatch-journal.json.old',
  ];
  for (const name of names) {
    t.equal(isInternalName(name), isAgentInternalPath(name), name);
  }
});

t.test('temp and backup names', async (t) => {
  const temp = tempName('app.js', '0123456789abcdef');
  t.equal(temp, '.app.js.lp-0123456789abcdef.tmp');
  t.ok(isTempName(temp));
  t.notOk(isBackupName(temp));
  const backup = backupName('app.js', 'b-1_x', 12);
  t.equal(backup, '.app.js.lp-b-1_x-12.bak');
  t.ok(isBackupName(backup));
  t.notOk(isTempName(backup));
  t.notOk(isTempName('.x.lp-zz.tmp'), 'only the names this module makes are swept');

  const long = 'é'.repeat(127);
  for (const name of [
    tempName(long, '0123456789abcdef'),
    backupName(long, 'x'.repeat(64), 99999),
  ]) {
    t.ok(Buffer.byteLength(name) <= 255, 'fits in NAME_MAX');
    t.notOk(name.includes('\uFFFD'), 'no character is cut in half');
    t.ok(isInternalName(name));
  }
});

t.test('batchTag keeps safe ids and hashes the others', async (t) => {
  t.equal(batchTag('batch-42_a'), 'batch-42_a');
  t.match(batchTag('2024-01-01T00:00:00Z'), /^[0-9a-f]{16}$/);
  t.match(batchTag('x'.repeat(65)), /^[0-9a-f]{16}$/);
  t.match(batchTag(''), /^[0-9a-f]{16}$/);
  t.not(batchTag('a/b'), batchTag('a.b'));
});

t.test('parentsOf lists parents outermost first', async (t) => {
  t.strictSame(parentsOf('a'), []);
  t.strictSame(parentsOf('a/b/c'), ['a', 'a/b']);
});

t.test('checkParents refuses a parent that is a symlink or a file', async (t) => {
  const root = t.testdir({
    outside: { secret: 'x' },
    root: {
      dir: { sub: {} },
      file: 'f',
      link: t.fixture('symlink', '../outside'),
      dirlink: t.fixture('symlink', 'dir'),
    },
  });
  const base = join(root, 'root');
  t.strictSame(await checkParents(base, 'dir/sub/x'), { deepest: 'dir/sub', complete: true });
  t.strictSame(await checkParents(base, 'dir/missing/deeper/x'), {
    deepest: 'dir',
    complete: false,
    missing: 'dir/missing',
  });
  t.strictSame(await checkParents(base, 'dir/sub/x', (dir) => dir === 'dir/sub'), {
    deepest: 'dir',
    complete: false,
  });
  await t.rejects(checkParents(base, 'link/secret'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'parent "link" is a symbolic link',
  });
  await t.rejects(checkParents(base, 'dirlink/sub/x'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'parent "dirlink" is a symbolic link',
  });
  await t.rejects(checkParents(base, 'file/x'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'parent "file" is not a directory',
  });
});

t.test('ensureParents creates missing parents one by one, never through a link', async (t) => {
  const root = t.testdir({
    outside: {},
    root: { a: {}, link: t.fixture('symlink', '../outside') },
  });
  const base = join(root, 'root');
  const created: string[] = [];
  await ensureParents(base, 'a/b/c/file', async (dir) => {
    created.push(dir);
    mkdirSync(join(base, dir));
  });
  t.strictSame(created, ['a/b', 'a/b/c']);
  await ensureParents(base, 'x/y/file');
  t.ok(lstatSync(join(base, 'x/y')).isDirectory(), 'default create is mkdir');
  await t.rejects(ensureParents(base, 'link/new/file'), PathRefusedError);
  t.strictSame(readdirSync(join(root, 'outside')), [], 'nothing created outside');
});

t.test('chmodNoFollow sets bits on files and directories, refuses links', async (t) => {
  const root = t.testdir({ file: 'x', dir: {}, target: 'y', link: t.fixture('symlink', 'target') });
  await chmodNoFollow(join(root, 'file'), 0o700, 'file');
  await chmodNoFollow(join(root, 'dir'), 0o711, 'dir');
  t.equal(lstatSync(join(root, 'file')).mode & 0o7777, 0o700);
  t.equal(lstatSync(join(root, 'dir')).mode & 0o7777, 0o711);
  writeFileSync(join(root, 'target'), 'y');
  const before = lstatSync(join(root, 'target')).mode;
  await t.rejects(chmodNoFollow(join(root, 'link'), 0o777, 'link'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'is a symbolic link',
  });
  t.equal(lstatSync(join(root, 'target')).mode, before, 'the link target is untouched');
});

t.test('chmodNoFollow falls back to chmod for entries it cannot open', async (t) => {
  // A short directory: socket paths are limited to 108 bytes.
  const root = mkdtempSync(join(tmpdir(), 'lp-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const server = createServer();
  const socket = join(root, 'sock');
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await chmodNoFollow(socket, 0o700, 'sock');
  t.equal(lstatSync(socket).mode & 0o777, 0o700);
  symlinkSync('sock', join(root, 'socklink'));
  await t.rejects(chmodNoFollow(join(root, 'socklink'), 0o777, 'socklink'), PathRefusedError);
});
