import { Buffer } from 'node:buffer';
import t from 'tap';
import { ScrubberOptionError } from '../../src/redact/errors.js';
import { Scrubber } from '../../src/redact/scrubber.js';
import { BASE64URL, LOWER_HEX, body, token } from './fixtures/samples.js';

const SECRET = 'hunter2-correct-horse';

function withSecrets(count = 100): Scrubber {
  const scrubber = new Scrubber();
  for (let index = 0; index < count; index += 1) {
    scrubber.addSecret(body(12 + (index % 30), BASE64URL, index + 100), `k${index}`);
  }
  return scrubber;
}

t.test('addSecret refuses short, empty and non-string values without echoing them', async (t) => {
  const scrubber = new Scrubber();
  t.strictSame(scrubber.addSecret('short12'), {
    added: false,
    reason: 'shorter than 8 characters',
  });
  t.strictSame(scrubber.addSecret('   abc     '), {
    added: false,
    reason: 'shorter than 8 characters',
  });
  t.strictSame(scrubber.addSecret(''), { added: false, reason: 'empty or whitespace-only' });
  t.strictSame(scrubber.addSecret(' \n\t   \n '), {
    added: false,
    reason: 'empty or whitespace-only',
  });
  t.strictSame(scrubber.addSecret(12345678 as unknown as string), {
    added: false,
    reason: 'not a string',
  });
  t.equal(scrubber.size, 0);
  t.strictSame(scrubber.secrets, []);
});

t.test('addSecret is idempotent and keeps the first kind', async (t) => {
  const scrubber = new Scrubber();
  t.strictSame(scrubber.addSecret(SECRET, 'db-password'), { added: true });
  t.strictSame(scrubber.addSecret(SECRET, 'other'), { added: true });
  t.strictSame(scrubber.addSecret('second-secret-value'), { added: true });
  t.equal(scrubber.size, 2);
  t.strictSame(scrubber.secrets, [SECRET, 'second-secret-value']);
  t.ok(Object.isFrozen(scrubber.secrets));
  t.equal(
    scrubber.scrubString(`a ${SECRET} b second-secret-value`),
    'a [REDACTED:db-password] b [REDACTED:secret]',
  );
  t.equal(scrubber.addSecret('third-secret-value', 'bad kind]').added, true);
  t.equal(scrubber.scrubKnownSecrets('third-secret-value'), '[REDACTED:bad-kind-]');
});

t.test('options are checked', async (t) => {
  t.throws(() => new Scrubber({ minSecretLength: 7 }), ScrubberOptionError);
  t.throws(() => new Scrubber({ minSecretLength: 8.5 }), { code: 'REDACT_BAD_OPTION' });
  t.throws(() => new Scrubber({ maxDepth: 0 }), /maxDepth is "0" but must be an integer >= 1/);
  const strict = new Scrubber({ minSecretLength: 12 });
  t.equal(strict.addSecret('eleven-char').added, false);
  t.equal(strict.addSecret('twelve-chars').added, true);
  t.equal(strict.scrubString('short text'), 'short text');
});

t.test('scrubKnownSecrets replaces only registered values and their forms', async (t) => {
  const scrubber = new Scrubber();
  const text = 'nothing registered yet';
  t.equal(scrubber.scrubKnownSecrets(text), text);
  scrubber.addSecret(SECRET, 'db-password');
  t.equal(scrubber.scrubKnownSecrets(text), text);
  const gh = token('ghp_', 36);
  t.equal(
    scrubber.scrubKnownSecrets(`{"msg":"${SECRET}","token":"${gh}","password":"x"}`),
    `{"msg":"[REDACTED:db-password]","token":"${gh}","password":"x"}`,
  );
  t.equal(scrubber.scrubKnownSecrets('short'), 'short');
});

t.test('derived forms are found in text', async (t) => {
  const scrubber = new Scrubber();
  const secret = 'S3cr3t "value" with/slash+plus';
  scrubber.addSecret(secret, 'api');
  const blob = Buffer.concat([
    Buffer.from('{"user":"ci","password":"'),
    Buffer.from(secret),
    Buffer.from('"}'),
  ]);
  const cases = [
    `basic ${blob.toString('base64')}`,
    `url https://host/?q=${encodeURIComponent(secret)}&x=1`,
    `form a=1&q=${new URLSearchParams({ q: secret }).toString().slice(2)}`,
    JSON.stringify({ msg: JSON.stringify({ inner: secret }) }),
    `hex ${Buffer.from(secret).toString('hex').toUpperCase()}`,
  ];
  for (const text of cases) {
    const out = scrubber.scrubKnownSecrets(text);
    t.not(out, text, text);
    t.match(out, /\[REDACTED:api\]/);
    t.notMatch(out, 'S3cr3t');
  }
});

t.test('each line of a multi-line secret is found on its own', async (t) => {
  const scrubber = new Scrubber();
  scrubber.addSecret('line-one-of-key\nline-two-of-key\n', 'ssh-key');
  t.equal(
    scrubber.scrubString('x line-two-of-key y\r\nline-one-of-key'),
    'x [REDACTED:ssh-key] y\r\n[REDACTED:ssh-key]',
  );
});

