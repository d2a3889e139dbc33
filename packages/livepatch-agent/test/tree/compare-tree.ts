import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  answerTreeQuery,
  compareDirectory,
  descendTree,
  fromWireEntry,
  isEmptyDiff,
  toListing,
  toWireEntry,
} from '../../src/tree/compare-tree.js';
import type { DirectoryDiff, TreeQuery } from '../../src/tree/compare-tree.js';
import { InvalidTreeListingError, InvalidTreePathError } from '../../src/tree/errors.js';
import { hashSymlinkTarget } from '../../src/tree/hash-tree.js';
import type { TreeEntry } from '../../src/tree/hash-tree.js';
import { createDirectoryNode, scanTree } from '../../src/tree/scan-tree.js';
import type { DirectoryListing__Output } from '../../src/protocol/index.js';
import { loadLivePatchProtocol } from '../../src/protocol/index.js';

const sha256 = (data: string) => createHash('sha256').update(data).digest();
const file = (name: string, content: string, mode = 0o644): TreeEntry => ({
  name,
  type: 'file',
  mode,
  size: Buffer.byteLength(content),
  hash: sha256(content),
});
const dir = (name: string, entries: TreeEntry[], mode = 0o755): TreeEntry => ({
  name,
  type: 'directory',
  mode,
  size: 0,
  hash: createDirectoryNode('', entries).hash,
});
const link = (name: string, target: string): TreeEntry => ({
  name,
  type: 'symlink',
  mode: 0o777,
  size: 0,
  hash: hashSymlinkTarget(target),
  target,
});

t.test('entries and listings take the proto’s shape and survive serialization', async (t) => {
  const node = createDirectoryNode('src', [file('a.ts', 'a'), link('l', '../x'), dir('d', [])]);
  const listing = toListing(node);
  t.strictSame(listing, {
    path: 'src',
    hash: node.hash,
    same: false,
    exists: true,
    entries: [
      {
        name: 'a.ts',
        type: 'ENTRY_TYPE_FILE',
        mode: 0o644,
        size: 1,
        hash: sha256('a'),
        target: '',
      },
      {
        name: 'd',
        type: 'ENTRY_TYPE_DIRECTORY',
        mode: 0o755,
        size: 0,
        hash: createDirectoryNode('', []).hash,
        target: '',
      },
      {
        name: 'l',
        type: 'ENTRY_TYPE_SYMLINK',
        mode: 0o777,
        size: 0,
        hash: hashSymlinkTarget('../x'),
        target: '../x',
      },
    ],
  });
  const { responseSerialize, responseDeserialize } =
    loadLivePatchProtocol().livepatch.v1.LivePatch.service.GetTree;
  const decoded = responseDeserialize(responseSerialize({ directories: [listing] }));
  t.strictSame(decoded.directories[0], listing, 'a GetTree response round-trips');
  t.strictSame(
    listing.entries.map((entry) => fromWireEntry('src', entry)),
    node.entries,
    'and back to tree entries',
  );
  t.strictSame(toWireEntry(file('x', '')).target, '');
});

t.test('answerTreeQuery: same, differing, and missing directories', async (t) => {
  const root = t.testdir({ a: { 'x.txt': 'x' }, 'f.txt': 'f' });
  const snapshot = await scanTree(root);
  const a = snapshot.directories.get('a')!;
  const answers = answerTreeQuery(snapshot, [
    { path: '', hash: snapshot.rootHash },
    { path: 'a', hash: Buffer.alloc(32) },
    { path: 'f.txt', hash: Buffer.alloc(32) },
    { path: 'gone', hash: Buffer.alloc(32) },
  ]);
  t.strictSame(answers, [
    { path: '', hash: snapshot.rootHash, same: true, exists: true, entries: [] },
    toListing(a),
    { path: 'f.txt', hash: Buffer.alloc(0), same: false, exists: false, entries: [] },
    { path: 'gone', hash: Buffer.alloc(0), same: false, exists: false, entries: [] },
  ]);
  t.throws(
    () => answerTreeQuery(snapshot, [{ path: '../etc', hash: Buffer.alloc(32) }]),
    InvalidTreePathError,
  );
});

t.test('compareDirectory sorts entries into missing, extra, changed and descend', async (t) => {
  const sub = [file('s', 's')];
  const local = createDirectoryNode('p', [
    file('same', '1'),
    file('content', 'new'),
    file('exec', 'e', 0o755),
    file('local-only', 'l'),
    dir('sub', sub),
    dir('same-dir', []),
    dir('mode-dir', [], 0o700),
    link('retarget', 'b'),
    file('was-dir', 'w'),
  ]);
  const remote = toListing(
    createDirectoryNode('p', [
      file('same', '1'),
      file('content', 'old'),
      file('exec', 'e'),
      file('remote-only', 'r'),
      dir('sub', [file('s', 'S')]),
      dir('same-dir', []),
      dir('mode-dir', [], 0o755),
      link('retarget', 'a'),
      dir('was-dir', []),
    ]),
  );
  const diff = compareDirectory(local, remote);
  t.equal(diff.path, 'p');
  t.equal(diff.remoteExists, true);
  t.strictSame(
    diff.missing.map((entry) => entry.name),
    ['local-only'],
  );
  t.strictSame(
    diff.extra.map((entry) => entry.name),
    ['remote-only'],
  );
  t.strictSame(
    diff.changed.map(({ path, fields }) => [path, fields]),
    [
      ['p/content', ['hash']],
      ['p/exec', ['mode']],
      ['p/mode-dir', ['mode']],
      ['p/retarget', ['hash']],
      ['p/was-dir', ['type', 'mode', 'size', 'hash']],
    ],
  );
  t.strictSame(diff.descend, [{ path: 'p/sub', hash: createDirectoryNode('', sub).hash }]);
  t.notOk(isEmptyDiff(diff));
});

