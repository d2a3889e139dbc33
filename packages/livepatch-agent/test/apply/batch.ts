import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as fsSync from '../../src/apply/fs-sync.js';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import {
  ApplyIoError,
  BasisUnavailableError,
  BatchStateError,
  ContentMismatchError,
  JOURNAL_NAME,
  PathRefusedError,
  SizeLimitError,
  beginBatch,
} from '../../src/apply/index.js';
import type { ApplyLogger, Batch, BeginBatchOptions } from '../../src/apply/index.js';
import type * as BatchModule from '../../src/apply/batch.js';
import { chunks, internalEntries, sha256, snapshotTree, visibleTree } from './helpers/tree.js';

/** A testdir with `root/` (the agent's root, holding `files`) and `outside/` next to it. */
function makeRoot(
  t: Test,
  files: Parameters<Test['testdir']>[0] = {},
): { root: string; outside: string } {
  const dir = t.testdir({ root: files, outside: { 'secret.txt': 'secret' } });
  return { root: join(dir, 'root'), outside: join(dir, 'outside') };
}

/** Begins a batch on `root`. */
function begin(root: string, options: Partial<BeginBatchOptions> = {}): Promise<Batch> {
  return beginBatch({ root, batchId: 'b1', ...options });
}

/** Content and its hash and size, for writeFile. */
function file(text: string) {
  const content = Buffer.from(text);
  return [content, { expectedHash: sha256(content), expectedSize: content.byteLength }] as const;
}

t.test('a committed batch applies every kind of operation', async (t) => {
  const { root } = makeRoot(t, {
    'keep.txt': 'keep',
    'old.txt': 'old',
    'gone.txt': 'gone',
    'moved.txt': 'moved',
    'run.sh': 'echo',
    olddir: { 'a.txt': 'a', deep: { 'b.txt': 'b' } },
  });
  const batch = await begin(root);
  await batch.writeFile('old.txt', ...file('new'));
  await batch.writeFile('src/lib/new.js', ...file('export {}'));
  await batch.remove('gone.txt');
  await batch.remove('olddir');
  await batch.rename('moved.txt', 'dest/moved.txt');
  await batch.mkdir('empty/nested', 0o750);
  await batch.symlink('current', 'src/lib/new.js');
  await batch.chmod('run.sh', 0o755);
  const committed = await batch.commit();
  t.match(committed, { batchId: 'b1', filesChanged: 6, filesDeleted: 2, bytesWritten: 12 });
  t.equal(readFileSync(join(root, 'old.txt'), 'utf8'), 'new');
  t.equal(readFileSync(join(root, 'src/lib/new.js'), 'utf8'), 'export {}');
  t.equal(readFileSync(join(root, 'dest/moved.txt'), 'utf8'), 'moved');
  t.equal(readlinkSync(join(root, 'current')), 'src/lib/new.js');
  t.equal(lstatSync(join(root, 'run.sh')).mode & 0o7777, 0o755);
  t.equal(lstatSync(join(root, 'empty/nested')).mode & 0o7777, 0o750);
  t.equal(lstatSync(join(root, 'src')).mode & 0o7777, 0o755, 'missing parents are 0o755');
  t.notOk(snapshotTree(root)['gone.txt']);
  t.notOk(snapshotTree(root).olddir);
  t.ok(internalEntries(root).length > 0, 'backups are kept until release');
  t.notOk(snapshotTree(root)[JOURNAL_NAME], 'the journal is removed after commit');
  await committed.release();
  t.strictSame(internalEntries(root), [], 'release deletes every backup');
  await committed.release();
  await t.rejects(committed.undo(), BatchStateError);
});

