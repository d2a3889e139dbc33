import t from 'tap';
import { HashCache } from '../../src/tree/hash-cache.js';

const version = { dev: 1, ino: 2, size: 3, mtimeMs: 1000.5, ctimeMs: 1000.5 };
const hash = Buffer.alloc(32, 1);

t.test('a hash is returned only for the exact version it was stored for', async (t) => {
  const cache = new HashCache();
  t.equal(cache.set('/r/a', version, hash, 10_000), true);
  t.equal(cache.size, 1);
  t.equal(cache.get('/r/a', version), hash);
  t.equal(cache.get('/r/b', version), undefined);
  for (const key of ['dev', 'ino', 'size', 'mtimeMs', 'ctimeMs'] as const) {
    t.equal(cache.get('/r/a', { ...version, [key]: version[key] + 0.001 }), undefined, key);
  }
});

t.test('a file changed within the racy window is not cached', async (t) => {
  const cache = new HashCache({ racyWindowMs: 2000 });
  t.equal(cache.racyWindowMs, 2000);
  t.equal(cache.set('/r/a', version, hash, 3001), true, 'old enough');
  t.equal(
    cache.set('/r/a', { ...version, ctimeMs: 1500 }, hash, 3000.5),
    false,
    'ctime too recent',
  );
  t.equal(cache.get('/r/a', version), undefined, 'and the older entry is dropped');
  t.equal(cache.set('/r/a', { ...version, mtimeMs: 2000 }, hash, 3000), false, 'mtime too recent');
  t.equal(new HashCache().racyWindowMs, 2000, 'default');
});

t.test('delete, clear and prune forget hashes', async (t) => {
  const cache = new HashCache();
  for (const path of ['/r/a', '/r/b', '/r/c', '/other/a']) cache.set(path, version, hash, 10_000);
  t.equal(cache.delete('/r/c'), true);
  t.equal(cache.delete('/r/c'), false);
  cache.prune('/r/', new Set(['/r/a']));
  t.equal(cache.get('/r/a', version), hash);
  t.equal(cache.get('/r/b', version), undefined);
  t.equal(cache.get('/other/a', version), hash, 'other roots are kept');
  cache.clear();
  t.equal(cache.size, 0);
});

t.test('toJSON and fromJSON keep the hashes across runs, and skip damaged rows', async (t) => {
  const stats = { dev: 1, ino: 2, size: 3, mtimeMs: 1000.5, ctimeMs: 1000.5 };
  const cache = new HashCache();
  t.equal(cache.set('a.txt', stats, Buffer.alloc(32, 7), 10_000), true);
  const restored = HashCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));
  t.strictSame(restored.get('a.txt', stats), Buffer.alloc(32, 7));
  t.equal(restored.get('a.txt', { ...stats, size: 4 }), undefined, 'another version is a miss');
  const damaged = HashCache.fromJSON([['a.txt', 1, 2, 3, 4, 5, 'zz'], 'nope', ['b', 1]]);
  t.equal(damaged.size, 0);
  t.equal(HashCache.fromJSON({ not: 'rows' }).size, 0);
});
