import t from 'tap';
import { mulberry32 } from '../../src/random/mulberry32.js';

t.test('mulberry32 gives the reference sequence for seed 1', async (t) => {
  const random = mulberry32(1);
  t.strictSame(
    [random(), random(), random()],
    [0.6270739405881613, 0.002735721180215478, 0.5274470399599522],
  );
});

t.test('the same seed gives the same numbers, in [0, 1); only the low 32 bits count', async (t) => {
  const a = Array.from({ length: 1000 }, mulberry32(42));
  t.strictSame(a, Array.from({ length: 1000 }, mulberry32(42)));
  t.strictSame(a, Array.from({ length: 1000 }, mulberry32(42 + 2 ** 32)));
  t.ok(a.every((value) => value >= 0 && value < 1));
  t.not(a[0], mulberry32(43)());
});