t.test('undo after commit restores the tree exactly', async (t) => {
  const { root } = makeRoot(t, {
    'a.txt': 'a',
    'b.txt': 'b',
    'c.txt': 'c',
    'exec.sh': 'x',
    'link-to-a': t.fixture('symlink', 'a.txt'),
    'hard.txt': 'h',
    dir: { 'x.txt': 'x', sub: { 'y.txt': 'y', l: t.fixture('symlink', '../x.txt') } },
    keepdir: {},
  });
  linkSync(join(root, 'hard.txt'), join(root, 'hard-twin.txt'));
  chmodSync(join(root, 'exec.sh'), 0o755);
  chmodSync(join(root, 'keepdir'), 0o700);
  const before = snapshotTree(root);
  const batch = await begin(root, { batchId: 'undo me/with odd id' });
  await batch.writeFile('a.txt', ...file('A'));
  await batch.writeFile('new/deep/file.txt', ...file('N'));
  await batch.remove('b.txt');
  await batch.remove('dir');
  await batch.rename('c.txt', 'renamed/c.txt');
  await batch.writeFile('c.txt', ...file('C again'));
  await batch.mkdir('made', 0o700);
  await batch.mkdir('keepdir', 0o755);
  await batch.symlink('link-to-a', 'b.txt');
  await batch.symlink('new-link', 'a.txt');
  await batch.chmod('exec.sh', 0o644);
  await batch.writeFile('hard.txt', ...file('H'));
  await batch.writeFile('dir', ...file('a file where a directory was'));
  await batch.rename('a.txt', 'a2.txt');
  await batch.remove('new/deep/file.txt');
  const committed = await batch.commit();
  t.not(snapshotTree(root), before);
  t.equal(
    readFileSync(join(root, 'hard-twin.txt'), 'utf8'),
    'h',
    'a hard link is not written through',
  );
  t.equal(readFileSync(join(root, 'dir'), 'utf8'), 'a file where a directory was');
  await committed.undo();
  t.strictSame(snapshotTree(root), before);
  await t.rejects(committed.undo(), BatchStateError, 'undo once');
  await committed.release();
  t.strictSame(snapshotTree(root), before, 'release after undo does nothing');
});

t.test('batches are undone in reverse order', async (t) => {
  const { root } = makeRoot(t, { 'f.txt': 'v0' });
  const before = snapshotTree(root);
  const first = await begin(root, { batchId: 'one' });
  await first.writeFile('f.txt', ...file('v1'));
  const one = await first.commit();
  const afterOne = snapshotTree(root);
  const second = await begin(root, { batchId: 'two' });
  await second.writeFile('f.txt', ...file('v2'));
  await second.remove('g.txt');
  const two = await second.commit();
  t.equal(readFileSync(join(root, 'f.txt'), 'utf8'), 'v2');
  await two.undo();
  t.strictSame(snapshotTree(root), afterOne);
  await one.undo();
  t.strictSame(snapshotTree(root), before);
});

