import t from 'tap';
import { z } from 'zod';
import { describeValue, describeZodIssue } from '../../src/config/issues.js';
import type { IssueMessage } from '../../src/config/issues.js';

const SCHEMA = z
  .object({
    name: z.string().min(1),
    code: z.string().min(3).max(5),
    count: z.number().int().min(1).max(10),
    ratio: z.number().gt(0).lt(1),
    list: z.array(z.string()).min(2).max(3),
    mode: z.enum(['a', 'b']),
    only: z.literal('x'),
    host: z.string().regex(/^h/, { error: 'expected a host' }),
    token: z.string(),
    nested: z.object({ a: z.string() }).strict(),
  })
  .partial()
  .strict();

function messages(input: unknown, secretKeys: string[] = []): IssueMessage[] {
  const result = SCHEMA.safeParse(input, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    describeZodIssue(issue, {
      hideValue: (path) => secretKeys.includes(String(path[0])),
      knownKeys: (path) => (path.length === 0 ? Object.keys(SCHEMA.shape) : ['a']),
    }),
  );
}

const text = (input: unknown, secretKeys?: string[]) =>
  messages(input, secretKeys).map(({ path, message }) => `${path.join('.')}: ${message}`);

t.test('types', async (t) => {
  t.strictSame(
    text({
      name: 5,
      count: 'abc',
      list: {},
      nested: [],
      ratio: null,
      token: true,
    }),
    [
      'name: expected a string, got 5',
      'count: expected a number, got "abc"',
      'ratio: expected a number, got null',
      'list: expected a list, got a mapping',
      'token: expected a string, got true',
      'nested: expected a mapping, got a list',
    ],
  );
  t.strictSame(text({ count: 1.5 }), ['count: expected an integer, got 1.5']);
  t.strictSame(
    messages({ nested: {} }).map(({ message }) => message),
    ['required; expected a string'],
  );
});

t.test('bounds', async (t) => {
  t.strictSame(text({ name: '', code: 'ab', count: 0, ratio: 0, list: ['a'] }), [
    'name: expected a non-empty string, got ""',
    'code: expected at least 3 characters, got "ab"',
    'count: expected a number >= 1, got 0',
    'ratio: expected a number > 0, got 0',
    'list: expected at least 2 items',
  ]);
  t.strictSame(text({ code: 'abcdef', count: 11, ratio: 1, list: ['a', 'b', 'c', 'd'] }), [
    'code: expected at most 5 characters, got "abcdef"',
    'count: expected a number <= 10, got 11',
    'ratio: expected a number < 1, got 1',
    'list: expected at most 3 items',
  ]);
});

t.test('values, formats and long strings', async (t) => {
  t.strictSame(text({ mode: 'c', only: 'y', host: 'x' }), [
    'mode: expected one of "a" | "b", got "c"',
    'only: expected "x", got "y"',
    'host: expected a host, got "x"',
  ]);
  t.equal(describeValue('x'.repeat(100)), JSON.stringify(`${'x'.repeat(59)}…`));
  t.equal(describeValue(undefined), 'undefined');
});

t.test('unknown keys become one message each, at the key, with a suggestion', async (t) => {
  t.strictSame(messages({ nmae: 'x', zzz: 1, nested: { a: 'x', b: 1 } }), [
    {
      path: ['nested', 'b'],
      atKey: true,
      message: 'unknown key "b" (did you mean "a"?)',
    },
    {
      path: ['nmae'],
      atKey: true,
      message: 'unknown key "nmae" (did you mean "name"?)',
    },
    { path: ['zzz'], atKey: true, message: 'unknown key "zzz"' },
  ]);
});

t.test('custom messages are used as they are', async (t) => {
  const refined = z.object({ a: z.string() }).superRefine((_, ctx) => {
    ctx.addIssue({
      code: 'custom',
      path: ['a'],
      message: 'required when b is set',
    });
  });
  const result = refined.safeParse({ a: 'x' }, { reportInput: true });
  t.strictSame(
    result.error?.issues.flatMap((issue) =>
      describeZodIssue(issue, { hideValue: () => false, knownKeys: () => [] }),
    ),
    [{ path: ['a'], atKey: false, message: 'required when b is set' }],
  );
});

t.test('hidden values are never quoted', async (t) => {
  const hidden = text({ token: 12345, name: '', mode: 'secret-mode', host: 'secret-host' }, [
    'token',
    'name',
    'mode',
    'host',
  ]);
  t.strictSame(hidden, [
    'name: expected a non-empty string',
    'mode: expected one of "a" | "b"',
    'host: expected a host',
    'token: expected a string',
  ]);
});
