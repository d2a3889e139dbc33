import { createHash, randomInt } from 'node:crypto';
import t from 'tap';
import { InternalError } from '@velocity/core';
import {
  compareNames,
  EMPTY_DIRECTORY_HASH,
  encodeDirectory,
  hashDirectory,
  hashSymlinkTarget,
  normalizeMode,
  sortEntries,
  TREE_ENTRY_TYPE_BYTES,
} from '../../src/tree/hash-tree.js';
import type { TreeEntry } from '../../src/tree/hash-tree.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

t.test('a directory encodes as length-prefixed name, type, mode, u64 size and hash', async (t) => {
  const file: TreeEntry = { name: 'a', type: 'file', mode: 0o644, size: 3, hash: sha256('abc') };
  const link: TreeEntry = {
    name: 'é',
    type: 'symlink',
    mode: 0o777,
    size: 0,
    hash: hashSymlinkTarget('../x'),
    target: '../x',
  };
  const big: TreeEntry = {
    name: 'big',
    type: 'file',
    mode: 0o755,
    size: 2 ** 40 + 5,
    hash: Buffer.alloc(32, 7),
  };
  const expected = Buffer.concat([
    // "a"
    Buffer.from([0, 0, 0, 1]),
    Buffer.from('a'),
    Buffer.from([1]),
    Buffer.from([0, 0, 0x01, 0xa4]),
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 3]),
    sha256('abc'),
    // "big"
    Buffer.from([0, 0, 0, 3]),
    Buffer.from('big'),
    Buffer.from([1]),
    Buffer.from([0, 0, 0x01, 0xed]),
    Buffer.from([0, 0, 0x01, 0, 0, 0, 0, 5]),
    Buffer.alloc(32, 7),
    // "é", two bytes of UTF-8
    Buffer.from([0, 0, 0, 2]),
    Buffer.from([0xc3, 0xa9]),
    Buffer.from([3]),
    Buffer.from([0, 0, 0x01, 0xff]),
    Buffer.alloc(8),
    sha256('../x'),
  ]);
  t.strictSame(
    encodeDirectory([link, big, file]),
    expected,
    'sorted by name whatever the input order',
  );
  t.strictSame(hashDirectory([file, link, big]), sha256(expected));
  t.strictSame(TREE_ENTRY_TYPE_BYTES, { file: 1, directory: 2, symlink: 3 });
});

t.test('a golden hash pins the encoding across versions and platforms', async (t) => {
  const entries: TreeEntry[] = [
    { name: 'src', type: 'directory', mode: 0o755, size: 0, hash: EMPTY_DIRECTORY_HASH },
    { name: 'run.sh', type: 'file', mode: 0o755, size: 0, hash: sha256('') },
  ];
  // Computed independently, with Python's hashlib and struct.pack('>I'...'>BIQ').
  t.equal(
    hashDirectory(entries).toString('hex'),
    '2a8234ff0adc3f6784c266c23dc4833b422e18cbefa83456b72c2861b768578e',
  );
  t.strictSame(
    encodeDirectory(entries).subarray(0, 23),
    Buffer.concat([
      Buffer.from('00000006', 'hex'),
      Buffer.from('run.sh'),
      Buffer.from('01000001ed0000000000000000', 'hex'),
    ]),
  );
});

t.test('an empty directory hashes as SHA-256 of no bytes', async (t) => {
  t.equal(encodeDirectory([]).length, 0);
  t.equal(
    EMPTY_DIRECTORY_HASH.toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

t.test('names sort in UTF-8 byte order, not UTF-16 order', async (t) => {
  const names = ['b', 'a', 'ab', '\uFF21', '\u{1F600}', 'B', '', '\u00E9'];
  const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  t.strictSame([...names].sort(compareNames), byBytes);
  t.ok(
    [...names].sort().indexOf('\uFF21') > [...names].sort().indexOf('\u{1F600}'),
    'UTF-16 differs',
  );
  const alphabet = [
    'a',
    'Z',
    '\u00E9',
    '\uD7FF',
    '\uE000',
    '\uFFFD',
    '\u{10000}',
    '\u{1F600}',
    '/',
  ];
  for (let round = 0; round < 500; round++) {
    const random = () =>
      Array.from({ length: randomInt(0, 4) }, () => alphabet[randomInt(alphabet.length)]).join('');
    const [x, y] = [random(), random()];
    t.equal(
      Math.sign(compareNames(x, y)),
      Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y))),
      `${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
    );
  }
  const entries = sortEntries([{ name: 'b' }, { name: 'a' }]);
  t.strictSame(entries, [{ name: 'a' }, { name: 'b' }]);
});

t.test(
  'modes: permission bits only, and only the owner-executable bit unless fullModes',
  async (t) => {
    t.equal(normalizeMode('file', 0o100644, false), 0o644);
    t.equal(normalizeMode('file', 0o100700, false), 0o755);
    t.equal(normalizeMode('file', 0o100611, false), 0o644, 'group/other exec bits do not count');
    t.equal(normalizeMode('file', 0o104755, true), 0o755, 'setuid dropped');
    t.equal(normalizeMode('file', 0o102640, true), 0o640, 'setgid dropped');
    t.equal(normalizeMode('directory', 0o41777, true), 0o777, 'sticky dropped');
    t.equal(normalizeMode('directory', 0o40700, false), 0o755);
    t.equal(normalizeMode('directory', 0o40700, true), 0o700);
    t.equal(normalizeMode('symlink', 0o120755, true), 0o777);
    t.equal(normalizeMode('symlink', 0o120755, false), 0o777);
  },
);

t.test('malformed entries are refused', async (t) => {
  const entry: TreeEntry = { name: 'a', type: 'file', mode: 0o644, size: 0, hash: sha256('') };
  t.throws(() => hashDirectory([entry, { ...entry }]), InternalError, 'duplicate name');
  t.throws(
    () => hashDirectory([{ ...entry, hash: Buffer.alloc(31) }]),
    InternalError,
    'short hash',
  );
});