t.test('path attacks are refused and change nothing', async (t) => {
  const { root, outside } = makeRoot(t, {
    'a.txt': 'a',
    escape: t.fixture('symlink', '../outside'),
    file: 'f',
    dir: { inner: t.fixture('symlink', '../../outside') },
  });
  const before = snapshotTree(root);
  const outsideBefore = snapshotTree(outside);
  const attacks: [string, (batch: Batch) => Promise<unknown>, RegExp][] = [
    ['absolute', (b) => b.writeFile('/etc/passwd', ...file('x')), /is absolute/],
    ['dot-dot', (b) => b.writeFile('../outside/x', ...file('x')), /"\.\." component/],
    ['nested dot-dot', (b) => b.writeFile('a/../../x', ...file('x')), /"\.\." component/],
    ['empty component', (b) => b.writeFile('a//b', ...file('x')), /empty component/],
    ['NUL', (b) => b.writeFile('a\0.txt', ...file('x')), /NUL byte/],
    ['backslash', (b) => b.writeFile('..\\x', ...file('x')), /backslash/],
    ['over-long path', (b) => b.writeFile('x'.repeat(5000), ...file('x')), /longer than 4096/],
    ['over-long name', (b) => b.writeFile('x'.repeat(256), ...file('x')), /longer than 255/],
    ['journal', (b) => b.writeFile(JOURNAL_NAME, ...file('{}')), /reserved/],
    ['temp name', (b) => b.writeFile('.a.txt.lp-0123456789abcdef.tmp', ...file('x')), /reserved/],
    ['backup name', (b) => b.remove('.a.txt.lp-b1-0.bak'), /reserved/],
    [
      'symlink parent',
      (b) => b.writeFile('escape/secret.txt', ...file('x')),
      /parent "escape" is a symbolic link/,
    ],
    ['symlink parent, new file', (b) => b.writeFile('escape/new/x', ...file('x')), /symbolic link/],
    [
      'deep symlink parent',
      (b) => b.writeFile('dir/inner/secret.txt', ...file('x')),
      /parent "dir\/inner" is a symbolic link/,
    ],
    ['file parent', (b) => b.writeFile('file/x', ...file('x')), /parent "file" is not a directory/],
    ['remove through link', (b) => b.remove('escape/secret.txt'), /symbolic link/],
    [
      'rename from through link',
      (b) => b.rename('escape/secret.txt', 'stolen.txt'),
      /symbolic link/,
    ],
    ['rename to through link', (b) => b.rename('a.txt', 'escape/a.txt'), /symbolic link/],
    ['rename dot-dot', (b) => b.rename('a.txt', '../a.txt'), /"\.\." component/],
    ['mkdir through link', (b) => b.mkdir('escape/d'), /symbolic link/],
    ['chmod through link', (b) => b.chmod('escape/secret.txt', 0o777), /symbolic link/],
    ['chmod a link', (b) => b.chmod('escape', 0o777), /is a symbolic link/],
    ['symlink through link', (b) => b.symlink('escape/l', 'x'), /symbolic link/],
    ['absolute link target', (b) => b.symlink('l', '/etc/passwd'), /links outside the root/],
    ['escaping link target', (b) => b.symlink('l', '../outside/secret.txt'), /links outside/],
    ['nested escaping link', (b) => b.symlink('d/l', '../../x'), /links outside/],
    ['sneaky link target', (b) => b.symlink('l', 'a/../../x'), /links outside/],
    ['empty link target', (b) => b.symlink('l', ''), /empty link target/],
    ['NUL link target', (b) => b.symlink('l', 'a\0'), /NUL byte/],
    ['write over a directory', (b) => b.writeFile('dir', ...file('x')), /is a directory/],
    ['rename missing', (b) => b.rename('missing', 'x'), /does not exist/],
    ['rename onto itself', (b) => b.rename('a.txt', 'a.txt'), /onto itself/],
    ['rename into itself', (b) => b.rename('dir', 'dir/x'), /inside "dir"/],
    ['rename over a directory', (b) => b.rename('a.txt', 'dir'), /existing directory/],
    ['mkdir over a file', (b) => b.mkdir('a.txt'), /not a directory/],
    ['chmod missing', (b) => b.chmod('missing', 0o644), /does not exist/],
  ];
  for (const [name, attack, reason] of attacks) {
    const batch = await begin(root);
    const error: unknown = await attack(batch).then(
      () => undefined,
      (error: unknown) => error,
    );
    t.type(error, PathRefusedError, name);
    t.match(error, { reason }, name);
    await t.rejects(batch.commit(), BatchStateError, `${name}: the batch cannot be committed`);
    await batch.abort();
    t.strictSame(snapshotTree(root), before, `${name}: nothing changed`);
    t.strictSame(snapshotTree(outside), outsideBefore, `${name}: nothing changed outside`);
  }
});

t.test('a link target outside the root is allowed when asked for', async (t) => {
  const { root } = makeRoot(t);
  const batch = await begin(root);
  await batch.symlink('abs', '/usr/lib', { allowOutsideRoot: true });
  await batch.symlink('rel', '../outside/secret.txt', { allowOutsideRoot: true });
  await batch.symlink('d/inside', '../x');
  await (await batch.commit()).release();
  t.equal(readlinkSync(join(root, 'abs')), '/usr/lib');
  t.equal(readlinkSync(join(root, 'rel')), '../outside/secret.txt');
  t.equal(readlinkSync(join(root, 'd/inside')), '../x');
});

