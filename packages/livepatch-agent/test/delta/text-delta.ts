import t, { type Test } from 'tap';
import {
  applyDelta,
  computeDelta,
  computeSignature,
  computeTextDelta,
  decodeDelta,
  encodeDelta,
  type DeltaOp,
} from '../../src/delta/index.js';
import { seededRandom } from './helpers/random.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

function literalBytes(ops: readonly DeltaOp[]): number {
  return ops.reduce((sum, op) => sum + (op.op === 'literal' ? op.data.length : 0), 0);
}

/** The text delta of basis → target, checked to rebuild target byte for byte through the binary format. */
function textRoundTrip(
  t: Test,
  basis: Uint8Array | string,
  target: Uint8Array | string,
  diffBudget?: number,
): DeltaOp[] {
  const from = typeof basis === 'string' ? utf8(basis) : basis;
  const to = typeof target === 'string' ? utf8(target) : target;
  const ops = computeTextDelta(from, to, diffBudget === undefined ? {} : { diffBudget });
  if (ops === undefined) throw new Error('expected a text delta');
  const rebuilt = applyDelta(from, decodeDelta(encodeDelta(ops), { basisSize: from.length }));
  t.ok(Buffer.from(rebuilt).equals(to), 'rebuilds the target');
  return ops;
}

const lines = (count: number, seed: number) => {
  const random = seededRandom(seed);
  const words = ['const', 'value', 'return', 'function', 'export', 'import', 'await', 'result'];
  return Array.from(
    { length: count },
    (_, i) =>
      `${i}: ${Array.from({ length: 3 + random.int(8) }, () => words[random.int(words.length)]).join(' ')}\n`,
  );
};

t.test('a one-line edit costs about the changed bytes', async (t) => {
  const basis = lines(1000, 30).join('');
  const edited = lines(1000, 30);
  edited[500] = 'export const edited = 1;\n';
  const ops = textRoundTrip(t, basis, edited.join(''));
  t.ok(
    literalBytes(ops) <= 'export const edited = 1;\n'.length,
    `literal ${literalBytes(ops)} bytes`,
  );
  t.ok(encodeDelta(ops).length < 60, `encoded ${encodeDelta(ops).length} bytes`);
  const rsync = encodeDelta(computeDelta(computeSignature(utf8(basis)), utf8(edited.join(''))));
  t.ok(rsync.length > 10 * encodeDelta(ops).length, 'far smaller than the rsync delta');
});

t.test(
  'multibyte UTF-8: offsets are bytes, characters and surrogate pairs are never split',
  async (t) => {
    textRoundTrip(t, 'héllo wörld', 'hèllo wörld'); // é/è share their first byte 0xC3
    textRoundTrip(t, '日本語のテキストです。日本語', '日本語のテキストだよ。日本語');
    textRoundTrip(
      t,
      'emoji 😀 here and 😀 there, long enough',
      'emoji 😁 here and 😀 there, long enough',
    ); // same high surrogate
    textRoundTrip(t, '😀😀😀😀😀😀😀😀😀😀', '😀😀😀😀😁😀😀😀😀😀');
    textRoundTrip(t, 'ab🎉cdefghijklmnop🎉qrstuvwxyz', 'ab🎉cdefghijKLMNOp🎉qrstuvwxyz');
    textRoundTrip(
      t,
      '\uFEFFbom kept as bytes, not stripped',
      '\uFEFFbom kept as bytes, not stripped!',
    );
    textRoundTrip(t, 'a\r\nb\r\nc\r\n'.repeat(20), 'a\r\nb\r\nX\r\n'.repeat(20));
    const ops = textRoundTrip(t, 'ab€cdefghijklmnopqrstuvwxyz', 'ab€cdefghijklmnopqrstuvwxyz€');
    t.strictSame(ops[0], { op: 'copy', offset: 0, length: 29 }, '€ is 3 bytes');
  },
);

