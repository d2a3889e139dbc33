import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { TreeReadError, TreeRootNotFoundError } from '../../src/tree/errors.js';
import { EMPTY_DIRECTORY_HASH, hashSymlinkTarget } from '../../src/tree/hash-tree.js';
import { createIgnoreMatcher } from '../../src/tree/ignore-rules.js';
import { createDirectoryNode, lookupEntry, scanTree, walkTree } from '../../src/tree/scan-tree.js';
import type { TreeSnapshot } from '../../src/tree/scan-tree.js';
import { changedDirectories, plain } from './helpers/trees.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

/** The base tree of the change tests: files at several depths, an empty dir, a symlink. */
const BASE = {
  'top.txt': 'top',
  a: {
    'x.txt': 'x',
    link: t.fixture('symlink', 'x.txt'),
    b: {
      'run.sh': '#!/bin/sh\n',
      c: { 'file.txt': 'hello' },
      empty: {},
    },
  },
  other: { 'y.txt': 'y' },
};

t.test('a scan lists every directory with sorted entries, modes, sizes and hashes', async (t) => {
  const root = t.testdir(BASE);
  chmodSync(join(root, 'a/b/run.sh'), 0o700);
  const snapshot = await scanTree(root);
  t.equal(snapshot.root, root);
  t.equal(snapshot.fullModes, false);
  t.strictSame([...snapshot.directories.keys()].sort(), [
    '',
    'a',
    'a/b',
    'a/b/c',
    'a/b/empty',
    'other',
  ]);
  t.strictSame(
    snapshot.directories.get('a')!.entries.map((entry) => entry.name),
    ['b', 'link', 'x.txt'],
  );
  t.strictSame(lookupEntry(snapshot, 'a/b/c/file.txt'), {
    name: 'file.txt',
    type: 'file',
    mode: 0o644,
    size: 5,
    hash: sha256('hello'),
  });
  t.equal(lookupEntry(snapshot, 'a/b/run.sh')?.mode, 0o755);
  t.strictSame(lookupEntry(snapshot, 'a/link'), {
    name: 'link',
    type: 'symlink',
    mode: 0o777,
    size: 0,
    hash: hashSymlinkTarget('x.txt'),
    target: 'x.txt',
  });
  t.strictSame(lookupEntry(snapshot, 'a/b/empty'), {
    name: 'empty',
    type: 'directory',
    mode: 0o755,
    size: 0,
    hash: EMPTY_DIRECTORY_HASH,
  });
  t.equal(lookupEntry(snapshot, 'a/b')?.hash, snapshot.directories.get('a/b')!.hash);
  t.equal(lookupEntry(snapshot, ''), undefined);
  t.equal(lookupEntry(snapshot, 'missing/x'), undefined);
  t.equal(snapshot.rootHash, snapshot.directories.get('')!.hash);
  t.strictSame(
    [...walkTree(snapshot, 'a')].map(({ path }) => path),
    ['a/b', 'a/b/c', 'a/b/c/file.txt', 'a/b/empty', 'a/b/run.sh', 'a/link', 'a/x.txt'],
  );
  t.strictSame([...walkTree(snapshot, 'nope')], []);
  t.strictSame(
    createDirectoryNode('a', [...snapshot.directories.get('a')!.entries].reverse()),
    snapshot.directories.get('a'),
  );
});