t.test('a target that is a symlink is replaced, not followed', async (t) => {
  const { root, outside } = makeRoot(t, {
    'to-outside': t.fixture('symlink', '../outside/secret.txt'),
    'to-dir': t.fixture('symlink', '../outside'),
    dangling: t.fixture('symlink', 'nowhere'),
  });
  const batch = await begin(root);
  await batch.writeFile('to-outside', ...file('mine'));
  await batch.writeFile('to-dir', ...file('mine too'));
  await batch.symlink('dangling', 'elsewhere');
  const committed = await batch.commit();
  t.equal(
    readFileSync(join(outside, 'secret.txt'), 'utf8'),
    'secret',
    'the link target is untouched',
  );
  t.ok(lstatSync(join(root, 'to-outside')).isFile());
  t.equal(readFileSync(join(root, 'to-dir'), 'utf8'), 'mine too');
  t.equal(readlinkSync(join(root, 'dangling')), 'elsewhere');
  await committed.undo();
  t.equal(readlinkSync(join(root, 'to-outside')), '../outside/secret.txt');
  t.equal(readlinkSync(join(root, 'to-dir')), '../outside');
  t.equal(readlinkSync(join(root, 'dangling')), 'nowhere');
});

t.test('a symlink parent removed earlier in the batch may become a directory', async (t) => {
  const { root, outside } = makeRoot(t, {
    escape: t.fixture('symlink', '../outside'),
    'was-file': 'f',
  });
  const before = snapshotTree(root);
  const batch = await begin(root);
  await batch.remove('escape');
  await batch.mkdir('escape');
  await batch.writeFile('escape/secret.txt', ...file('inside'));
  await batch.remove('was-file');
  await batch.writeFile('was-file/now-a-dir.txt', ...file('x'));
  const committed = await batch.commit();
  t.ok(lstatSync(join(root, 'escape')).isDirectory());
  t.equal(readFileSync(join(root, 'escape/secret.txt'), 'utf8'), 'inside');
  t.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'secret');
  t.equal(readFileSync(join(root, 'was-file/now-a-dir.txt'), 'utf8'), 'x');
  await committed.undo();
  t.strictSame(snapshotTree(root), before);
});

t.test('operations on paths changed earlier in the batch', async (t) => {
  const { root } = makeRoot(t, { dir: { 'a.txt': 'a' }, 'x.txt': 'x' });
  const before = snapshotTree(root);
  const batch = await begin(root);
  await batch.rename('dir', 'moved');
  await batch.writeFile('moved/b.txt', ...file('b'));
  await batch.writeFile('dir/c.txt', ...file('c'));
  await batch.chmod('moved/a.txt', 0o600);
  await batch.writeFile('x.txt', ...file('x1'));
  await batch.remove('x.txt');
  await batch.writeFile('x.txt', ...file('x2'));
  await t.rejects(batch.readBasis('x.txt'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'is changed earlier in this batch',
  });
  await t.rejects(batch.readBasis('moved/a.txt'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'is changed earlier in this batch',
  });
  const committed = await batch.commit();
  t.strictSame(
    Object.keys(snapshotTree(root)).filter((path) => !path.includes('.lp-')),
    ['dir', 'dir/c.txt', 'moved', 'moved/a.txt', 'moved/b.txt', 'x.txt'],
  );
  t.equal(lstatSync(join(root, 'moved/a.txt')).mode & 0o777, 0o600);
  t.equal(readFileSync(join(root, 'x.txt'), 'utf8'), 'x2');
  await committed.release();
  t.strictSame(internalEntries(root), [], 'backups moved by a later rename are found');
  t.not(snapshotTree(root), before);
});

