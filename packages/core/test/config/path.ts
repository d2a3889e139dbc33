import t from 'tap';
import { formatPath, isPlainObject, valueAt } from '../../src/config/path.js';

t.test('formatPath joins keys with dots and indices in brackets', async (t) => {
  t.equal(formatPath([]), '');
  t.equal(formatPath(['depCi', 'runner']), 'depCi.runner');
  t.equal(formatPath(['livepatch', 'reload', 0, 'paths', 1]), 'livepatch.reload[0].paths[1]');
});

t.test('valueAt follows own keys only', async (t) => {
  const data = { a: { b: 1 }, list: [1] };
  t.equal(valueAt(data, ['a', 'b']), 1);
  t.strictSame(valueAt(data, []), data);
  t.equal(valueAt(data, ['a', 'c']), undefined);
  t.equal(valueAt(data, ['list', '0']), undefined);
  t.equal(valueAt(data, ['a', 'toString']), undefined);
});

t.test('isPlainObject accepts mappings only', async (t) => {
  t.ok(isPlainObject({}));
  t.notOk(isPlainObject([]));
  t.notOk(isPlainObject(null));
  t.notOk(isPlainObject('x'));
});
