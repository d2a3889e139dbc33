import t from 'tap';
import { z } from 'zod';
import { coerceString } from '../../src/config/coerce.js';

t.test('numbers in decimal notation become numbers; anything else stays a string', async (t) => {
  const number = z.number();
  t.strictSame(coerceString(number, '4'), { ok: true, value: 4 });
  t.strictSame(coerceString(number, ' -1.5 '), { ok: true, value: -1.5 });
  t.strictSame(coerceString(number, '1e3'), { ok: true, value: 1000 });
  for (const text of ['', 'abc', '0x10', 'Infinity', '4px']) {
    t.strictSame(coerceString(number, text), { ok: true, value: text }, JSON.stringify(text));
  }
});

t.test('booleans are true/false/1/0 in any case', async (t) => {
  const boolean = z.boolean();
  for (const text of ['true', 'TRUE', '1', ' True '])
    t.strictSame(coerceString(boolean, text), { ok: true, value: true });
  for (const text of ['false', 'False', '0'])
    t.strictSame(coerceString(boolean, text), { ok: true, value: false });
  t.strictSame(coerceString(boolean, 'yes'), { ok: true, value: 'yes' });
});

t.test('lists are comma-separated or a JSON array', async (t) => {
  const list = z.array(z.string());
  t.strictSame(coerceString(list, 'a, b ,,c'), {
    ok: true,
    value: ['a', 'b', 'c'],
  });
  t.strictSame(coerceString(list, ''), { ok: true, value: [] });
  t.strictSame(coerceString(list, ' ["a,b", "c"]'), {
    ok: true,
    value: ['a,b', 'c'],
  });
  t.strictSame(coerceString(list, '[a, b'), {
    ok: false,
    expected: 'a JSON array',
  });
  const objects = z.array(z.object({ name: z.string() }));
  t.strictSame(coerceString(objects, '[{"name":"x"}]'), {
    ok: true,
    value: [{ name: 'x' }],
  });
  t.strictSame(coerceString(objects, 'x,y'), {
    ok: false,
    expected: 'a JSON array',
  });
});

t.test('records and objects are JSON objects', async (t) => {
  const record = z.record(z.string(), z.string());
  t.strictSame(coerceString(record, '{"a":"b"}'), {
    ok: true,
    value: { a: 'b' },
  });
  t.strictSame(coerceString(record, '["a"]'), {
    ok: false,
    expected: 'a JSON object',
  });
  t.strictSame(coerceString(record, 'null'), {
    ok: false,
    expected: 'a JSON object',
  });
  t.strictSame(coerceString(z.object({}), 'a=b'), {
    ok: false,
    expected: 'a JSON object',
  });
});

t.test('strings and enums are unchanged', async (t) => {
  t.strictSame(coerceString(z.string(), ' 4 '), { ok: true, value: ' 4 ' });
  t.strictSame(coerceString(z.enum(['a']), 'b'), { ok: true, value: 'b' });
});