t.test('a wrong hash on the 3rd file leaves the tree byte-identical, with no temp', async (t) => {
  const { root } = makeRoot(t, { 'one.txt': '1', 'two.txt': '2', 'three.txt': '3' });
  const before = snapshotTree(root);
  const batch = await begin(root);
  await batch.writeFile('one.txt', ...file('one'));
  await batch.writeFile('two.txt', ...file('two'));
  t.ok(internalEntries(root).length === 2, 'temps are staged next to their targets');
  const [content, { expectedSize }] = file('three');
  const error = await batch
    .writeFile('three.txt', content, { expectedSize, expectedHash: sha256('other') })
    .catch((error: unknown) => error);
  t.type(error, ContentMismatchError);
  t.match(error, { path: 'three.txt', reason: /SHA-256 is [0-9a-f]{64}, expected [0-9a-f]{64}/ });
  await t.rejects(batch.writeFile('four.txt', ...file('4')), BatchStateError);
  await t.rejects(batch.commit(), { code: 'LIVEPATCH_BATCH_STATE' });
  await batch.abort();
  await batch.abort();
  t.strictSame(snapshotTree(root), before);
  t.strictSame(internalEntries(root), []);
});

t.test('content size is checked against the expected size and the limits', async (t) => {
  const { root } = makeRoot(t, { 'f.txt': 'old' });
  const before = snapshotTree(root);
  const data = Buffer.alloc(1000, 7);
  const cases: [string, (batch: Batch) => Promise<unknown>, object][] = [
    [
      'fewer bytes',
      (b) => b.writeFile('f.txt', data, { expectedSize: 1001 }),
      { constructor: ContentMismatchError, reason: 'it has 1000 bytes, expected 1001' },
    ],
    [
      'more bytes',
      (b) => b.writeFile('f.txt', chunks(data, 100), { expectedSize: 999 }),
      { constructor: ContentMismatchError, reason: 'it has more than the expected 999 bytes' },
    ],
    [
      'bad expected size',
      (b) => b.writeFile('f.txt', data, { expectedSize: -1 }),
      { constructor: ContentMismatchError },
    ],
    [
      'bad hash length',
      (b) => b.writeFile('f.txt', data, { expectedHash: new Uint8Array(20) }),
      { constructor: ContentMismatchError, reason: /has 20 bytes, not 32/ },
    ],
    [
      'declared too large',
      (b) => b.writeFile('f.txt', data, { expectedSize: 2000 }),
      { constructor: SizeLimitError, limit: 1999, code: 'LIVEPATCH_SIZE_LIMIT' },
    ],
    [
      'streams too much (a decompression bomb)',
      (b) => b.writeFile('f.txt', chunks(Buffer.alloc(5000), 100)),
      { constructor: SizeLimitError, reason: /larger than 1999 bytes/ },
    ],
    [
      'not bytes',
      (b) =>
        b.writeFile(
          'f.txt',
          (async function* () {
            yield 'text' as unknown as Uint8Array;
          })(),
        ),
      { constructor: TypeError },
    ],
  ];
  for (const [name, write, expected] of cases) {
    const batch = await begin(root, { limits: { maxFileBytes: 1999 } });
    t.match(await write(batch).catch((error: unknown) => error), expected, name);
    await batch.abort();
    t.strictSame(snapshotTree(root), before, `${name}: nothing changed, no temp left`);
  }

  const batch = await begin(root, { limits: { maxBatchBytes: 1500 } });
  await batch.writeFile('a', data);
  await t.rejects(batch.writeFile('b', data), {
    code: 'LIVEPATCH_SIZE_LIMIT',
    constructor: SizeLimitError,
    limit: 1500,
    path: 'b',
  });
  await batch.abort();

  const counted = await begin(root, { limits: { maxOperations: 2 } });
  await counted.mkdir('x');
  await counted.mkdir('y');
  await t.rejects(counted.mkdir('z'), {
    code: 'LIVEPATCH_SIZE_LIMIT',
    constructor: SizeLimitError,
    path: '',
    limit: 2,
  });
  await counted.abort();
  t.strictSame(snapshotTree(root), before);
});

