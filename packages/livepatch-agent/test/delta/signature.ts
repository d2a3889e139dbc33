import { createHash } from 'node:crypto';
import t from 'tap';
import {
  DEFAULT_STRONG_LENGTH,
  MAX_BLOCK_SIZE,
  MIN_BLOCK_SIZE,
  RollingChecksum,
  SIGNATURE_MAGIC,
  chooseBlockSize,
  computeBasisHash,
  computeSignature,
  decodeSignature,
  encodeSignature,
  signatureSteps,
  validateSignature,
  type Signature,
} from '../../src/delta/index.js';
import { seededRandom } from './helpers/random.js';

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const invalidSignature = { name: 'InvalidSignatureError', code: 'LIVEPATCH_SIGNATURE_INVALID' };
const invalidOption = { name: 'InvalidDeltaOptionError', code: 'LIVEPATCH_DELTA_OPTION_INVALID' };

/** rsync's `sum_sizes_sqroot` (generator.c, protocol 30+), ported bit for bit. */
function rsyncBlockSize(len: number): number {
  if (len <= 700 * 700) return 700;
  let c = 1;
  for (let l = Math.floor(len / 4); l > 0; l = Math.floor(l / 4)) c *= 2;
  if (c >= MAX_BLOCK_SIZE) return MAX_BLOCK_SIZE;
  let blength = 0;
  do {
    blength |= c;
    if (len < blength * blength) blength &= ~c;
    c >>= 1;
  } while (c >= 8);
  return Math.max(blength, 700);
}

t.test(
  'chooseBlockSize matches rsync: ~√size, multiple of 8, clamped to 700..128 KiB',
  async (t) => {
    t.equal(chooseBlockSize(0), MIN_BLOCK_SIZE);
    t.equal(chooseBlockSize(700 * 700), 700);
    t.equal(chooseBlockSize(1_000_000), 1000);
    t.equal(chooseBlockSize(100 * 1024 * 1024), 10240);
    t.equal(chooseBlockSize(2 ** 34), MAX_BLOCK_SIZE);
    t.equal(chooseBlockSize(2 ** 40), MAX_BLOCK_SIZE);
    t.equal(chooseBlockSize(Number.NaN), MIN_BLOCK_SIZE);
    const random = seededRandom(2);
    const sizes = [490_001, 1023 * 1023, 1024 * 1024 - 1, 2 ** 34 - 1, 2 ** 33 + 12345];
    for (let i = 0; i < 2000; i += 1) sizes.push(Math.floor(2 ** (random.next() * 36)));
    for (let side = 700; side < 140_000; side += 97) sizes.push(side * side - 1, side * side);
    const wrong = sizes.filter((size) => chooseBlockSize(size) !== rsyncBlockSize(size));
    t.strictSame(wrong, []);
  },
);

t.test('computeSignature describes every block, the last one short', async (t) => {
  const bytes = seededRandom(3).bytes(1000);
  const signature = computeSignature(bytes, { blockSize: 300 });
  t.equal(signature.blockSize, 300);
  t.equal(signature.fileSize, 1000);
  t.equal(signature.strongLength, DEFAULT_STRONG_LENGTH);
  t.strictSame(signature.basisHash, sha256(bytes));
  t.equal(signature.blocks.length, 4);
  for (const [k, block] of signature.blocks.entries()) {
    const part = bytes.subarray(k * 300, Math.min(1000, k * 300 + 300));
    t.equal(block.weakSum, new RollingChecksum(part).value);
    t.strictSame(block.strongSum, sha256(part).subarray(0, 16));
  }
});

t.test('computeSignature defaults and options', async (t) => {
  const bytes = seededRandom(4).bytes(5000);
  const signature = computeSignature(bytes);
  t.equal(signature.blockSize, 700);
  t.equal(signature.blocks.length, 8);
  const hash = new Uint8Array(32).fill(7);
  const custom = computeSignature(bytes, { blockSize: 1, strongLength: 32, basisHash: hash });
  t.equal(custom.blocks.length, 5000);
  t.equal(custom.blocks[0]?.strongSum.length, 32);
  t.equal(custom.basisHash, hash, 'a given basis hash is trusted, not recomputed');
  t.strictSame(computeSignature(new Uint8Array(0)).blocks, []);
  t.strictSame(computeBasisHash(bytes), sha256(bytes));
});

t.test('computeSignature rejects out-of-range options', async (t) => {
  const bytes = new Uint8Array(10);
  for (const blockSize of [0, -1, 1.5, MAX_BLOCK_SIZE + 1, Number.NaN]) {
    t.throws(() => computeSignature(bytes, { blockSize }), invalidOption, `blockSize ${blockSize}`);
  }
  for (const strongLength of [0, 33]) {
    t.throws(() => computeSignature(bytes, { strongLength }), invalidOption);
  }
  t.throws(() => computeSignature(bytes, { basisHash: new Uint8Array(16) }), invalidOption);
});

