/**
 * Adversarial inputs: every scan must stay linear. Bounds are generous (a slow 2-core CI machine) and the
 * doubling check compares the fastest of three runs with slack, so timing noise does not fail it.
 */
import t from 'tap';
import { Scrubber } from '../../src/redact/scrubber.js';
import { BASE64URL, body, fastestMs } from './fixtures/samples.js';

const MB = 1_000_000;

function scrubber(): Scrubber {
  const instance = new Scrubber();
  for (let index = 0; index < 100; index += 1) {
    instance.addSecret(body(12 + (index % 30), BASE64URL, index + 1), `k${index}`);
  }
  // Secrets that share long prefixes with the adversarial texts below.
  instance.addSecret('a'.repeat(30) + 'b', 'aaa');
  instance.addSecret('token=' + 'a'.repeat(20) + '!', 'tok');
  return instance;
}

/** `unit` repeated to about `length` characters. */
function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const INPUTS: Array<[name: string, make: (length: number) => string]> = [
  ['a…', (n) => 'a'.repeat(n)],
  ['--token=a…', (n) => '--token=' + 'a'.repeat(n)],
  ['--token a…', (n) => '--token ' + 'a'.repeat(n)],
  ['eyJ + a.…', (n) => 'eyJ' + fill('a.', n)],
  ['eyJaaaaaaaaaaaa.…', (n) => fill('eyJaaaaaaaaaaaa.', n)],
  ['eyJ with a long payload', (n) => 'eyJaaaaaaaaaaaa.' + 'b'.repeat(n)],
  ['eyJ with long segments', (n) => fill(`eyJ${'a'.repeat(4100)}.${'b'.repeat(33000)}.`, n)],
  ['-----BEGIN …', (n) => fill('-----BEGIN ', n)],
  ['BEGIN PRIVATE KEY …', (n) => fill('-----BEGIN RSA PRIVATE KEY-----', n)],
  ['-----END …', (n) => '-----BEGIN PRIVATE KEY-----' + fill('-----END X-----', n)],
  [':…', (n) => ':'.repeat(n)],
  ['=…', (n) => '='.repeat(n)],
  ['a=…', (n) => fill('a=', n)],
  ['password=$A…', (n) => fill('password=$A', n)],
  ['"password":"…', (n) => fill('"password":"', n)],
  ['\\"token\\":\\"…', (n) => fill('\\"token\\":\\"', n)],
  ['Authorization: …', (n) => fill('Authorization: ', n)],
  ['a-a-…', (n) => fill('a-', n)],
  ['ghp_…', (n) => fill('ghp_', n)],
  ['sk-…', (n) => fill('sk-', n)],
  ['@…', (n) => '@'.repeat(n)],
  ['%…', (n) => '%'.repeat(n)],
  ['x://:…', (n) => fill('x://:', n)],
  ['x://a:b…', (n) => 'x://a:' + 'b'.repeat(n)],
  ['--…', (n) => '-'.repeat(n)],
  ['base64 blob', (n) => body(n, `${BASE64URL}+/`)],
  ['hex', (n) => body(n, '0123456789abcdef')],
  ['mixed specials', (n) => body(n, 'a=:-@/%"\'\\ .\n\rtokenTOKEN_$<>{}')],
  ['aaaaaaaaaaaaaaaaaaab…', (n) => fill('a'.repeat(29) + 'b', n)],
  ['-u a… (no colon)', (n) => '-u ' + 'a'.repeat(n)],
  [' -u a:…', (n) => fill(' -u a:', n)],
  ['mysql -p…', (n) => fill('mysql -p', n)],
  ['mysql then  -…', (n) => 'mysql' + fill(' -', n)],
  ['docker login -p …', (n) => fill('docker login -p ', n)],
];

t.test('1 MB adversarial inputs are scrubbed in well under 2 s each', async (t) => {
  const instance = scrubber();
  for (const [name, make] of INPUTS) {
    const text = make(MB);
    const ms = fastestMs(() => instance.scrubString(text), 1);
    t.ok(ms < 2000, `${name}: ${ms.toFixed(0)} ms`);
  }
});

t.test('doubling the input at most about doubles the time', async (t) => {
  const instance = scrubber();
  for (const [name, make] of INPUTS) {
    const small = make(MB / 4);
    const large = make(MB / 2);
    const smallMs = fastestMs(() => instance.scrubString(small));
    const largeMs = fastestMs(() => instance.scrubString(large));
    t.ok(
      largeMs < 3 * smallMs + 40,
      `${name}: ${smallMs.toFixed(1)} ms → ${largeMs.toFixed(1)} ms`,
    );
  }
});

t.test('scrubKnownSecrets and scrubValue are linear too', async (t) => {
  const instance = scrubber();
  const text = 'a'.repeat(MB);
  t.ok(fastestMs(() => instance.scrubKnownSecrets(text), 1) < 2000);
  const wide = Object.fromEntries(
    Array.from({ length: 50_000 }, (_, index) => [`key${index}`, `value ${index}`]),
  );
  t.ok(fastestMs(() => instance.scrubValue(wide), 1) < 2000);
});
