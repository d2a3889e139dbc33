import t from 'tap';
import { RollingChecksum } from '../../src/delta/index.js';
import { seededRandom } from './helpers/random.js';

/** The definition, computed naively: a = Σx, b = Σ(len − i)x, both mod 2^16. */
function reference(bytes: Uint8Array, start: number, end: number): number {
  let a = 0;
  let b = 0;
  for (let i = start; i < end; i += 1) {
    a += bytes[i]!;
    b += (end - i) * bytes[i]!;
  }
  return (a % 65536) + 65536 * (b % 65536);
}

t.test('the value is a + 2^16·b over the window', async (t) => {
  const bytes = Uint8Array.of(1, 2, 3);
  // a = 6, b = 3·1 + 2·2 + 1·3 = 10
  t.equal(new RollingChecksum(bytes).value, 6 + 10 * 65536);
  t.equal(new RollingChecksum(bytes).length, 3);
  t.equal(new RollingChecksum(bytes, 1, 3).value, 5 + (2 * 2 + 3) * 65536);
});

t.test('an empty window sums to 0, and windows are clamped to the buffer', async (t) => {
  t.equal(new RollingChecksum().value, 0);
  t.equal(new RollingChecksum().length, 0);
  const bytes = Uint8Array.of(9, 8, 7);
  t.equal(new RollingChecksum(bytes, -5, 99).value, new RollingChecksum(bytes).value);
  t.equal(new RollingChecksum(bytes, 2, 1).length, 0);
});

t.test('sums wrap mod 2^16 like the definition', async (t) => {
  const bytes = new Uint8Array(70_000).fill(0xff);
  t.equal(new RollingChecksum(bytes).value, reference(bytes, 0, bytes.length));
  t.ok(new RollingChecksum(bytes).value <= 0xffffffff);
});

t.test('rolling equals a fresh computation at every offset (seeded property test)', async (t) => {
  const random = seededRandom(1);
  for (const window of [1, 2, 3, 7, 64, 700, 4099]) {
    // Low-entropy data too: long runs make a and b wrap in different ways.
    const data =
      window % 2 === 0
        ? random.bytes(window * 3 + 500)
        : Uint8Array.from(random.bytes(window * 3 + 500), (x) => (x < 200 ? 0xff : x));
    const sum = new RollingChecksum(data, 0, window);
    let mismatches = 0;
    for (let start = 0; ; start += 1) {
      if (sum.value !== reference(data, start, start + window)) mismatches += 1;
      if (sum.value !== new RollingChecksum(data, start, start + window).value) mismatches += 1;
      if (start + window >= data.length) break;
      sum.roll(data[start]!, data[start + window]!);
    }
    t.equal(mismatches, 0, `window ${window}`);
  }
});
