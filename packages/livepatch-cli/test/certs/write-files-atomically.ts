import * as fs from 'node:fs/promises';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { CertificatesExistError } from '../../src/certs/index.js';
import { writeFilesAtomically } from '../../src/certs/write-files-atomically.js';
import type * as WriteFilesAtomicallyModule from '../../src/certs/write-files-atomically.js';

const secret = { name: 'secret', contents: 'key', mode: 0o600 };
const open = { name: 'open', contents: 'cert', mode: 0o644 };

t.test('creates each file with its mode and leaves no temporary file', async (t) => {
  const dir = t.testdir();
  await writeFilesAtomically(dir, [secret, open]);
  t.strictSame((await readdir(dir)).sort(), ['open', 'secret']);
  t.equal(await readFile(join(dir, 'secret'), 'utf8'), 'key');
  t.equal((await stat(join(dir, 'secret'))).mode & 0o777, 0o600);
  t.equal((await stat(join(dir, 'open'))).mode & 0o777, 0o644 & ~process.umask());
});

t.test('a key is never on disk with a wider mode, not even as a temporary file', async (t) => {
  const opened: [string, string, number | undefined][] = [];
  const { writeFilesAtomically: mocked } = await t.mockImport<typeof WriteFilesAtomicallyModule>(
    '../../src/certs/write-files-atomically.js',
    {
      'node:fs/promises': {
        ...fs,
        open: (path: string, flags: string, mode?: number) => {
          opened.push([path, flags, mode]);
          return fs.open(path, flags, mode);
        },
      },
    },
  );
  const dir = t.testdir();
  await mocked(dir, [secret]);
  t.equal(opened.length, 1);
  t.match(
    opened[0],
    [/\/\.secret\.[0-9a-f]{12}\.tmp$/, 'wx', 0o600],
    'created exclusively with 0600',
  );
});

t.test('without overwrite, an existing file stops the run and undoes it', async (t) => {
  const dir = t.testdir({ open: 'theirs' });
  const error = await t.rejects(writeFilesAtomically(dir, [secret, open]), CertificatesExistError);
  t.strictSame((error as CertificatesExistError).paths, [join(dir, 'open')]);
  t.strictSame(await readdir(dir), ['open'], 'the published file was removed, temporaries too');
  t.equal(await readFile(join(dir, 'open'), 'utf8'), 'theirs');
});

t.test('with overwrite, existing files are replaced', async (t) => {
  const dir = t.testdir({ open: 'theirs' });
  await writeFilesAtomically(dir, [secret, open], { overwrite: true });
  t.equal(await readFile(join(dir, 'open'), 'utf8'), 'cert');
  t.strictSame((await readdir(dir)).sort(), ['open', 'secret']);
});

t.test('other errors pass through and leave nothing behind', async (t) => {
  const dir = t.testdir({ 'a-dir': {} });
  // Renaming a file onto a directory fails with EISDIR.
  await t.rejects(
    writeFilesAtomically(dir, [secret, { ...open, name: 'a-dir' }], { overwrite: true }),
    { code: 'EISDIR' },
  );
  t.strictSame(
    (await readdir(dir)).sort(),
    ['a-dir', 'secret'],
    'overwrite keeps what it replaced',
  );
  const missing = join(t.testdir(), 'missing');
  await t.rejects(writeFilesAtomically(missing, [secret]), { code: 'ENOENT' });
});

t.test('a file system without hard links fails without leaving files behind', async (t) => {
  const { writeFilesAtomically: mocked } = await t.mockImport<typeof WriteFilesAtomicallyModule>(
    '../../src/certs/write-files-atomically.js',
    {
      'node:fs/promises': {
        ...fs,
        link: () =>
          Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' })),
      },
    },
  );
  const dir = t.testdir();
  await t.rejects(mocked(dir, [secret, open]), { code: 'EPERM' });
  t.strictSame(await readdir(dir), []);
});
