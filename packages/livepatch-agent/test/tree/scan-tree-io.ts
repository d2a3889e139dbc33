/** `scanTree` against a file system that changes or fails underneath, with `node:fs` mocked. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { HashCache } from '../../src/tree/hash-cache.js';
import { createIgnoreMatcher } from '../../src/tree/ignore-rules.js';
import type * as ScanTreeModule from '../../src/tree/scan-tree.js';
import type * as UpdateTreeModule from '../../src/tree/update-tree.js';

const sha256 = (data: string) => createHash('sha256').update(data).digest();

/** A copy of `stats` with some fields changed. */
function withStats(stats: fs.Stats, changes: Partial<fs.Stats>): fs.Stats {
  return Object.assign(
    Object.create(Object.getPrototypeOf(stats) as object),
    stats,
    changes,
  ) as fs.Stats;
}

/**
 * `node:fs` whose calls (`open`, `lstat`, `readdir`, `readlink`; the scan makes them synchronously) fail
 * with the code `fail` returns for them, counting `open` calls.
 */
function failingFs(fail: (call: string, path: string) => string | undefined = () => undefined) {
  const opened: string[] = [];
  const wrap =
    (call: string, real: (...args: never[]) => unknown) =>
    (path: string, ...rest: unknown[]) => {
      if (call === 'open') opened.push(path);
      const code = fail(call, path);
      if (code === undefined) return (real as (...args: unknown[]) => unknown)(path, ...rest);
      throw Object.assign(new Error(`${code}: ${path}`), { code });
    };
  return {
    opened,
    fs: {
      ...fs,
      openSync: wrap('open', fs.openSync),
      lstatSync: wrap('lstat', fs.lstatSync),
      readdirSync: wrap('readdir', fs.readdirSync),
      readlinkSync: wrap('readlink', fs.readlinkSync),
    },
  };
}

/**
 * `scan-tree.ts` loaded with `mockedFs` as `node:fs`.
 *
 * tap's loader applies mocks to the modules a mocked module imports only when it can resolve them, and it
 * does not map `./x.js` to `x.ts`; so the modules between `scan-tree.ts` and `node:fs` are loaded (with the
 * mock) one by one and handed down.
 */
async function load(t: Test, mockedFs: Record<string, unknown>) {
  const fsAsync = await t.mockImport<unknown>('../../src/tree/fs-async.js', {
    'node:fs': mockedFs,
  });
  const hashFile = await t.mockImport<unknown>('../../src/tree/hash-file.js', {
    '../../src/tree/fs-async.ts': fsAsync,
  });
  const scanTree = await t.mockImport<typeof ScanTreeModule>('../../src/tree/scan-tree.js', {
    '../../src/tree/fs-async.ts': fsAsync,
    '../../src/tree/hash-file.ts': hashFile,
  });
  const { updateTree } = await t.mockImport<typeof UpdateTreeModule>(
    '../../src/tree/update-tree.js',
    { '../../src/tree/scan-tree.ts': scanTree },
  );
  return { ...scanTree, updateTree };
}

t.test('the hash cache spares unchanged files and forgets deleted ones', async (t) => {
  const { opened, fs: mockedFs } = failingFs();
  const { scanTree, lookupEntry } = await load(t, mockedFs);
  const root = t.testdir({ 'a.txt': 'a', sub: { 'b.txt': 'b', 'c.txt': 'c' } });
  // Accept files however recent: the racy window is tested in test/tree/hash-cache.ts.
  const hashCache = new HashCache({ racyWindowMs: -60_000 });
  const first = await scanTree(root, { hashCache });
  t.equal(opened.length, 3);
  t.equal(hashCache.size, 3);
  opened.length = 0;
  writeFileSync(join(root, 'sub/b.txt'), 'B');
  unlinkSync(join(root, 'sub/c.txt'));
  const second = await scanTree(root, { hashCache });
  t.strictSame(opened, [join(root, 'sub/b.txt')], 'only the changed file is read');
  t.equal(hashCache.size, 2, 'the deleted file is forgotten');
  t.strictSame(lookupEntry(second, 'sub/b.txt')?.hash, sha256('B'));
  t.not(first.rootHash.toString('hex'), second.rootHash.toString('hex'));
  opened.length = 0;
  const recent = new HashCache();
  await scanTree(root, { hashCache: recent });
  await scanTree(root, { hashCache: recent });
  t.equal(opened.length, 4, 'files changed within the racy window are read again');
});