t.test('overlapping secrets are replaced by their union', async (t) => {
  const scrubber = new Scrubber();
  scrubber.addSecret('abcdefgh-1234', 'first');
  scrubber.addSecret('1234-ijklmnop', 'second');
  scrubber.addSecret('cdefgh-12', 'inner');
  t.equal(scrubber.scrubString('<abcdefgh-1234-ijklmnop>'), '<[REDACTED:first]>');
  t.equal(scrubber.findKnownSecrets('<abcdefgh-1234-ijklmnop> cdefgh-12').length, 2);
  t.strictSame(scrubber.findKnownSecrets('..cdefgh-12'), [{ start: 2, end: 11, kind: 'inner' }]);
  t.equal(scrubber.maxPatternLength, Buffer.from('abcdefgh-1234').toString('hex').length);
});

t.test('scrubString combines secrets, token formats and context', async (t) => {
  const scrubber = new Scrubber();
  scrubber.addSecret(SECRET, 'db-password');
  const gh = token('ghp_', 36);
  const cases: Array<[string, string]> = [
    [`psql postgres://app:${SECRET}@db/ci`, 'psql postgres://app:[REDACTED:db-password]@db/ci'],
    [`push ${gh}`, 'push ghp_[REDACTED:github-token]'],
    [`GITHUB_TOKEN=${gh} next`, 'GITHUB_TOKEN=[REDACTED:token] next'],
    [`Authorization: token ${gh}`, 'Authorization: token [REDACTED:authorization]'],
    [
      'https://x-access-token:plain@github.com/o/r',
      'https://x-access-token:[REDACTED:password]@github.com/o/r',
    ],
    [`DB_PASSWORD=${SECRET}`, 'DB_PASSWORD=[REDACTED:db-password]'],
    ['line one\n--token abc123\nline three', 'line one\n--token [REDACTED:token]\nline three'],
  ];
  for (const [input, expected] of cases) t.equal(scrubber.scrubString(input), expected, input);
});

t.test('an AWS credentials file', async (t) => {
  const keyId = token('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  const secretKey = token('', 40, `${BASE64URL.slice(0, 62)}+/`, 11);
  const file = `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\nregion = eu-west-1\n`;
  t.equal(
    new Scrubber().scrubString(file),
    '[default]\naws_access_key_id = AKIA[REDACTED:aws-access-key-id]\n' +
      'aws_secret_access_key = [REDACTED:secret-access-key]\nregion = eu-west-1\n',
  );
  t.equal(
    new Scrubber().scrubString(`{"secretAccessKey":"${secretKey}"}`),
    '{"secretAccessKey":"[REDACTED:secret-access-key]"}',
  );
});

t.test('benign look-alikes stay intact', async (t) => {
  const scrubber = withSecrets();
  const integrity =
    'sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+5EpNP3V8u14VCKzXS9WByhAtaYZ93cBH3P2mpdg==';
  const png =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const texts = [
    `commit ${body(40, LOWER_HEX)}`,
    'HEAD is now at 1a2b3c4 fix: things (#12)',
    'short shas deadbeef cafebabe1234 0123456789ab',
    'uuid 123e4567-e89b-12d3-a456-426614174000 and 9F1C2B9E-4F3A-4C11-9B2E-0D8A7E6B5C4D',
    `sha256 ${body(64, LOWER_HEX, 3)}`,
    `sha512 ${body(128, LOWER_HEX, 4)}`,
    `docker pull node@sha256:${body(64, LOWER_HEX, 5)}`,
    `"integrity": "${integrity}"`,
    'version 1.2.3-beta.4+build.5 and v20.20.2',
    '/home/runner/work/x/node_modules/.bin/tsc --noEmit -p .',
    'C:\\Users\\runneradmin\\AppData\\Local\\Temp\\tmp-123',
    'token: ${{ secrets.GITHUB_TOKEN }} and ${{ secrets.NPM_TOKEN }}',
    png,
    'The quick brown fox jumps over the lazy dog.',
    'Successfully authenticated as octocat; the token expires in 59 minutes',
    'password must be at least 8 characters long',
    'Authorization header is missing',
    'Run actions/checkout@v4 with fetch-depth: 0',
    'npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
    'Downloading https://registry.npmjs.org/typescript/-/typescript-5.9.3.tgz',
    'git@github.com:org/repo.git and octocat@users.noreply.github.com',
    'listening on [::1]:8080 at 2024-05-01T12:00:00.000Z',
    'PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/runner PWD=/home/runner/work',
    'cacheKey: npm-linux-x64-3f2a9c keyId=AKID1 tokenCount=5 maxTokens: 4096',
    '--token-file /run/secrets/token --password-stdin',
    'AbstractSingletonProxyFactoryBeanConfigurationHelper.java:42',
    'node_modules/@types/node/index.d.ts(12,3): error TS2304',
    'tests 42 passed, 0 failed (1.23s)',
  ];
  for (const text of texts) t.equal(scrubber.scrubString(text), text, text);
});

t.test('names are classified and cached', async (t) => {
  const scrubber = new Scrubber();
  t.ok(scrubber.isSecretName('GITHUB_TOKEN'));
  t.ok(scrubber.isSecretName('GITHUB_TOKEN'), 'cached');
  t.notOk(scrubber.isSecretName('tokenFile'));
  t.notOk(scrubber.isSecretName('tokenFile'), 'cached');
  t.equal(scrubber.secretNameKind('clientSecret'), 'secret');
  for (let index = 0; index < 5000; index += 1) scrubber.isSecretName(`name${index}`);
  t.ok(scrubber.isSecretName('apiKey'), 'still right after the cache was emptied');
});
