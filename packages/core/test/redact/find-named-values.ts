import t, { type Test } from 'tap';
import { classifySecretName } from '../../src/redact/classify-secret-name.js';
import { findNamedValues, findSpacedFlagValues } from '../../src/redact/find-named-values.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';

function redact(text: string): string {
  const ranges = new RedactionRanges();
  findNamedValues(text, classifySecretName, ranges, text.indexOf('='), text.indexOf(':'));
  findSpacedFlagValues(text, classifySecretName, ranges, text.indexOf('--'));
  return ranges.applyTo(text);
}

function table(t: Test, cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [input, expected] of cases) t.equal(redact(input), expected, input);
}

t.test('environment lines, YAML and assignments', async (t) => {
  table(t, [
    ['GITHUB_TOKEN=abc123def', 'GITHUB_TOKEN=[REDACTED:token]'],
    [
      '+ export NPM_TOKEN=xyz987 && npm publish',
      '+ export NPM_TOKEN=[REDACTED:token] && npm publish',
    ],
    ['DB_PASSWORD: hunter22', 'DB_PASSWORD: [REDACTED:password]'],
    ['password = spaced-out', 'password = [REDACTED:password]'],
    ['secretKey := "go-style"', 'secretKey := "[REDACTED:secret-key]"'],
    ["{ :password => 'ruby' }", "{ :password => '[REDACTED:password]' }"],
    ['$env:GITHUB_TOKEN = "ps"', '$env:GITHUB_TOKEN = "[REDACTED:token]"'],
    ['spring.datasource.password=jdbc-pw', 'spring.datasource.password=[REDACTED:password]'],
    [
      '//registry.npmjs.org/:_authToken=npm-value',
      '//registry.npmjs.org/:_authToken=[REDACTED:token]',
    ],
  ]);
});

t.test('JSON, JSON inside JSON, and quoted values', async (t) => {
  table(t, [
    ['{"password":"p@ss \\"q\\" w","user":"x"}', '{"password":"[REDACTED:password]","user":"x"}'],
    ['{"api_key": 12345678, "n": 1}', '{"api_key": [REDACTED:api-key], "n": 1}'],
    ['{"msg":"{\\"token\\":\\"abc\\"}"}', '{"msg":"{\\"token\\":\\"[REDACTED:token]\\"}"}'],
    ["password='single quoted'", "password='[REDACTED:password]'"],
    ['password=`back ticked`', 'password=`[REDACTED:password]`'],
    ['password="unterminated value\nnext line', 'password="[REDACTED:password]\nnext line'],
    ['token=\\"escaped unterminated\nnext', 'token=\\"[REDACTED:token]\nnext'],
    ['{"password":"a\\\\b"}', '{"password":"[REDACTED:password]"}'],
  ]);
});

t.test('connection strings and query strings stop at their delimiters', async (t) => {
  table(t, [
    [
      'Server=db;User Id=sa;Password=S3cret!;Database=ci',
      'Server=db;User Id=sa;Password=[REDACTED:password];Database=ci',
    ],
    ['Driver={x};Uid=u;Pwd=abc;', 'Driver={x};Uid=u;Pwd=[REDACTED:password];'],
    [
      'GET /cb?code=1&access_token=abc&state=2',
      'GET /cb?code=1&access_token=[REDACTED:token]&state=2',
    ],
    ['token=abc, next=1', 'token=[REDACTED:token], next=1'],
    ['msg="token=abc\\nnext line"', 'msg="token=[REDACTED:token]\\nnext line"'],
  ]);
});

t.test('long flags, with = or a space', async (t) => {
  table(t, [
    ['cli --token=abc --verbose', 'cli --token=[REDACTED:token] --verbose'],
    ['cli --api-key xyz --x', 'cli --api-key [REDACTED:api-key] --x'],
    ['cli --client-secret "two words" next', 'cli --client-secret "[REDACTED:secret]" next'],
    ["cli --password 'x y'", "cli --password '[REDACTED:password]'"],
    [
      'java -Djavax.net.ssl.keyStorePassword=changeit -jar',
      'java -Djavax.net.ssl.keyStorePassword=[REDACTED:password] -jar',
    ],
    ['cli --password --next', 'cli --password --next'],
    [
      'cli --token-file /run/token --password-stdin',
      'cli --token-file /run/token --password-stdin',
    ],
    ['cli --token', 'cli --token'],
    ['a--token x', 'a--token x'],
    [
      'cli --token $GH_TOKEN --password p1 --token t2',
      'cli --token $GH_TOKEN --password [REDACTED:password] --token [REDACTED:token]',
    ],
  ]);
});

t.test('headers keep the scheme; whole-line headers lose the rest of the line', async (t) => {
  table(t, [
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer [REDACTED:authorization]'],
    ['authorization: Basic dXNlcjpwYXNz', 'authorization: Basic [REDACTED:authorization]'],
    ['Authorization: token abc123', 'Authorization: token [REDACTED:authorization]'],
    [
      'Proxy-Authorization: Digest username="a", response="b"',
      'Proxy-Authorization: Digest [REDACTED:authorization]',
    ],
    ['Cookie: a=b; session=c  \r\nHost: x', 'Cookie: [REDACTED:cookie]  \r\nHost: x'],
    ['Set-Cookie: id=abc; Path=/; HttpOnly', 'Set-Cookie: [REDACTED:cookie]'],
    ['X-Api-Key: k123 extra', 'X-Api-Key: [REDACTED:api-key] extra'],
    ['X-Auth-Token: t123', 'X-Auth-Token: [REDACTED:token]'],
    [
      'curl -H "Authorization: Bearer x1" https://api',
      'curl -H "Authorization: Bearer [REDACTED:authorization]" https://api',
    ],
    [
      '{"authorization":"Bearer abc","x":1}',
      '{"authorization":"Bearer [REDACTED:authorization]","x":1}',
    ],
    ['Authorization: Bearer [REDACTED:secret]', 'Authorization: Bearer [REDACTED:secret]'],
  ]);
});

t.test('placeholders and empty values are kept', async (t) => {
  for (const text of [
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'PASSWORD=$DB_PASSWORD',
    'password=$(cat /run/secret)',
    'password=%DB_PASSWORD%',
    'password=<your-password>',
    'password=***',
    'password: null',
    '"token": false',
    'token=[REDACTED:secret]',
    'token=ghp_[REDACTED:github-token]',
    'password=',
    'password=""',
    'password= ',
  ]) {
    t.equal(redact(text), text, text);
  }
});

t.test('benign names, comparisons and other colons are left alone', async (t) => {
  for (const text of [
    'PWD=/home/runner/work OLDPWD=/',
    'tokenCount=5 maxTokens: 100',
    'if (a == b && c != d && e <= f && g >= h) x',
    'key=value cacheKey: npm-linux-abc',
    'https://example.com:8443/path',
    'at 12:00:00.000Z done',
    'std::string token',
    'https://x-access-token:abc@github.com/o/r',
    '::add-mask::value',
    `${'a'.repeat(130)}password=long-name`,
    'password',
  ]) {
    t.equal(redact(text), text, text);
  }
});