t.test('setuid, setgid and sticky bits are stripped', async (t) => {
  const { root } = makeRoot(t, { tool: 'x', dir: {} });
  const batch = await begin(root);
  await batch.writeFile('suid', ...file('x'));
  await batch.writeFile('suid2', Buffer.from('y'), { mode: 0o4755 });
  await batch.chmod('tool', 0o6777);
  await batch.mkdir('sticky', 0o1777);
  await batch.mkdir('dir', 0o2775);
  await batch.commit();
  const mode = (path: string) => lstatSync(join(root, path)).mode & 0o7777;
  t.equal(mode('suid'), 0o644, 'default mode');
  t.equal(mode('suid2'), 0o755);
  t.equal(mode('tool'), 0o777);
  t.equal(mode('sticky'), 0o777);
  t.equal(mode('dir'), 0o775);
});

t.test('an overwritten file keeps its mode unless one is given', async (t) => {
  const { root } = makeRoot(t, { 'run.sh': 'a', 'other.sh': 'b' });
  chmodSync(join(root, 'run.sh'), 0o750);
  chmodSync(join(root, 'other.sh'), 0o750);
  const batch = await begin(root);
  await batch.writeFile('run.sh', Buffer.from('A'));
  await batch.writeFile('other.sh', Buffer.from('B'), { mode: 0o640 });
  await batch.chmod('run.sh', 0o750);
  const committed = await batch.commit();
  t.equal(lstatSync(join(root, 'run.sh')).mode & 0o7777, 0o750);
  t.equal(lstatSync(join(root, 'other.sh')).mode & 0o7777, 0o640);
  t.equal(committed.filesChanged, 2, 'a chmod to the same bits changes nothing');
});

t.test('streamed content is hashed and written whole', async (t) => {
  const { root } = makeRoot(t);
  const data = Buffer.alloc(300_000);
  for (let index = 0; index < data.length; index++) data[index] = (index * 31) % 251;
  const batch = await begin(root, { durable: true });
  await batch.writeFile('big.bin', chunks(data, 65_536), {
    expectedSize: data.length,
    expectedHash: sha256(data),
  });
  await batch.writeFile('empty', new Uint8Array(0), { expectedHash: sha256('') });
  const committed = await batch.commit();
  t.equal(committed.bytesWritten, 300_000);
  t.ok(readFileSync(join(root, 'big.bin')).equals(data));
  t.equal(readFileSync(join(root, 'empty')).length, 0);
  await committed.undo();
  t.strictSame(snapshotTree(root), {});
});

t.test('readBasis reads files and refuses links', async (t) => {
  const { root } = makeRoot(t, {
    'a.txt': 'basis',
    link: t.fixture('symlink', 'a.txt'),
    escape: t.fixture('symlink', '../outside'),
    dir: {},
  });
  const batch = await begin(root, { limits: { maxFileBytes: 3 } });
  const big = await begin(root);
  t.equal(Buffer.from(await big.readBasis('a.txt')).toString(), 'basis');
  await t.rejects(batch.readBasis('a.txt'), SizeLimitError);
  await t.rejects(batch.readBasis('link'), {
    code: 'LIVEPATCH_PATH_REFUSED',
    constructor: PathRefusedError,
    reason: 'is a symbolic link',
  });
  await t.rejects(batch.readBasis('escape/secret.txt'), PathRefusedError);
  await t.rejects(batch.readBasis('missing'), BasisUnavailableError);
  await t.rejects(batch.readBasis('nodir/missing'), {
    code: 'LIVEPATCH_BASIS_UNAVAILABLE',
    reason: 'does not exist',
  });
  await t.rejects(batch.readBasis('dir'), {
    code: 'LIVEPATCH_BASIS_UNAVAILABLE',
    constructor: BasisUnavailableError,
    reason: 'is not a regular file',
  });
  await t.rejects(batch.readBasis('../x'), PathRefusedError);
  await batch.mkdir('new');
  t.ok(true, 'a failed readBasis does not poison the batch');
});