t.test('entries that vanish during the scan are skipped', async (t) => {
  const { fs: mockedFs } = failingFs((call, path) => {
    if (call === 'lstat' && path.endsWith('gone-at-lstat')) return 'ENOENT';
    if (call === 'open' && path.endsWith('gone-at-open')) return 'ENOENT';
    if (call === 'open' && path.endsWith('now-a-link')) return 'ELOOP';
    if (call === 'open' && path.endsWith('now-a-socket')) return 'ENXIO';
    if (call === 'readdir' && path.endsWith('gone-dir')) return 'ENOENT';
    if (call === 'readdir' && path.endsWith('now-a-file')) return 'ENOTDIR';
    if (call === 'readlink' && path.endsWith('gone-link')) return 'ENOENT';
    return undefined;
  });
  const { scanTree, walkTree } = await load(t, mockedFs);
  const root = t.testdir({
    'gone-at-lstat': '',
    'gone-at-open': 'x',
    'now-a-link': 'x',
    'now-a-socket': 'x',
    'gone-dir': { x: '' },
    'now-a-file': {},
    'gone-link': t.fixture('symlink', 'x'),
    kept: '',
  });
  const snapshot = await scanTree(root);
  t.strictSame(
    [...walkTree(snapshot)].map(({ path }) => path),
    ['kept'],
  );
});

t.test('other read errors fail the scan with TreeReadError and stop it', async (t) => {
  const { opened, fs: mockedFs } = failingFs((call, path) =>
    call === 'open' && path.endsWith('f00') ? 'EACCES' : undefined,
  );
  const { scanTree } = await load(t, mockedFs);
  const root = t.testdir({
    d: Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'x']),
    ),
  });
  await t.rejects(scanTree(root, { concurrency: 1 }), {
    name: 'TreeReadError',
    code: 'LIVEPATCH_TREE_READ_FAILED',
    path: join(root, 'd/f00'),
    message: `Cannot read "${join(root, 'd/f00')}" (EACCES). Fix its permissions or add it to .livepatchignore.`,
  });
  t.ok(opened.length < 100, 'calls still waiting are cancelled');
});

t.test('a root that vanishes during the scan is not found', async (t) => {
  const root = t.testdir({});
  const { fs: mockedFs } = failingFs((call, path) =>
    call === 'readdir' && path === root ? 'ENOENT' : undefined,
  );
  const { scanTree } = await load(t, mockedFs);
  await t.rejects(scanTree(root), { name: 'TreeRootNotFoundError' });
});

t.test('a directory replaced while it is scanned is left out, with its subtree', async (t) => {
  const { fs: mockedFs } = failingFs();
  let calls = 0;
  const lstatSync = (path: string) => {
    const stats = fs.lstatSync(path);
    // The second look, after listing it, finds another inode: something was swapped in.
    if (path.endsWith('/swapped') && ++calls === 2) return withStats(stats, { ino: stats.ino + 1 });
    return stats;
  };
  const { scanTree, walkTree } = await load(t, { ...mockedFs, lstatSync });
  const root = t.testdir({ swapped: { inner: { 'x.txt': 'x' } }, kept: { 'y.txt': 'y' } });
  const snapshot = await scanTree(root);
  t.equal(calls, 2);
  t.strictSame(
    [...walkTree(snapshot)].map(({ path }) => path),
    ['kept', 'kept/y.txt'],
  );
  t.strictSame([...snapshot.directories.keys()].sort(), ['', 'kept']);
});

