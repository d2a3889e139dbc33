import t from 'tap';
import { DEFAULT_MAX_OUTPUT_SIZE, applyDelta, type DeltaOp } from '../../src/delta/index.js';

t.test('applyDelta concatenates copies of the basis and literals', async (t) => {
  const basis = Uint8Array.of(10, 11, 12, 13, 14);
  const ops: DeltaOp[] = [
    { op: 'copy', offset: 3, length: 2 },
    { op: 'literal', data: Uint8Array.of(1, 2) },
    { op: 'copy', offset: 0, length: 5 },
    { op: 'copy', offset: 5, length: 0 },
  ];
  t.strictSame([...applyDelta(basis, ops)], [13, 14, 1, 2, 10, 11, 12, 13, 14]);
  t.strictSame([...applyDelta(basis, [])], []);
  t.equal(DEFAULT_MAX_OUTPUT_SIZE, 2 ** 30);
});

t.test('applyDelta refuses copies outside the basis', async (t) => {
  const basis = new Uint8Array(100);
  const outOfRange = {
    name: 'DeltaCopyOutOfRangeError',
    code: 'LIVEPATCH_DELTA_COPY_OUT_OF_RANGE',
  };
  t.throws(() => applyDelta(basis, [{ op: 'copy', offset: 90, length: 11 }]), {
    ...outOfRange,
    offset: 90,
    length: 11,
    basisSize: 100,
    message: /"90\.\.101" from a basis of "100" bytes/,
  });
  t.throws(() => applyDelta(basis, [{ op: 'copy', offset: 100, length: 1 }]), outOfRange);
  t.throws(() => applyDelta(new Uint8Array(0), [{ op: 'copy', offset: 0, length: 1 }]), outOfRange);
  const invalid = { name: 'InvalidDeltaError', code: 'LIVEPATCH_DELTA_INVALID' };
  for (const [offset, length] of [
    [-1, 1],
    [0, -1],
    [0.5, 1],
    [0, Number.NaN],
    [Number.POSITIVE_INFINITY, 1],
  ] as const) {
    t.throws(
      () => applyDelta(basis, [{ op: 'copy', offset, length }]),
      invalid,
      `${offset}+${length}`,
    );
  }
});

t.test('applyDelta refuses output over maxSize before allocating it', async (t) => {
  const basis = new Uint8Array(1 << 20);
  // 1,000 copies of 1 MiB would be 1,000 MiB.
  const ops: DeltaOp[] = Array.from({ length: 1000 }, () => ({
    op: 'copy',
    offset: 0,
    length: 1 << 20,
  }));
  t.throws(() => applyDelta(basis, ops, { maxSize: 10 << 20 }), {
    name: 'DeltaTooLargeError',
    code: 'LIVEPATCH_DELTA_TOO_LARGE',
    size: 11 << 20,
    maxSize: 10 << 20,
  });
  t.throws(
    () => applyDelta(basis, [{ op: 'literal', data: new Uint8Array(11) }], { maxSize: 10 }),
    {
      name: 'DeltaTooLargeError',
    },
  );
  t.equal(
    applyDelta(basis, [{ op: 'literal', data: new Uint8Array(10) }], { maxSize: 10 }).length,
    10,
  );
  t.throws(() => applyDelta(basis, [], { maxSize: -1 }), {
    name: 'InvalidDeltaOptionError',
    code: 'LIVEPATCH_DELTA_OPTION_INVALID',
  });
});
