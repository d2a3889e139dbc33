import t from 'tap';
import { deepFreeze } from '../../src/config/freeze.js';

t.test('freezes objects and arrays at every depth', async (t) => {
  const value = { a: { b: [{ c: 1 }] }, s: 'x' };
  const frozen = deepFreeze(value);
  t.equal(frozen, value, 'returns the same object');
  t.ok(Object.isFrozen(value));
  t.ok(Object.isFrozen(value.a));
  t.ok(Object.isFrozen(value.a.b));
  t.ok(Object.isFrozen(value.a.b[0]));
  t.throws(() => {
    (value.a.b[0] as { c: number }).c = 2;
  }, TypeError);
  t.equal(deepFreeze('x'), 'x');
  t.equal(deepFreeze(null), null);
});