t.test('encodeSignature lays out a big-endian header then the blocks', async (t) => {
  const bytes = seededRandom(5).bytes(2 ** 12 + 3);
  const signature = computeSignature(bytes, { blockSize: 1024, strongLength: 8 });
  const encoded = encodeSignature(signature);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  t.equal(encoded.length, 50 + 5 * (4 + 8));
  t.equal(view.getUint32(0), SIGNATURE_MAGIC);
  t.equal(Buffer.from(encoded.subarray(0, 4)).toString('latin1'), 'LPSG');
  t.equal(encoded[4], 1);
  t.equal(encoded[5], 8);
  t.equal(view.getUint32(6), 1024);
  t.equal(view.getUint32(10) * 2 ** 32 + view.getUint32(14), 4099);
  t.strictSame(encoded.subarray(18, 50), signature.basisHash);
  t.equal(view.getUint32(50), signature.blocks[0]?.weakSum);
  t.strictSame(encoded.subarray(54, 62), signature.blocks[0]?.strongSum);
});

t.test('signatures round-trip through the binary format', async (t) => {
  const random = seededRandom(6);
  for (const [size, blockSize, strongLength] of [
    [0, 700, 16],
    [1, 700, 16],
    [2048, 1024, 16],
    [5000, 700, 1],
    [33_333, 64, 32],
  ] as const) {
    const signature = computeSignature(random.bytes(size), { blockSize, strongLength });
    const encoded = encodeSignature(signature);
    const decoded = decodeSignature(encoded);
    t.strictSame(decoded, signature, `size ${size}`);
    encoded.fill(0, 18);
    t.notSame(decoded.basisHash, encoded.subarray(18, 50), 'the result does not alias its input');
  }
  // A view into a larger buffer, as a gRPC message field usually is.
  const signature = computeSignature(random.bytes(3000), { blockSize: 1000 });
  const encoded = encodeSignature(signature);
  const framed = new Uint8Array(encoded.length + 7);
  framed.set(encoded, 3);
  t.strictSame(decodeSignature(framed.subarray(3, 3 + encoded.length)), signature);
});

t.test('decodeSignature rejects hostile or corrupt input with a typed error', async (t) => {
  const valid = encodeSignature(computeSignature(seededRandom(7).bytes(3000), { blockSize: 1000 }));
  const patched = (at: number, write: (view: DataView) => void) => {
    const copy = valid.slice();
    write(new DataView(copy.buffer));
    return { at, copy };
  };
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['shorter than the header', valid.subarray(0, 49)],
    ['bad magic', patched(0, (v) => v.setUint32(0, 0x72730137)).copy],
    ['unknown version', patched(4, (v) => v.setUint8(4, 2)).copy],
    ['strong length 0', patched(5, (v) => v.setUint8(5, 0)).copy],
    ['strong length 33', patched(5, (v) => v.setUint8(5, 33)).copy],
    ['block size 0', patched(6, (v) => v.setUint32(6, 0)).copy],
    ['block size over 128 KiB', patched(6, (v) => v.setUint32(6, MAX_BLOCK_SIZE + 1)).copy],
    ['file size over 2^53', patched(10, (v) => v.setUint32(10, 0x200000)).copy],
    ['file size claims 2^52 bytes', patched(10, (v) => v.setUint32(10, 0x100000)).copy],
    ['file size claims one more block', patched(14, (v) => v.setUint32(14, 3001)).copy],
    ['truncated block', valid.subarray(0, valid.length - 1)],
    ['trailing byte', Uint8Array.of(...valid, 0)],
    [
      'block size 1 with a huge file',
      patched(6, (v) => {
        v.setUint32(6, 1);
        v.setUint32(10, 0x1fffff);
      }).copy,
    ],
  ];
  for (const [name, bytes] of cases) t.throws(() => decodeSignature(bytes), invalidSignature, name);
});

t.test('validateSignature rejects inconsistent hand-built signatures', async (t) => {
  const good = computeSignature(seededRandom(8).bytes(2500), { blockSize: 1000 });
  t.doesNotThrow(() => validateSignature(good));
  const broken: [string, Signature][] = [
    ['missing block', { ...good, blocks: good.blocks.slice(1) }],
    ['wrong strong length', { ...good, strongLength: 8 }],
    [
      'weak sum not u32',
      { ...good, blocks: [{ ...good.blocks[0]!, weakSum: -1 }, ...good.blocks.slice(1)] },
    ],
    [
      'weak sum fractional',
      { ...good, blocks: [{ ...good.blocks[0]!, weakSum: 1.5 }, ...good.blocks.slice(1)] },
    ],
    ['short basis hash', { ...good, basisHash: new Uint8Array(31) }],
    ['negative file size', { ...good, fileSize: -1 }],
    ['fractional file size', { ...good, fileSize: 2.5 }],
    ['block size too big', { ...good, blockSize: 2 ** 31 }],
  ];
  for (const [name, signature] of broken) {
    t.throws(() => validateSignature(signature), invalidSignature, name);
    t.throws(() => encodeSignature(signature), invalidSignature, `${name} (encode)`);
  }
});

t.test(
  'signatureSteps yields about every stepBytes and returns what computeSignature gives',
  async (t) => {
    const bytes = seededRandom(7).bytes(100_000);
    const steps = signatureSteps(bytes, { blockSize: 1000 }, 10_000);
    let yields = 0;
    let step = steps.next();
    while (step.done !== true) {
      yields += 1;
      step = steps.next();
    }
    t.equal(yields, 9, '100 blocks, 10 per step: a yield between steps');
    t.strictSame(step.value, computeSignature(bytes, { blockSize: 1000 }));
    t.throws(() => signatureSteps(bytes, { blockSize: 0 }).next(), {
      name: 'InvalidDeltaOptionError',
    });
  },
);
