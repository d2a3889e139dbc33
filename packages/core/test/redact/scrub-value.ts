import { Buffer } from 'node:buffer';
import t from 'tap';
import { Scrubber } from '../../src/redact/scrubber.js';
import { token } from './fixtures/samples.js';

const SECRET = 'hunter2-correct-horse';

function scrubber(options?: ConstructorParameters<typeof Scrubber>[0]): Scrubber {
  const instance = new Scrubber(options);
  instance.addSecret(SECRET, 'db');
  return instance;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

t.test('primitives', async (t) => {
  const s = scrubber();
  t.equal(s.scrubValue(`x ${SECRET}`), 'x [REDACTED:db]');
  t.equal(s.scrubValue(42), 42);
  t.equal(s.scrubValue(true), true);
  t.equal(s.scrubValue(null), null);
  t.equal(s.scrubValue(undefined), undefined);
  t.equal(s.scrubValue(12345678901234567890n), '12345678901234567890');
  t.equal(s.scrubValue(Symbol(SECRET)), 'Symbol([REDACTED:db])');
  t.equal(
    s.scrubValue(function deploy() {}),
    '[Function: deploy]',
  );
  t.equal(
    s.scrubValue(() => 1),
    '[Function: anonymous]',
  );
});

t.test('secret-named keys at any depth lose their whole value', async (t) => {
  const s = scrubber();
  const input = {
    password: 'plain-text-password',
    nested: {
      deeper: {
        apiKey: 12345,
        GITHUB_TOKEN: Buffer.from('bytes-here'),
        auth: { user: 'u', pass: 'p' },
      },
    },
    clientSecret: 10n,
    token: '',
    authRequired: true,
    sessionId: null,
    passwords: ['first-one', 'second-one', { note: `has ${SECRET}` }, ['nested-one']],
    tokenFile: '/run/token',
    secret: true,
    apiKey: Symbol('x'),
  };
  t.strictSame(s.scrubValue(input), {
    password: '[REDACTED:password]',
    nested: {
      deeper: {
        apiKey: '[REDACTED:api-key]',
        GITHUB_TOKEN: '[REDACTED:token]',
        auth: { user: 'u', pass: 'p' },
      },
    },
    clientSecret: '[REDACTED:secret]',
    token: '',
    authRequired: true,
    sessionId: null,
    passwords: [
      '[REDACTED:password]',
      '[REDACTED:password]',
      { note: 'has [REDACTED:db]' },
      ['[REDACTED:password]'],
    ],
    tokenFile: '/run/token',
    secret: true,
    apiKey: 'Symbol(x)',
  });
});

t.test('keys holding secrets or tokens are scrubbed too', async (t) => {
  const s = scrubber();
  const gh = token('ghp_', 36);
  t.strictSame(s.scrubValue({ [SECRET]: 1, [gh]: 2, plain: 3 }), {
    '[REDACTED:db]': 1,
    'ghp_[REDACTED:github-token]': 2,
    plain: 3,
  });
  s.addSecret('plain-key-name', 'late');
  t.strictSame(
    s.scrubValue({ 'plain-key-name': 1 }),
    { '[REDACTED:late]': 1 },
    'key cache cleared',
  );
});

t.test('argv arrays: the value after a secret long flag is replaced', async (t) => {
  const s = scrubber();
  t.strictSame(
    s.scrubValue([
      'docker',
      'login',
      '--password',
      'pw-123',
      '--username',
      'me',
      '--token',
      '--verbose',
      '--api-key=abc',
      'x',
    ]),
    [
      'docker',
      'login',
      '--password',
      '[REDACTED:password]',
      '--username',
      'me',
      '--token',
      '--verbose',
      '--api-key=[REDACTED:api-key]',
      'x',
    ],
  );
  t.strictSame(s.scrubValue(['--token', 5]), ['--token', 5], 'only a string is a flag value');
});

t.test('errors: type, message, stack, own props, cause and AggregateError errors', async (t) => {
  const s = scrubber();
  class RequestError extends Error {
    code = 'E_REQUEST';
    request = { headers: { authorization: 'Bearer abc', accept: 'json' } };
  }
  const cause = new Error(`inner ${SECRET}`);
  const error = new RequestError(`outer ${SECRET}`, { cause });
  const out = s.scrubValue(error) as Record<string, unknown>;
  t.equal(out['type'], 'RequestError');
  t.equal(out['message'], 'outer [REDACTED:db]');
  t.match(out['stack'], /^Error: outer \[REDACTED:db\]\n\s+at /);
  t.equal(out['code'], 'E_REQUEST');
  t.strictSame(out['request'], {
    headers: { authorization: '[REDACTED:authorization]', accept: 'json' },
  });
  t.match(out['cause'], { type: 'Error', message: 'inner [REDACTED:db]' });
  t.notMatch(JSON.stringify(out), SECRET);

  const aggregate = new AggregateError([new TypeError('a'), 'b'], 'many');
  t.match(s.scrubValue(aggregate), {
    type: 'AggregateError',
    message: 'many',
    errors: [{ type: 'TypeError' }, 'b'],
  });

  const bare = new Error('no stack');
  Object.defineProperty(bare, 'stack', { value: undefined });
  Object.defineProperty(bare, 'constructor', { value: undefined });
  t.strictSame(s.scrubValue(bare), { type: 'Error', message: 'no stack' });
});

t.test('Map, Set, URL, bytes, Date, boxed primitives, toJSON and class instances', async (t) => {
  const s = scrubber();
  class Point {
    x = 1;
    label = SECRET;
    get computed(): number {
      return 2;
    }
  }
  const input = {
    map: new Map<unknown, unknown>([
      ['k', SECRET],
      [{ a: 1 }, 'object key'],
      ['password', 'pw'],
    ]),
    set: new Set([SECRET, 1]),
    url: new URL(`https://user:${'pw-in-url'}@host/p?access_token=abc&x=1#f`),
    buffer: Buffer.from(`bytes ${SECRET}`),
    bytes: new Uint8Array(Buffer.from('ab')),
    arrayBuffer: new Uint8Array(Buffer.from('arraybuffer')).buffer,
    view: new DataView(new Uint8Array(Buffer.from('view')).buffer),
    date: new Date(0),
    invalid: new Date(Number.NaN),
    boxed: [new String(SECRET), new Number(3), new Boolean(false)],
    json: { toJSON: () => ({ inner: SECRET }) },
    point: new Point(),
  };
  t.strictSame(s.scrubValue(input), {
    map: { k: '[REDACTED:db]', '[object Object]': 'object key', password: '[REDACTED:password]' },
    set: ['[REDACTED:db]', 1],
    url: 'https://user:[REDACTED:password]@host/p?access_token=[REDACTED:token]&x=1#f',
    buffer: 'bytes [REDACTED:db]',
    bytes: 'ab',
    arrayBuffer: 'arraybuffer',
    view: 'view',
    date: '1970-01-01T00:00:00.000Z',
    invalid: 'Invalid Date',
    boxed: ['[REDACTED:db]', 3, false],
    json: { inner: '[REDACTED:db]' },
    point: { x: 1, label: '[REDACTED:db]' },
  });
});

t.test('cycles become [Circular]; shared references are copied', async (t) => {
  const s = scrubber();
  const shared = { v: 1 };
  const root: Record<string, unknown> = { a: shared, b: shared, list: [] as unknown[] };
  root['self'] = root;
  (root['list'] as unknown[]).push(root, shared);
  const error = new Error('loop');
  (error as Error & { cause: unknown }).cause = error;
  const map = new Map<string, unknown>();
  map.set('me', map);
  t.strictSame(s.scrubValue(root), {
    a: { v: 1 },
    b: { v: 1 },
    list: ['[Circular]', { v: 1 }],
    self: '[Circular]',
  });
  t.match(s.scrubValue(error), { cause: '[Circular]' });
  t.strictSame(s.scrubValue(map), { me: '[Circular]' });
});

t.test('objects deeper than maxDepth are replaced', async (t) => {
  const s = scrubber({ maxDepth: 2 });
  t.strictSame(s.scrubValue({ a: { b: { c: 1 }, list: [[1]] } }), {
    a: { b: '[Object]', list: '[Array]' },
  });
  t.strictSame(s.scrubValue([[[1]]]), [['[Array]']]);
  const nested: Record<string, unknown> = {};
  let cursor = nested;
  for (let depth = 0; depth < 20; depth += 1) cursor = cursor['next'] = {};
  t.match(JSON.stringify(scrubber().scrubValue(nested)), /"\[Object\]"/);
  t.strictSame(s.scrubValue({ a: { b: new Map() } }), { a: { b: '[Object]' } });
  t.strictSame(s.scrubValue({ a: { e: new Error('deep'), s: new Set([1]) } }), {
    a: { e: '[Object]', s: '[Array]' },
  });
});

t.test('throwing getters and toJSON become [Unreadable]', async (t) => {
  const s = scrubber();
  const input = {
    get broken(): string {
      throw new Error('nope');
    },
    json: {
      toJSON(): never {
        throw new Error('nope');
      },
    },
  };
  t.strictSame(s.scrubValue(input), { broken: '[Unreadable]', json: '[Unreadable]' });
});

t.test('a __proto__ key is copied as data, not as a prototype', async (t) => {
  const s = scrubber();
  const input = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as object;
  const out = s.scrubValue(input) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(out), Object.prototype);
  t.strictSame(Object.keys(out), ['__proto__', 'x']);
  t.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

t.test('never mutates the input, even when deeply frozen', async (t) => {
  const s = scrubber();
  const input = deepFreeze({
    password: 'pw-123456',
    list: [SECRET, { token: 'abc' }, ['--token', 'x']],
    nested: { url: `https://u:${SECRET}@h`, n: 1 },
  });
  const before = structuredClone(input);
  const out = s.scrubValue(input);
  t.strictSame(input, before);
  t.not(out, input);
  t.notMatch(JSON.stringify(out), SECRET);
});

t.test('plain objects with short strings are cheap', async (t) => {
  const s = new Scrubber();
  for (let index = 0; index < 100; index += 1) s.addSecret(`registered-secret-${index}-value`);
  const record = {
    method: 'GET',
    url: '/api/v1/items',
    status: 200,
    durationMs: 15,
    user: 'octocat',
  };
  for (let index = 0; index < 2000; index += 1) s.scrubValue(record);
  const runs = 20000;
  const start = performance.now();
  for (let index = 0; index < runs; index += 1) s.scrubValue(record);
  const nsPerField = ((performance.now() - start) * 1e6) / (runs * 5);
  t.ok(nsPerField < 1000, `${nsPerField.toFixed(0)} ns per field`);
});
