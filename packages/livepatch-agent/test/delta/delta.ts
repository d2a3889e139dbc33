import t, { type Test } from 'tap';
import {
  DELTA_MAGIC,
  applyDelta,
  computeBasisHash,
  computeDelta,
  computeSignature,
  decodeDelta,
  encodeDelta,
  isAppend,
  type DeltaOp,
  type Signature,
} from '../../src/delta/index.js';
import { concat, seededRandom, type Random } from './helpers/random.js';

const invalidDelta = { name: 'InvalidDeltaError', code: 'LIVEPATCH_DELTA_INVALID' };

function literalBytes(ops: readonly DeltaOp[]): number {
  return ops.reduce((sum, op) => sum + (op.op === 'literal' ? op.data.length : 0), 0);
}

function describe(ops: readonly DeltaOp[]): string[] {
  return ops.map((op) =>
    op.op === 'copy' ? `copy ${op.offset}+${op.length}` : `literal ${op.data.length}`,
  );
}

/** Computes the delta, checks it rebuilds `target` through the binary format, returns the ops. */
function roundTrip(t: Test, basis: Uint8Array, target: Uint8Array, blockSize?: number): DeltaOp[] {
  const signature = computeSignature(basis, blockSize === undefined ? {} : { blockSize });
  const ops = computeDelta(signature, target);
  const decoded = decodeDelta(encodeDelta(ops), { basisSize: basis.length });
  t.strictSame(
    decoded,
    ops.map((op) => (op.op === 'copy' ? op : { op: 'literal', data: op.data })),
  );
  const rebuilt = applyDelta(basis, decoded);
  t.ok(Buffer.from(rebuilt).equals(target), 'rebuilds the target');
  return ops;
}

t.test('identical files are one copy', async (t) => {
  const basis = seededRandom(10).bytes(10_000);
  t.strictSame(describe(roundTrip(t, basis, basis)), ['copy 0+10000']);
  t.strictSame(describe(roundTrip(t, basis, basis, 64)), ['copy 0+10000']);
  const blocks = seededRandom(10).bytes(4096);
  t.strictSame(describe(roundTrip(t, blocks, blocks, 1024)), ['copy 0+4096']);
});

t.test('empty basis, empty target, and targets smaller than a block', async (t) => {
  const random = seededRandom(11);
  const some = random.bytes(500);
  t.strictSame(describe(roundTrip(t, new Uint8Array(0), some)), ['literal 500']);
  t.strictSame(describe(roundTrip(t, some, new Uint8Array(0))), []);
  t.strictSame(describe(roundTrip(t, new Uint8Array(0), new Uint8Array(0))), []);
  const basis = random.bytes(5000);
  t.strictSame(describe(roundTrip(t, basis, basis.subarray(100, 150))), ['literal 50']);
  // The basis' short last block (5000 = 7·700 + 100) is found at the end of a small target.
  t.strictSame(describe(roundTrip(t, basis, concat(Uint8Array.of(1, 2), basis.subarray(4900)))), [
    'literal 2',
    'copy 4900+100',
  ]);
  // A basis smaller than one block: its only block is short.
  const tiny = random.bytes(10);
  t.strictSame(describe(roundTrip(t, tiny, concat(random.bytes(3), tiny))), [
    'literal 3',
    'copy 0+10',
  ]);
  t.strictSame(describe(roundTrip(t, tiny, tiny.subarray(0, 9))), ['literal 9']);
});

t.test(
  'an insertion at the start is found by rolling: the shifted data still matches',
  async (t) => {
    const basis = seededRandom(12).bytes(200_000);
    const ops = roundTrip(t, basis, concat(Uint8Array.of(42), basis));
    t.strictSame(describe(ops), ['literal 1', 'copy 0+200000']);
  },
);

t.test('edits, inserts and deletes cost their size plus at most two blocks', async (t) => {
  const random = seededRandom(13);
  const basis = random.bytes(100_000);
  const blockSize = 512;
  const edited = basis.slice();
  edited.set(random.bytes(100), 50_000);
  t.ok(literalBytes(roundTrip(t, basis, edited, blockSize)) <= 2 * blockSize, 'edit');
  const inserted = concat(basis.subarray(0, 30_000), random.bytes(77), basis.subarray(30_000));
  t.ok(literalBytes(roundTrip(t, basis, inserted, blockSize)) <= 77 + 2 * blockSize, 'insert');
  const deleted = concat(basis.subarray(0, 30_000), basis.subarray(30_333));
  // The blocks around the cut are partly gone: what is left of them goes literal.
  t.ok(literalBytes(roundTrip(t, basis, deleted, blockSize)) <= 2 * blockSize - 333, 'delete');
  const appended = concat(basis, random.bytes(10));
  t.strictSame(describe(roundTrip(t, basis, appended, blockSize)), ['copy 0+100000', 'literal 10']);
  const truncated = basis.subarray(0, 99_000);
  t.ok(literalBytes(roundTrip(t, basis, truncated, blockSize)) < blockSize, 'truncate');
});