t.test('identical trees hash alike whatever their mtimes and creation order', async (t) => {
  const first = t.testdir(BASE);
  const second = join(t.testdirName, '..', `${t.name.replace(/\W+/g, '-')}-second`);
  t.teardown(() => rmSync(second, { recursive: true, force: true }));
  // Built by hand, deepest first, with other timestamps.
  mkdirSync(join(second, 'a/b/c'), { recursive: true });
  mkdirSync(join(second, 'a/b/empty'));
  writeFileSync(join(second, 'a/b/c/file.txt'), 'hello');
  writeFileSync(join(second, 'a/b/run.sh'), '#!/bin/sh\n');
  mkdirSync(join(second, 'other'));
  writeFileSync(join(second, 'other/y.txt'), 'y');
  symlinkSync('x.txt', join(second, 'a/link'));
  writeFileSync(join(second, 'a/x.txt'), 'x');
  writeFileSync(join(second, 'top.txt'), 'top');
  utimesSync(join(second, 'a/x.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
  utimesSync(join(second, 'a/b'), new Date(1999, 1, 1), new Date(1999, 1, 1));
  const [a, b] = await Promise.all([scanTree(first), scanTree(second)]);
  t.strictSame(plain(a), plain(b));
});

let copies = 0;

/** Copies `root` to a sibling directory, applies `change` to the copy, and scans it. */
async function scanChanged(
  t: Test,
  root: string,
  change: (copy: string) => void,
  options: { fullModes?: boolean } = {},
): Promise<TreeSnapshot> {
  const copy = `${root}-copy-${++copies}`;
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  t.teardown(() => rmSync(copy, { recursive: true, force: true }));
  change(copy);
  return scanTree(copy, options);
}

t.test('each kind of change moves the root hash and exactly the ancestors’ hashes', async (t) => {
  const root = t.testdir(BASE);
  const base = await scanTree(root);
  const cases: Array<[string, (copy: string) => void, string[]]> = [
    [
      'content',
      (c) => writeFileSync(join(c, 'a/b/c/file.txt'), 'HELLO'),
      ['', 'a', 'a/b', 'a/b/c'],
    ],
    ['size', (c) => writeFileSync(join(c, 'other/y.txt'), 'yy'), ['', 'other']],
    ['exec bit', (c) => chmodSync(join(c, 'a/x.txt'), 0o755), ['', 'a']],
    [
      'rename',
      (c) => renameSync(join(c, 'a/b/c/file.txt'), join(c, 'a/b/c/f.txt')),
      ['', 'a', 'a/b', 'a/b/c'],
    ],
    [
      'symlink target',
      (c) => {
        unlinkSync(join(c, 'a/link'));
        symlinkSync('b/run.sh', join(c, 'a/link'));
      },
      ['', 'a'],
    ],
    [
      'empty dir added',
      (c) => mkdirSync(join(c, 'a/b/c/new')),
      ['', 'a', 'a/b', 'a/b/c', 'a/b/c/new'],
    ],
    ['file deleted', (c) => unlinkSync(join(c, 'top.txt')), ['']],
    [
      'dir deleted',
      (c) => rmSync(join(c, 'a/b/empty'), { recursive: true }),
      ['', 'a', 'a/b', 'a/b/empty'],
    ],
    [
      'file replaced by a dir',
      (c) => {
        unlinkSync(join(c, 'other/y.txt'));
        mkdirSync(join(c, 'other/y.txt'));
      },
      ['', 'other', 'other/y.txt'],
    ],
  ];
  for (const [name, change, expected] of cases) {
    const changed = await scanChanged(t, root, change);
    t.not(changed.rootHash.toString('hex'), base.rootHash.toString('hex'), `${name}: root hash`);
    t.strictSame(changedDirectories(base, changed), expected, `${name}: changed directories`);
  }
});

t.test('full modes count only with fullModes', async (t) => {
  const root = t.testdir(BASE);
  chmodSync(join(root, 'a/x.txt'), 0o644);
  const change = (c: string) => chmodSync(join(c, 'a/x.txt'), 0o600);
  const normal = await scanTree(root);
  t.strictSame(changedDirectories(normal, await scanChanged(t, root, change)), []);
  const full = await scanTree(root, { fullModes: true });
  t.equal(full.fullModes, true);
  t.equal(lookupEntry(full, 'a/x.txt')?.mode, 0o644);
  const changed = await scanChanged(t, root, change, { fullModes: true });
  t.equal(lookupEntry(changed, 'a/x.txt')?.mode, 0o600);
  t.strictSame(changedDirectories(full, changed), ['', 'a']);
  const dirChanged = await scanChanged(t, root, (c) => chmodSync(join(c, 'a/b/c'), 0o700), {
    fullModes: true,
  });
  t.strictSame(changedDirectories(full, dirChanged), ['', 'a', 'a/b'], 'a directory’s own mode');
});

t.test('symlinks are recorded as links and never followed', async (t) => {
  const dir = t.testdir({
    outside: { 'secret.txt': 'secret', nested: { 'deep.txt': 'deep' } },
    root: { 'real.txt': 'real' },
  });
  const root = join(dir, 'root');
  symlinkSync(join(dir, 'outside'), join(root, 'to-dir'));
  symlinkSync('../outside/secret.txt', join(root, 'to-file'));
  symlinkSync('nowhere', join(root, 'dangling'));
  symlinkSync('.', join(root, 'loop'));
  const snapshot = await scanTree(root);
  t.strictSame([...snapshot.directories.keys()], ['']);
  t.strictSame(
    snapshot.directories.get('')!.entries.map(({ name, type, target }) => ({ name, type, target })),
    [
      { name: 'dangling', type: 'symlink', target: 'nowhere' },
      { name: 'loop', type: 'symlink', target: '.' },
      { name: 'real.txt', type: 'file', target: undefined },
      { name: 'to-dir', type: 'symlink', target: join(dir, 'outside') },
      { name: 'to-file', type: 'symlink', target: '../outside/secret.txt' },
    ],
  );
  writeFileSync(join(dir, 'outside/secret.txt'), 'changed');
  writeFileSync(join(dir, 'outside/nested/new.txt'), 'new');
  t.strictSame((await scanTree(root)).rootHash, snapshot.rootHash, 'changes outside do not count');
  const viaLink = await scanTree(join(root, 'to-dir'));
  t.ok(lookupEntry(viaLink, 'nested/deep.txt'), 'the root itself may be a symlink');
});

t.test('ignored paths, sockets and unrepresentable names are left out', async (t) => {
  const root = t.testdir({
    '.gitignore': 'dist/\n',
    dist: { 'out.js': '' },
    node_modules: { x: { 'index.js': '' } },
    src: { 'a.ts': '', '.a.ts.swp': '', '.a.ts.lp-1.tmp': '' },
    'back\\slash': '',
    '.livepatch-journal.json': '{}',
  });
  writeFileSync(Buffer.from(`${root}/bad-\xff-name`, 'latin1'), '');
  // A Unix socket path must fit in 108 bytes: listen in a short directory, then move the socket in.
  const short = mkdtempSync(join(tmpdir(), 'lp-'));
  t.teardown(() => rmSync(short, { recursive: true, force: true }));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(short, 's'), resolve));
  renameSync(join(short, 's'), join(root, 'src/app.sock'));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const warnings: string[] = [];
  const debug: string[] = [];
  const snapshot = await scanTree(root, {
    ignore: createIgnoreMatcher({ files: [{ directory: '', text: 'dist/\n' }] }),
    logger: { warn: (message) => warnings.push(message), debug: (message) => debug.push(message) },
  });
  t.strictSame(
    [...walkTree(snapshot)].map(({ path }) => path),
    ['.gitignore', 'src', 'src/a.ts'],
  );
  t.equal(warnings.length, 2, 'backslash and non-UTF-8 names');
  t.match(warnings.join('\n'), /back\\\\slash/);
  t.strictSame(debug, ['Skipping "src/app.sock": not a file, directory or symlink.']);
});

t.test('large files are hashed in chunks', async (t) => {
  const content = randomBytes(3 * 1024 * 1024 + 17);
  const root = t.testdir({ 'big.bin': content, 'empty.bin': '' });
  const snapshot = await scanTree(root);
  t.strictSame(lookupEntry(snapshot, 'big.bin')?.hash, sha256(content));
  t.equal(lookupEntry(snapshot, 'big.bin')?.size, content.length);
  t.strictSame(lookupEntry(snapshot, 'empty.bin')?.hash, sha256(''));
});

t.test('the root must be an existing directory', async (t) => {
  const root = t.testdir({ file: '' });
  await t.rejects(scanTree(join(root, 'missing')), TreeRootNotFoundError);
  await t.rejects(scanTree(join(root, 'file')), {
    code: 'LIVEPATCH_TREE_ROOT_NOT_FOUND',
    notDirectory: true,
  });
  t.ok(TreeReadError);
});

t.test('an aborted scan rejects with the signal’s reason', async (t) => {
  const root = t.testdir(BASE);
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await t.rejects(scanTree(root, { signal: controller.signal }), { message: 'stop' });
});