t.test(
  'compareDirectory: a same listing is empty; a missing directory lacks everything',
  async (t) => {
    const local = createDirectoryNode('', [file('a', 'a'), dir('d', [])]);
    const same = compareDirectory(local, { ...toListing(local), same: true, entries: [] });
    t.ok(isEmptyDiff(same));
    const absent = compareDirectory(local, {
      path: '',
      hash: Buffer.alloc(0),
      same: false,
      exists: false,
      entries: [],
    });
    t.equal(absent.remoteExists, false);
    t.strictSame(absent.missing, local.entries);
    t.strictSame(absent.descend, []);
    const localMissing = compareDirectory(undefined, toListing(local));
    t.strictSame(localMissing.extra, local.entries);
  },
);

t.test('malformed listings are refused', async (t) => {
  const local = createDirectoryNode('d', []);
  const listing = (entries: DirectoryListing__Output['entries'], path = 'd') => ({
    path,
    hash: Buffer.alloc(32),
    same: false,
    exists: true,
    entries,
  });
  const good = toWireEntry(file('a', 'a'));
  const cases: Array<[string, DirectoryListing__Output]> = [
    ['other path', listing([], 'e')],
    ['dot-dot name', listing([{ ...good, name: '..' }])],
    ['slash in name', listing([{ ...good, name: 'a/b' }])],
    ['unspecified type', listing([{ ...good, type: 'ENTRY_TYPE_UNSPECIFIED' }])],
    ['short hash', listing([{ ...good, hash: Buffer.alloc(4) }])],
    ['duplicate', listing([good, good])],
  ];
  for (const [name, remote] of cases) {
    t.throws(() => compareDirectory(local, remote), InvalidTreeListingError, name);
  }
});

/** A query function answering from `snapshot`, recording each round's paths. */
function remoteOf(snapshot: Awaited<ReturnType<typeof scanTree>>) {
  const rounds: string[][] = [];
  const query = async (directories: TreeQuery[]) => {
    rounds.push(directories.map(({ path }) => path));
    return answerTreeQuery(snapshot, directories);
  };
  return { rounds, query };
}

/** A diff as plain names, for `t.strictSame`. */
function summary(diffs: DirectoryDiff[]) {
  return diffs.map((diff) => ({
    path: diff.path,
    missing: diff.missing.map((entry) => entry.name),
    extra: diff.extra.map((entry) => entry.name),
    changed: diff.changed.map((change) => change.path),
    descend: diff.descend.map((query) => query.path),
  }));
}

t.test(
  'descendTree finds every difference between two trees, querying only what differs',
  async (t) => {
    const spec = {
      a: { b: { c: { 'deep.txt': 'deep' }, 'b.txt': 'b' }, 'a.txt': 'a' },
      big: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, `${i}`])),
      'top.txt': 'top',
    };
    const dir = t.testdir({ local: spec, remote: structuredClone(spec) });
    const [localRoot, remoteRoot] = [join(dir, 'local'), join(dir, 'remote')];
    const unchanged = remoteOf(await scanTree(remoteRoot));
    t.strictSame(await descendTree(await scanTree(localRoot), unchanged.query), []);
    t.strictSame(unchanged.rounds, [['']], 'an unchanged tree costs one query');

    writeFileSync(join(localRoot, 'a/b/c/deep.txt'), 'DEEP');
    chmodSync(join(localRoot, 'a/a.txt'), 0o755);
    mkdirSync(join(localRoot, 'new/inner'), { recursive: true });
    rmSync(join(remoteRoot, 'top.txt'));
    symlinkSync('a', join(remoteRoot, 'extra-link'));
    unlinkSync(join(localRoot, 'big/f3.txt'));
    const remote = remoteOf(await scanTree(remoteRoot));
    const diffs = await descendTree(await scanTree(localRoot), remote.query, { batchSize: 1 });
    t.strictSame(summary(diffs), [
      {
        path: '',
        missing: ['new', 'top.txt'],
        extra: ['extra-link'],
        changed: [],
        descend: ['a', 'big'],
      },
      { path: 'a', missing: [], extra: [], changed: ['a/a.txt'], descend: ['a/b'] },
      { path: 'big', missing: [], extra: ['f3.txt'], changed: [], descend: [] },
      { path: 'a/b', missing: [], extra: [], changed: [], descend: ['a/b/c'] },
      { path: 'a/b/c', missing: [], extra: [], changed: ['a/b/c/deep.txt'], descend: [] },
    ]);
    t.strictSame(remote.rounds, [[''], ['a'], ['big'], ['a/b'], ['a/b/c']], 'batches of one');
  },
);

t.test('descendTree refuses unanswered queries and stops when aborted', async (t) => {
  const local = await scanTree(t.testdir({ a: { x: '' } }));
  await t.rejects(
    descendTree(local, async () => []),
    { name: 'InvalidTreeListingError', path: '' },
  );
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await t.rejects(
    descendTree(local, async () => [], { signal: controller.signal }),
    { message: 'stop' },
  );
});