t.test('moved and repeated blocks become copies, backward ones included', async (t) => {
  const random = seededRandom(14);
  const a = random.bytes(4096);
  const b = random.bytes(4096);
  const c = random.bytes(4096);
  const ops = roundTrip(t, concat(a, b, c), concat(c, a, a, b), 1024);
  t.strictSame(describe(ops), ['copy 8192+4096', 'copy 0+4096', 'copy 0+8192']);
  // Runs of identical blocks follow the basis order, so they merge into one copy.
  const zeros = new Uint8Array(64 * 1024);
  t.strictSame(describe(roundTrip(t, zeros, zeros, 1024)), ['copy 0+65536']);
});

t.test('random edit sequences round-trip (seeded fuzz)', async (t) => {
  const random = seededRandom(15);
  const mutate = (bytes: Uint8Array, r: Random): Uint8Array => {
    let out = bytes;
    for (let edits = r.int(6); edits >= 0; edits -= 1) {
      const at = r.int(out.length + 1);
      const size = 1 + r.int(300);
      switch (r.int(4)) {
        case 0:
          out = concat(out.subarray(0, at), r.bytes(size), out.subarray(at));
          break;
        case 1:
          out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + size)));
          break;
        case 2:
          out = concat(
            out.subarray(0, at),
            r.bytes(size),
            out.subarray(Math.min(out.length, at + size)),
          );
          break;
        default: {
          const from = r.int(out.length + 1);
          out = concat(out.subarray(0, at), out.subarray(from, from + size), out.subarray(at));
        }
      }
    }
    return out;
  };
  let failures = 0;
  for (let round = 0; round < 150; round += 1) {
    const basis = random.bytes(random.int(20_000));
    const target = mutate(basis, random);
    const signature = computeSignature(basis, { blockSize: 1 + random.int(700) });
    const rebuilt = applyDelta(basis, decodeDelta(encodeDelta(computeDelta(signature, target))));
    if (!Buffer.from(rebuilt).equals(target)) failures += 1;
  }
  t.equal(failures, 0);
});

t.test('computeDelta rejects an inconsistent signature', async (t) => {
  const signature = computeSignature(seededRandom(16).bytes(3000), { blockSize: 1000 });
  const broken: Signature = { ...signature, blocks: signature.blocks.slice(1) };
  t.throws(() => computeDelta(broken, new Uint8Array(10)), {
    name: 'InvalidSignatureError',
    code: 'LIVEPATCH_SIGNATURE_INVALID',
  });
});

t.test('encodeDelta: header, varint ops, relative copy offsets', async (t) => {
  const data = Uint8Array.of(1, 2, 3);
  const encoded = encodeDelta([
    { op: 'copy', offset: 1000, length: 200 },
    { op: 'literal', data },
    { op: 'copy', offset: 1300, length: 10 },
    { op: 'copy', offset: 0, length: 1 },
    { op: 'literal', data: new Uint8Array(0) },
    { op: 'copy', offset: 5, length: 0 },
  ]);
  const view = new DataView(encoded.buffer);
  t.equal(view.getUint32(0), DELTA_MAGIC);
  t.equal(Buffer.from(encoded.subarray(0, 4)).toString('latin1'), 'LPDL');
  t.strictSame(
    [...encoded.subarray(4)],
    [
      1, // version
      214,
      1, // target size 214
      0xa1,
      0x06,
      0xe8,
      0x07, // copy forward: 200·4 + 1 = 801, then 1000 − 0 = 1000
      12,
      1,
      2,
      3, // literal: 3·4 + 0, then the bytes
      41,
      100, // copy forward: 10·4 + 1, then 1300 − 1200 = 100
      6,
      0x9e,
      0x0a, // copy backward: 1·4 + 2, then 1310 − 0 = 1310
    ],
  );
  t.strictSame(decodeDelta(encoded), [
    { op: 'copy', offset: 1000, length: 200 },
    { op: 'literal', data },
    { op: 'copy', offset: 1300, length: 10 },
    { op: 'copy', offset: 0, length: 1 },
  ]);
});

t.test('encodeDelta rejects ops no decoder could read', async (t) => {
  const bad: DeltaOp[] = [
    { op: 'copy', offset: -1, length: 1 },
    { op: 'copy', offset: 0.5, length: 1 },
    { op: 'copy', offset: 0, length: -1 },
    { op: 'copy', offset: 0, length: 2 ** 52 },
    { op: 'copy', offset: Number.MAX_SAFE_INTEGER, length: 1 },
  ];
  for (const op of bad) t.throws(() => encodeDelta([op]), invalidDelta, JSON.stringify(op));
});

