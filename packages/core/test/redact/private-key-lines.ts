import t from 'tap';
import { PrivateKeyLines } from '../../src/redact/private-key-lines.js';
import { Scrubber } from '../../src/redact/scrubber.js';
import { body } from './fixtures/samples.js';

const scrubber = new Scrubber();
const scrub = (text: string): string => scrubber.scrubString(text);

function scrubLines(lines: readonly string[]): string[] {
  const keys = new PrivateKeyLines();
  return lines.map((line) => keys.scrubLine(line, scrub));
}

t.test('every line of a key block seen line by line is redacted', async (t) => {
  t.strictSame(
    scrubLines([
      'writing key:',
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-128-CBC,0123456789ABCDEF',
      '',
      body(64),
      `  ${body(40)}==  `,
      '-----END RSA PRIVATE KEY----- done GITHUB_TOKEN=abc',
      'after',
    ]),
    [
      'writing key:',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '',
      '[REDACTED:private-key]',
      '[REDACTED:private-key]',
      '[REDACTED:private-key] done GITHUB_TOKEN=[REDACTED:token]',
      'after',
    ],
  );
});

t.test('an OpenPGP armored key with its checksum line', async (t) => {
  t.strictSame(
    scrubLines([
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      'Version: GnuPG v2',
      body(64),
      '=AbCd',
      '-----END PGP PRIVATE KEY BLOCK-----',
    ]),
    Array(5).fill('[REDACTED:private-key]'),
  );
});

t.test('a line that is not key material closes the block early', async (t) => {
  const keys = new PrivateKeyLines();
  t.equal(keys.scrubLine('-----BEGIN PRIVATE KEY-----', scrub), '[REDACTED:private-key]');
  t.ok(keys.inside);
  t.equal(keys.scrubLine(body(64), scrub), '[REDACTED:private-key]');
  t.equal(
    keys.scrubLine('npm ERR! something (else) happened', scrub),
    'npm ERR! something (else) happened',
  );
  t.notOk(keys.inside);
});

t.test('a complete block on one line leaves nothing open', async (t) => {
  const keys = new PrivateKeyLines();
  const line = `x -----BEGIN PRIVATE KEY-----${body(30)}-----END PRIVATE KEY----- y`;
  t.equal(keys.scrubLine(line, scrub), 'x [REDACTED:private-key] y');
  t.notOk(keys.inside);
  t.equal(keys.scrubLine('-----BEGIN CERTIFICATE-----', scrub), '-----BEGIN CERTIFICATE-----');
  t.notOk(keys.inside);
});