t.test('random multibyte edits round-trip (seeded property test)', async (t) => {
  const random = seededRandom(31);
  const alphabet = [
    'a',
    'b',
    ' ',
    '\n',
    'é',
    'ß',
    '€',
    '日',
    '本',
    '😀',
    '😁',
    '🎉',
    '\u0000',
    '\uFEFF',
  ];
  const text = (length: number) =>
    Array.from({ length }, () => alphabet[random.int(alphabet.length)]).join('');
  let failures = 0;
  for (let round = 0; round < 300; round += 1) {
    const basis = text(random.int(400));
    let target = basis;
    for (let edits = random.int(4); edits >= 0; edits -= 1) {
      const chars = [...target];
      const at = random.int(chars.length + 1);
      chars.splice(at, random.int(5), ...text(random.int(6)));
      target = chars.join('');
    }
    // Small budgets too, to go through line mode and the literal fallback.
    const budget = [undefined, 0, 100, 2000][round % 4];
    const ops = computeTextDelta(
      utf8(basis),
      utf8(target),
      budget === undefined ? {} : { diffBudget: budget },
    );
    const rebuilt = applyDelta(utf8(basis), ops ?? []);
    if (!Buffer.from(rebuilt).equals(utf8(target))) failures += 1;
  }
  t.equal(failures, 0);
});

t.test('empty and identical texts', async (t) => {
  t.strictSame(textRoundTrip(t, '', ''), []);
  t.strictSame(textRoundTrip(t, '', 'new file'), [{ op: 'literal', data: utf8('new file') }]);
  t.strictSame(textRoundTrip(t, 'old content', ''), []);
  t.strictSame(textRoundTrip(t, 'same content', 'same content'), [
    { op: 'copy', offset: 0, length: 12 },
  ]);
  t.strictSame(
    textRoundTrip(t, 'tiny', 'tint'),
    [{ op: 'literal', data: utf8('tint') }],
    'runs under 8 bytes stay literal',
  );
});

t.test('not UTF-8: no text delta', async (t) => {
  t.equal(computeTextDelta(Uint8Array.of(0xff, 0x41), utf8('A')), undefined);
  t.equal(computeTextDelta(utf8('A'), Uint8Array.of(0xc3)), undefined);
  t.equal(
    computeTextDelta(utf8('A'), Uint8Array.of(0xed, 0xa0, 0x80)),
    undefined,
    'encoded surrogate',
  );
});

t.test('the diff budget bounds the work: characters, lines, then literals', async (t) => {
  const basis = lines(3000, 32);
  const edited = [...basis];
  for (let i = 100; i <= 2600; i += 500) edited[i] = basis[i]!.replace(/ \w+/, ' CHANGED');
  const from = basis.join('');
  const to = edited.join('');
  // The middle (line 100 to line 2600, ~100 K characters) is too big for a character diff: line mode,
  // then a character diff inside each changed line.
  const lineMode = textRoundTrip(t, from, to, 2 ** 30);
  t.ok(literalBytes(lineMode) <= 6 * 16, `line mode: literal ${literalBytes(lineMode)} bytes`);
  // Enough for the line diff of 2 × 2,501 lines only: the changed lines go literal whole.
  const linesOnly = textRoundTrip(t, from, to, (2 * 2501) ** 2 / 2 + 100);
  t.ok(
    literalBytes(linesOnly) > literalBytes(lineMode) && literalBytes(linesOnly) <= 6 * 80,
    `lines only: literal ${literalBytes(linesOnly)} bytes`,
  );
  // The default budget (~25 ms worst case) is below this file's line diff: prefix and suffix only.
  const byDefault = textRoundTrip(t, from, to);
  t.strictSame(
    byDefault.map((op) => op.op),
    ['copy', 'literal', 'copy'],
  );
  t.strictSame(textRoundTrip(t, from, to, 0), byDefault);
});

t.test('too many distinct lines for line mode: the middle goes literal', async (t) => {
  const basis = Array.from({ length: 70_000 }, (_, i) => `${i}\n`).join('');
  const target = `x${basis.slice(0, -3)}y\n`;
  const ops = textRoundTrip(t, basis, target, 2 ** 40);
  t.ok(ops.length > 0);
  const small = textRoundTrip(t, basis, target, 1000);
  t.strictSame(
    small.map((op) => op.op),
    ['literal'],
  );
});