t.test('decodeDelta rejects hostile or corrupt payloads with a typed error', async (t) => {
  const header = [0x4c, 0x50, 0x44, 0x4c, 1];
  const bytes = (...rest: number[]) => Uint8Array.from([...header, ...rest]);
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['shorter than the header', Uint8Array.of(0x4c, 0x50, 0x44, 0x4c)],
    ['bad magic', Uint8Array.of(0x72, 0x73, 0x02, 0x36, 1, 0)],
    ['unknown version', Uint8Array.of(0x4c, 0x50, 0x44, 0x4c, 2, 0)],
    ['no target size', bytes()],
    ['truncated varint', bytes(0x80)],
    ['varint over 8 bytes', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)],
    ['varint over 2^53', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
    ['zero-length op', bytes(1, 0)],
    ['op past the declared size', bytes(1, 8, 1, 2)],
    ['literal past the payload', bytes(2, 8, 1)],
    ['copy before the basis start', bytes(1, 6, 1)],
    ['copy end past 2^53', bytes(1, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f)],
    ['truncated copy offset', bytes(1, 5)],
    ['reserved kind 3', bytes(1, 7, 0)],
    ['fewer bytes than declared', bytes(2, 4, 9)],
  ];
  for (const [name, payload] of cases) t.throws(() => decodeDelta(payload), invalidDelta, name);
});

t.test('decodeDelta enforces maxSize before reading ops, and basisSize on copies', async (t) => {
  const payload = encodeDelta([{ op: 'copy', offset: 0, length: 1 << 20 }]);
  t.throws(() => decodeDelta(payload, { maxSize: 1000 }), {
    name: 'DeltaTooLargeError',
    code: 'LIVEPATCH_DELTA_TOO_LARGE',
    size: 1 << 20,
    maxSize: 1000,
  });
  // 1 TiB declared in 11 bytes: refused from the header alone.
  t.throws(
    () => decodeDelta(Uint8Array.of(0x4c, 0x50, 0x44, 0x4c, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20)),
    {
      name: 'DeltaTooLargeError',
    },
  );
  t.throws(() => decodeDelta(payload, { basisSize: 1000 }), {
    name: 'DeltaCopyOutOfRangeError',
    code: 'LIVEPATCH_DELTA_COPY_OUT_OF_RANGE',
    offset: 0,
    length: 1 << 20,
    basisSize: 1000,
  });
  t.equal(decodeDelta(payload, { basisSize: 1 << 20 }).length, 1);
});

t.test(
  'corrupted deltas either decode consistently or throw typed errors (seeded fuzz)',
  async (t) => {
    const random = seededRandom(17);
    const basis = random.bytes(5000);
    const target = concat(basis.subarray(2000), random.bytes(300), basis.subarray(0, 1500));
    const valid = encodeDelta(computeDelta(computeSignature(basis, { blockSize: 100 }), target));
    const untyped: unknown[] = [];
    for (let round = 0; round < 3000; round += 1) {
      const payload = valid.slice(
        0,
        valid.length - (round % 3 === 0 ? random.int(valid.length) : 0),
      );
      for (let flips = 1 + random.int(3); flips > 0; flips -= 1) {
        if (payload.length > 0) payload[random.int(payload.length)] = random.int(256);
      }
      try {
        const ops = decodeDelta(payload, { maxSize: 1 << 20, basisSize: basis.length });
        applyDelta(basis, ops, { maxSize: 1 << 20 });
      } catch (error) {
        if (!(
          error instanceof Error &&
          'code' in error &&
          String(error.code).startsWith('LIVEPATCH_')
        )) {
          untyped.push(error);
        }
      }
    }
    t.strictSame(untyped, []);
  },
);

t.test('isAppend: the target starts with the basis', async (t) => {
  const random = seededRandom(18);
  const basis = random.bytes(3000);
  const hash = computeBasisHash(basis);
  t.equal(isAppend(hash, basis.length, concat(basis, random.bytes(100))), true);
  t.equal(isAppend(hash, basis.length, basis), true, 'nothing appended');
  const edited = concat(basis, random.bytes(100));
  edited[10] = (edited[10] ?? 0) ^ 1;
  t.equal(isAppend(hash, basis.length, edited), false, 'prefix edited');
  t.equal(isAppend(hash, basis.length, basis.subarray(0, 2999)), false, 'shorter');
  t.equal(isAppend(hash, basis.length - 1, basis), false, 'wrong size');
  t.equal(isAppend(hash.subarray(0, 16), basis.length, basis), false, 'not a SHA-256');
  t.equal(isAppend(hash, -1, basis), false);
  t.equal(isAppend(hash, 1.5, basis), false);
  t.equal(isAppend(computeBasisHash(new Uint8Array(0)), 0, basis), true, 'empty basis');
});
