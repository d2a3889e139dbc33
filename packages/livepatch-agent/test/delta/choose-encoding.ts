import t, { type Test } from 'tap';
import {
  DEFAULT_MIN_DELTA_SIZE,
  applyDelta,
  chooseEncoding,
  computeBasisHash,
  computeSignature,
  decodeDelta,
  type ChooseEncodingResult,
} from '../../src/delta/index.js';
import { concat, seededRandom } from './helpers/random.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What the agent does with each encoding: the basis hash check, then whole / append / patch. */
function receive(
  t: Test,
  basis: Uint8Array,
  target: Uint8Array,
  result: ChooseEncodingResult,
): void {
  let rebuilt: Uint8Array;
  if (result.encoding === 'whole') {
    rebuilt = result.payload;
  } else {
    t.strictSame(result.basisHash, computeBasisHash(basis), 'sent with the basis hash');
    rebuilt =
      result.encoding === 'append'
        ? concat(basis, result.payload)
        : applyDelta(basis, decodeDelta(result.payload, { basisSize: basis.length }));
  }
  t.ok(Buffer.from(rebuilt).equals(target), `the receiver rebuilds the target (${result.method})`);
}

const text = (count: number) =>
  Array.from({ length: count }, (_, i) => `export const value${i} = compute(${i}, 'item');\n`).join(
    '',
  );

t.test('whole without a signature, for small files, and for an empty basis', async (t) => {
  const random = seededRandom(40);
  const target = random.bytes(10_000);
  t.match(chooseEncoding(target), {
    encoding: 'whole',
    method: 'whole',
    payload: target,
    sizes: { whole: 10_000 },
  });
  const small = random.bytes(DEFAULT_MIN_DELTA_SIZE - 1);
  t.match(chooseEncoding(small, { signature: computeSignature(small.subarray(1)) }), {
    encoding: 'whole',
  });
  t.match(chooseEncoding(target, { signature: computeSignature(new Uint8Array(0)) }), {
    encoding: 'whole',
  });
  // Unchanged content (which the sender normally skips) is a one-copy delta.
  const same = chooseEncoding(small, { signature: computeSignature(small), minDeltaSize: 0 });
  t.match(same, { encoding: 'delta', method: 'rsync' });
  t.ok(same.payload.length < 20);
  receive(t, small, small, same);
});

t.test('append-only growth sends only the tail', async (t) => {
  const random = seededRandom(41);
  const basis = random.bytes(300_000);
  const tail = random.bytes(100);
  const target = concat(basis, tail);
  const signature = computeSignature(basis);
  const result = chooseEncoding(target, { signature });
  t.match(result, { encoding: 'append', method: 'append', sizes: { whole: 300_100, append: 100 } });
  t.strictSame(result.payload, tail);
  t.strictSame(result.encoding === 'whole' ? undefined : result.basisHash, signature.basisHash);
  receive(t, basis, target, result);
});

t.test('an edit plus growth is a delta, not an append', async (t) => {
  const random = seededRandom(42);
  const basis = random.bytes(300_000);
  // The last block is intact (so the cheap pre-check passes) but the start changed.
  const startEdited = concat(Uint8Array.of(1), basis.subarray(1), random.bytes(100));
  const result = chooseEncoding(startEdited, { signature: computeSignature(basis) });
  t.match(result, { encoding: 'delta', method: 'rsync' });
  t.ok(result.payload.length < 2000);
  receive(t, basis, startEdited, result);
  // The last block changed: rejected without hashing the prefix.
  const endEdited = concat(basis.subarray(0, -1), Uint8Array.of(1), random.bytes(100));
  const end = chooseEncoding(endEdited, { signature: computeSignature(basis) });
  t.match(end, { encoding: 'delta', method: 'rsync' });
  receive(t, basis, endEdited, end);
});

t.test('an rsync delta for binary edits', async (t) => {
  const random = seededRandom(43);
  const basis = random.bytes(1_000_000);
  const target = basis.slice();
  target.set(random.bytes(4096), 500_000);
  const result = chooseEncoding(target, { signature: computeSignature(basis) });
  t.match(result, { encoding: 'delta', method: 'rsync' });
  t.ok(result.payload.length < 4096 + 2 * 1000 + 50, `payload ${result.payload.length} bytes`);
  receive(t, basis, target, result);
});

t.test('whole when nothing matches (whole wins ties and near-ties)', async (t) => {
  const random = seededRandom(44);
  const basis = random.bytes(50_000);
  const target = random.bytes(50_000);
  const result = chooseEncoding(target, { signature: computeSignature(basis), basis });
  t.match(result, { encoding: 'whole', sizes: { whole: 50_000 } });
  t.ok((result.sizes.rsync ?? 0) > 50_000);
  t.equal(result.sizes.text, undefined, 'random bytes are not UTF-8');
});

t.test('a text delta when the cached basis is given', async (t) => {
  const basis = utf8(text(2000));
  const target = utf8(text(2000).replace('value1000 =', 'renamed1000 ='));
  const signature = computeSignature(basis);
  const result = chooseEncoding(target, { signature, basis });
  t.match(result, { encoding: 'delta', method: 'text' });
  t.ok(result.payload.length < 40, `payload ${result.payload.length} bytes`);
  t.ok((result.sizes.rsync ?? 0) > 10 * result.payload.length, JSON.stringify(result.sizes));
  receive(t, basis, target, result);
  t.match(chooseEncoding(target, { signature, basis, textDiffBudget: 0 }), { method: 'text' });
});

t.test('the cached basis is ignored when stale, too large, or absent', async (t) => {
  const basis = utf8(text(2000));
  const target = utf8(text(2000).replace('value1000 =', 'renamed1000 ='));
  const signature = computeSignature(basis);
  const stale = basis.slice();
  stale[0] = 0x20;
  for (const [name, options] of [
    ['stale', { signature, basis: stale }],
    ['other size', { signature, basis: basis.subarray(1) }],
    ['too large', { signature, basis, maxTextSize: basis.length - 1 }],
    ['target too large', { signature, basis, maxTextSize: target.length - 1 }],
    ['absent', { signature }],
  ] as const) {
    const result = chooseEncoding(target, options);
    t.match(result, { method: 'rsync' }, name);
    t.equal(result.sizes.text, undefined, name);
  }
});

t.test('rejects an invalid signature', async (t) => {
  const target = seededRandom(45).bytes(5000);
  const invalid = { name: 'InvalidSignatureError', code: 'LIVEPATCH_SIGNATURE_INVALID' };
  const good = computeSignature(target.subarray(0, 4000));
  t.throws(() => chooseEncoding(target, { signature: { ...good, blocks: [] } }), invalid);
  const blocks = [...good.blocks];
  blocks[blocks.length - 1] = { weakSum: 0, strongSum: new Uint8Array(3) };
  t.throws(() => chooseEncoding(target, { signature: { ...good, blocks } }), invalid);
});

t.test('rejects negative thresholds', async (t) => {
  const invalid = { name: 'InvalidDeltaOptionError', code: 'LIVEPATCH_DELTA_OPTION_INVALID' };
  t.throws(() => chooseEncoding(new Uint8Array(1), { minDeltaSize: -1 }), invalid);
  t.throws(() => chooseEncoding(new Uint8Array(1), { maxTextSize: Number.NaN }), invalid);
});