t.test('an entry listed as a file but now a directory is tested as a directory', async (t) => {
  const root = t.testdir({ build: '', src: { 'a.ts': '' } });
  const { fs: mockedFs } = failingFs();
  const lstatSync = (path: string) =>
    fs.lstatSync(path.endsWith('/build') ? join(root, 'src') : path);
  const { scanTree, walkTree } = await load(t, { ...mockedFs, lstatSync });
  const ignore = createIgnoreMatcher({ files: [{ directory: '', text: 'build/\n' }] });
  const snapshot = await scanTree(root, { ignore });
  t.strictSame(
    [...walkTree(snapshot)].map(({ path }) => path),
    ['src', 'src/a.ts'],
  );
});

t.test('a file that shrinks while it is read is hashed but not cached', async (t) => {
  const root = t.testdir({ 'shrinking.log': 'hello' });
  const { fs: mockedFs } = failingFs();
  // lstat saw 10 bytes; only 5 are left to read.
  const lstatSync = (path: string) => {
    const stats = fs.lstatSync(path);
    return path.endsWith('.log') ? withStats(stats, { size: 10 }) : stats;
  };
  const { scanTree, lookupEntry } = await load(t, { ...mockedFs, lstatSync });
  const hashCache = new HashCache({ racyWindowMs: -60_000 });
  const snapshot = await scanTree(root, { hashCache });
  t.strictSame(lookupEntry(snapshot, 'shrinking.log')?.hash, sha256('hello'));
  t.equal(lookupEntry(snapshot, 'shrinking.log')?.size, 5, 'the bytes read');
  t.equal(hashCache.size, 0);
});

t.test(
  'a file is read no further than the size lstat gave; an empty one is not opened',
  async (t) => {
    const root = t.testdir({ 'empty.txt': '', 'a.txt': 'abc' });
    const { opened, fs: mockedFs } = failingFs();
    const lstatSync = (path: string) => {
      const stats = fs.lstatSync(path);
      return path.endsWith('a.txt') ? withStats(stats, { size: 2 }) : stats;
    };
    const { scanTree, lookupEntry } = await load(t, { ...mockedFs, lstatSync });
    const snapshot = await scanTree(root);
    t.strictSame(opened, [join(root, 'a.txt')]);
    t.strictSame(
      lookupEntry(snapshot, 'a.txt')?.hash,
      sha256('ab'),
      'grew since: the next scan sees it',
    );
    t.strictSame(lookupEntry(snapshot, 'empty.txt')?.hash, sha256(''));
  },
);

t.test('updateTree: a directory replaced while listed again is removed', async (t) => {
  const root = t.testdir({ d: { 'x.txt': 'x' }, kept: '' });
  let swapping = false;
  const { fs: mockedFs } = failingFs((call, path) =>
    swapping && call === 'readdir' && path.endsWith('/d') ? 'ENOENT' : undefined,
  );
  const { scanTree, updateTree, walkTree } = await load(t, mockedFs);
  const snapshot = await scanTree(root);
  swapping = true;
  const updated = await updateTree(snapshot, ['d']);
  t.strictSame(
    [...walkTree(updated)].map(({ path }) => path),
    ['kept'],
  );
});

t.test('updateTree: a root that vanishes while listed again is not found', async (t) => {
  const root = t.testdir({ kept: '' });
  let vanishing = false;
  const { fs: mockedFs } = failingFs((call, path) =>
    vanishing && call === 'readdir' && path === root ? 'ENOENT' : undefined,
  );
  const { scanTree, updateTree } = await load(t, mockedFs);
  const snapshot = await scanTree(root);
  vanishing = true;
  await t.rejects(updateTree(snapshot, ['']), { name: 'TreeRootNotFoundError' });
});