t.test('a tree changed between staging and commit rolls the commit back', async (t) => {
  const { root, outside } = makeRoot(t, { 'a.txt': 'a', 'b.txt': 'b', sub: { 'c.txt': 'c' } });
  const batch = await begin(root);
  await batch.writeFile('a.txt', ...file('A'));
  await batch.remove('b.txt');
  await batch.writeFile('new/n.txt', ...file('N'));
  await batch.writeFile('sub/c.txt', ...file('C'));
  // The app swaps a staged file's directory for a link before the commit.
  rmSync(join(root, 'sub'), { recursive: true });
  symlinkSync('../outside', join(root, 'sub'));
  t.strictSame(internalEntries(root).length, 2, 'two temps left staged');
  const before = visibleTree(root);
  const logged: string[] = [];
  const logger: ApplyLogger = {
    debug: () => {},
    info: () => {},
    warn: (message) => logged.push(message),
    error: () => {},
  };
  const error = await batch.commit().catch((error: unknown) => error);
  t.match(error, { constructor: PathRefusedError, reason: 'parent "sub" is a symbolic link' });
  t.strictSame(snapshotTree(root), before, 'everything done was rolled back');
  t.strictSame(internalEntries(root), []);
  t.strictSame(snapshotTree(outside), { 'secret.txt': snapshotTree(outside)['secret.txt'] });
  await t.rejects(batch.commit(), BatchStateError);
  await batch.abort();
  t.strictSame(logged, []);

  const second = await begin(root, { logger });
  await second.writeFile('a.txt', ...file('A'));
  await second.rename('b.txt', 'b2.txt');
  rmSync(join(root, 'b.txt'));
  const again = visibleTree(root);
  await t.rejects(second.commit(), {
    code: 'LIVEPATCH_PATH_REFUSED',
    reason: 'does not exist',
    path: 'b.txt',
  });
  t.strictSame(snapshotTree(root), again);
  t.strictSame(logged, ['commit failed, rolling back']);
});

t.test('one commit at a time: an existing journal is never replaced', async (t) => {
  const { root } = makeRoot(t, { 'a.txt': 'a' });
  writeFileSync(join(root, JOURNAL_NAME), 'someone else\n');
  const before = snapshotTree(root);
  const batch = await begin(root);
  await batch.writeFile('a.txt', ...file('A'));
  await t.rejects(batch.commit(), { constructor: BatchStateError, message: /journal .* exists/ });
  t.strictSame(snapshotTree(root), before);

  rmSync(join(root, JOURNAL_NAME));
  const next = await begin(root);
  await next.writeFile('a.txt', ...file('A'));
  const committed = await next.commit();
  writeFileSync(join(root, JOURNAL_NAME), 'someone else\n');
  await t.rejects(committed.undo(), BatchStateError);
  rmSync(join(root, JOURNAL_NAME));
  await committed.undo();
  t.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'a', 'undo can be retried');
});

t.test('a backup left by an unreleased batch with the same id is not overwritten', async (t) => {
  const { root } = makeRoot(t, { 'a.txt': 'a', 'b.txt': 'b' });
  const first = await begin(root, { batchId: 'same' });
  await first.writeFile('a.txt', ...file('A1'));
  await first.commit();
  const second = await begin(root, { batchId: 'same' });
  await second.writeFile('a.txt', ...file('A2'));
  const before = snapshotTree(root);
  for (const path of internalEntries(root)) if (path.endsWith('.tmp')) delete before[path];
  await t.rejects(second.commit(), {
    constructor: BatchStateError,
    message: /Backup ".a.txt.lp-same-0.bak" of an earlier batch/,
  });
  t.strictSame(snapshotTree(root), before);
});

