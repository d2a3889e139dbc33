import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { BasisStore } from '../../src/sync/basis-store.js';

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const packs = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.lpk'));

t.test(
  'one pack per batch; a later store finds small contents whole, large ones by signature',
  async (t) => {
    const dir = t.testdir({});
    const small = Buffer.from('const value = 1;\n'.repeat(100));
    const large = randomBytes(300 * 1024);
    const tiny = Buffer.from('x');
    await new BasisStore({ dir }).putAll(
      new Map([
        [hex(small), small],
        [hex(large), large],
        [hex(tiny), tiny],
      ]),
    );
    t.equal(packs(dir).length, 1, 'one file for the whole batch');
    const later = new BasisStore({ dir });
    const foundSmall = await later.get(hex(small));
    t.same(foundSmall?.basis, small, 'a small content is kept whole');
    t.equal(foundSmall?.signature.fileSize, small.length, 'its signature is computed from it');
    const foundLarge = await later.get(hex(large));
    t.equal(foundLarge?.basis, undefined, 'a large content is kept as its signature only');
    t.equal(Buffer.from(foundLarge?.signature.basisHash ?? []).toString('hex'), hex(large));
    t.equal(
      await later.get(hex(tiny)),
      undefined,
      'contents under 1 KiB are not worth remembering',
    );
  },
);

t.test('a damaged pack is a miss, never a wrong basis', async (t) => {
  const dir = t.testdir({});
  const content = Buffer.from('hello world\n'.repeat(200));
  await new BasisStore({ dir }).putAll(new Map([[hex(content), content]]));
  const [pack = ''] = packs(dir);
  const bytes = readFileSync(join(dir, pack));
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
  writeFileSync(join(dir, pack), bytes);
  t.equal(await new BasisStore({ dir }).get(hex(content)), undefined);
  writeFileSync(join(dir, pack), bytes.subarray(0, 20));
  t.equal(await new BasisStore({ dir }).get(hex(content)), undefined, 'a truncated index');
  writeFileSync(join(dir, pack), 'not a pack');
  t.equal(await new BasisStore({ dir }).get(hex(content)), undefined, 'a foreign file');
});

t.test('packs beyond the size bound are removed oldest first', async (t) => {
  const dir = t.testdir({});
  const contents = [1, 2, 3].map((seed) => Buffer.alloc(4096, seed));
  for (const content of contents) {
    await new BasisStore({ dir, maxStoreBytes: 10_000 }).putAll(new Map([[hex(content), content]]));
    await sleep(3); // pack names order by the millisecond they were written
  }
  t.equal(packs(dir).length, 2, 'the oldest pack went');
  const store = new BasisStore({ dir });
  t.equal(await store.get(hex(contents[0] ?? Buffer.alloc(0))), undefined);
  t.ok(await store.get(hex(contents[2] ?? Buffer.alloc(0))));
});

t.test('without a directory the store keeps contents in memory only', async (t) => {
  const store = new BasisStore();
  const content = Buffer.alloc(2048, 9);
  await store.putAll(new Map([[hex(content), content]]));
  t.same((await store.get(hex(content)))?.basis, content);
});
