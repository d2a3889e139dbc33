import {
  chmodSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { InvalidTreePathError, TreeRootNotFoundError } from '../../src/tree/errors.js';
import { HashCache } from '../../src/tree/hash-cache.js';
import { createIgnoreMatcher } from '../../src/tree/ignore-rules.js';
import { scanTree } from '../../src/tree/scan-tree.js';
import type { TreeSnapshot } from '../../src/tree/scan-tree.js';
import { updateTree } from '../../src/tree/update-tree.js';
import { changedDirectories, plain } from './helpers/trees.js';

const BASE = {
  'top.txt': 'top',
  a: {
    'x.txt': 'x',
    link: t.fixture('symlink', 'x.txt'),
    b: { 'run.sh': '#!/bin/sh\n', c: { 'file.txt': 'hello' }, empty: {} },
  },
  other: { 'y.txt': 'y' },
};

t.test('after each change, updateTree on the changed paths equals a fresh scan', async (t) => {
  const root = t.testdir(BASE);
  const ignore = createIgnoreMatcher();
  const hashCache = new HashCache();
  let snapshot = await scanTree(root, { ignore, hashCache });
  const steps: Array<[string, () => void, string[]]> = [
    ['edit a file', () => writeFileSync(join(root, 'a/b/c/file.txt'), 'HELLO'), ['a/b/c/file.txt']],
    ['add a file', () => writeFileSync(join(root, 'a/new.txt'), 'new'), ['a/new.txt']],
    [
      'add a file in new directories (only the file reported)',
      () => {
        mkdirSync(join(root, 'n1/n2/n3'), { recursive: true });
        writeFileSync(join(root, 'n1/n2/n3/f.txt'), 'f');
        writeFileSync(join(root, 'n1/g.txt'), 'g');
      },
      ['n1/n2/n3/f.txt'],
    ],
    ['delete a file', () => unlinkSync(join(root, 'top.txt')), ['top.txt']],
    ['delete a directory', () => rmSync(join(root, 'a/b'), { recursive: true }), ['a/b']],
    ['rename a directory', () => renameSync(join(root, 'n1'), join(root, 'm1')), ['n1', 'm1']],
    [
      'replace a file by a directory',
      () => {
        unlinkSync(join(root, 'other/y.txt'));
        mkdirSync(join(root, 'other/y.txt'));
        writeFileSync(join(root, 'other/y.txt/z'), 'z');
      },
      ['other/y.txt'],
    ],
    [
      'replace a directory by a symlink',
      () => {
        rmSync(join(root, 'm1'), { recursive: true });
        symlinkSync('other', join(root, 'm1'));
      },
      ['m1'],
    ],
    ['set the exec bit', () => chmodSync(join(root, 'a/x.txt'), 0o755), ['a/x.txt']],
    [
      'retarget a symlink',
      () => (unlinkSync(join(root, 'a/link')), symlinkSync('new.txt', join(root, 'a/link'))),
      ['a/link'],
    ],
    ['add an empty directory', () => mkdirSync(join(root, 'e')), ['e']],
    [
      'list the root again after unreported changes',
      () => {
        writeFileSync(join(root, 'silent.txt'), 's');
        rmSync(join(root, 'e'), { recursive: true });
      },
      [''],
    ],
    [
      'list a directory again',
      () => {
        writeFileSync(join(root, 'other/late.txt'), 'late');
        unlinkSync(join(root, 'other/y.txt/z'));
      },
      ['other', 'other/y.txt'],
    ],
    [
      'ignored paths change nothing',
      () => {
        mkdirSync(join(root, 'node_modules/pkg'), { recursive: true });
        writeFileSync(join(root, 'node_modules/pkg/index.js'), '');
        writeFileSync(join(root, 'a/.x.txt.swp'), '');
      },
      ['node_modules', 'node_modules/pkg/index.js', 'a/.x.txt.swp'],
    ],
    ['paths that never existed change nothing', () => undefined, ['ghost/a/b', 'a/ghost']],
    [
      'a file in a directory deleted in the same batch',
      () => rmSync(join(root, 'other'), { recursive: true }),
      ['other/late.txt', 'other', 'other/y.txt'],
    ],
  ];
  for (const [name, change, paths] of steps) {
    const before = plain(snapshot);
    change();
    const updated = await updateTree(snapshot, paths, { ignore, hashCache });
    const fresh = await scanTree(root, { ignore });
    t.strictSame(plain(updated), plain(fresh), name);
    t.strictSame(plain(snapshot), before, `${name}: the previous snapshot is unchanged`);
    snapshot = updated;
  }
});

t.test(
  'only the changed directory and its ancestors are rehashed; the rest is shared',
  async (t) => {
    const root = t.testdir(BASE);
    const before = await scanTree(root);
    writeFileSync(join(root, 'a/b/c/file.txt'), 'HELLO');
    const after = await updateTree(before, ['a/b/c/file.txt']);
    t.strictSame(changedDirectories(before, after), ['', 'a', 'a/b', 'a/b/c']);
    t.equal(after.directories.get('other'), before.directories.get('other'), 'same node object');
    t.equal(after.directories.get('a/b/empty'), before.directories.get('a/b/empty'));
    t.equal(await updateTree(after, []), after, 'no paths, same snapshot');
  },
);

t.test('fullModes is the snapshot’s: a directory’s mode is read again', async (t) => {
  const root = t.testdir(BASE);
  const before = await scanTree(root, { fullModes: true });
  chmodSync(join(root, 'a/b'), 0o700);
  const after = await updateTree(before, ['a/b']);
  t.strictSame(plain(after), plain(await scanTree(root, { fullModes: true })));
  t.strictSame(changedDirectories(before, after), ['', 'a']);
});

t.test('invalid paths and a missing root are refused', async (t) => {
  const root = t.testdir(BASE);
  const snapshot: TreeSnapshot = await scanTree(root);
  await t.rejects(updateTree(snapshot, ['../x']), InvalidTreePathError);
  await t.rejects(updateTree(snapshot, ['/abs']), InvalidTreePathError);
  await t.rejects(updateTree(snapshot, ['a//b']), InvalidTreePathError);
  t.equal(
    await updateTree(snapshot, ['back\\slash', 'a/not-utf8-\uFFFD']),
    snapshot,
    'names no tree holds are skipped',
  );
  rmSync(root, { recursive: true });
  await t.rejects(updateTree(snapshot, ['']), TreeRootNotFoundError);
});