t.test('calls must not overlap, and states are enforced', async (t) => {
  const { root } = makeRoot(t);
  const batch = await begin(root);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const pending = batch.writeFile(
    'slow',
    (async function* () {
      await gate;
      yield Buffer.from('x');
    })(),
  );
  await t.rejects(batch.mkdir('x'), { message: /is busy/ });
  await t.rejects(batch.abort(), { message: /is busy/ });
  release();
  await pending;
  const committed = await batch.commit();
  await t.rejects(batch.mkdir('y'), { message: /is committed/ });
  await t.rejects(batch.abort(), { message: /cannot be aborted/ });
  await committed.release();
});

t.test('an abort signal stops staging', async (t) => {
  const { root } = makeRoot(t);
  const controller = new AbortController();
  const batch = await begin(root, { signal: controller.signal });
  const stream = (async function* () {
    yield Buffer.from('a');
    controller.abort();
    yield Buffer.from('b');
  })();
  await t.rejects(batch.writeFile('f', stream), { name: 'AbortError' });
  await batch.abort();
  t.strictSame(snapshotTree(root), {});
});

t.test('beginBatch needs an existing directory', async (t) => {
  const { root } = makeRoot(t, { 'f.txt': 'x' });
  await t.rejects(begin(join(root, 'missing')), {
    code: 'LIVEPATCH_IO',
    constructor: ApplyIoError,
    path: '',
  });
  await t.rejects(begin(join(root, 'f.txt')), ApplyIoError);
});

t.test('file-system failures are reported with the path', async (t) => {
  const { root } = makeRoot(t, { d: {} });
  const batch = await begin(root);
  await batch.symlink('d/l', 'y');
  // The staged temp disappears (the app emptied the directory): the commit's rename fails.
  rmSync(join(root, 'd'), { recursive: true });
  mkdirSync(join(root, 'd'));
  const before = snapshotTree(root);
  const error = await batch.commit().catch((error: unknown) => error);
  t.match(error, { constructor: ApplyIoError, path: 'd/l', code: 'LIVEPATCH_IO' });
  t.match((error as Error).cause, { code: 'ENOENT' });
  t.strictSame(snapshotTree(root), before);
});

t.test('a directory renamed onto a file moves the file to its backup', async (t) => {
  const { root } = makeRoot(t, { dir: { 'a.txt': 'a' }, 'file.txt': 'f' });
  const before = snapshotTree(root);
  const batch = await begin(root);
  await batch.rename('dir', 'file.txt');
  const committed = await batch.commit();
  t.equal(readFileSync(join(root, 'file.txt/a.txt'), 'utf8'), 'a');
  await committed.undo();
  t.strictSame(snapshotTree(root), before);
});

t.test('without hard links, backups and the journal fall back to renames', async (t) => {
  const refuse = () =>
    Promise.reject(
      Object.assign(new Error('EPERM: operation not permitted, link'), {
        code: 'EPERM',
        syscall: 'link',
      }),
    );
  const mocked = await t.mockImport<typeof BatchModule>('../../src/apply/batch.js', {
    '../../src/apply/fs-sync.ts': { ...fsSync, link: refuse },
  });
  const { root } = makeRoot(t, { 'a.txt': 'a', link: t.fixture('symlink', 'a.txt') });
  const before = snapshotTree(root);
  const actions: unknown[] = [];
  const logger: ApplyLogger = {
    debug: (message, fields) => {
      if (message === 'apply') actions.push(fields?.action ?? '', fields?.method ?? '');
    },
    info: () => {},
    warn: () => {},
    error: () => {},
  };
  const batch = await mocked.beginBatch({ root, batchId: 'nolink', logger });
  await batch.writeFile('a.txt', ...file('A'));
  await batch.symlink('link', 'elsewhere');
  const committed = await batch.commit();
  t.strictSame(actions, [
    'backup',
    'link',
    'backup',
    'move',
    'place',
    '',
    'backup',
    'link',
    'backup',
    'move',
    'place',
    '',
  ]);
  t.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'A');
  t.equal(readlinkSync(join(root, 'link')), 'elsewhere');
  await committed.undo();
  t.strictSame(snapshotTree(root), before);
});
