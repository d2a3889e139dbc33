import t from 'tap';
import { findPrivateKeys } from '../../src/redact/find-private-keys.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';
import { body } from './fixtures/samples.js';

const KEY_BODY = `${body(64)}\n${body(64, undefined, 2)}\n${body(20, undefined, 3)}==`;

function redact(text: string): string {
  const ranges = new RedactionRanges();
  findPrivateKeys(text, ranges);
  return ranges.applyTo(text);
}

t.test('a PEM block is redacted from BEGIN to END, whatever its label', async (t) => {
  for (const label of [
    'RSA PRIVATE KEY',
    'PRIVATE KEY',
    'EC PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
  ]) {
    const pem = `-----BEGIN ${label}-----\n${KEY_BODY}\n-----END ${label}-----`;
    t.equal(redact(`key:\n${pem}\nafter`), 'key:\n[REDACTED:private-key]\nafter', label);
  }
});

t.test('an OpenPGP private key block', async (t) => {
  const block = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${KEY_BODY}\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----`;
  t.equal(redact(block), '[REDACTED:private-key]');
});

t.test('a key inside JSON, with escaped newlines', async (t) => {
  const json = JSON.stringify({
    private_key: `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`,
    client_email: 'ci@example.iam',
  });
  t.equal(
    redact(json),
    '{"private_key":"[REDACTED:private-key]\\n","client_email":"ci@example.iam"}',
  );
});

t.test('a BEGIN line without END is redacted to the end of the text', async (t) => {
  t.equal(
    redact(`before -----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}`),
    'before [REDACTED:private-key]',
  );
});

t.test('several blocks, and public material left alone', async (t) => {
  const pem = (label: string) => `-----BEGIN ${label}-----\n${body(64)}\n-----END ${label}-----`;
  const text = `${pem('PRIVATE KEY')}\n${pem('CERTIFICATE')}\n${pem('PUBLIC KEY')}\n${pem('EC PRIVATE KEY')}`;
  t.equal(
    redact(text),
    `[REDACTED:private-key]\n${pem('CERTIFICATE')}\n${pem('PUBLIC KEY')}\n[REDACTED:private-key]`,
  );
  const unrelatedEnd = `-----BEGIN PRIVATE KEY-----\nabc\n-----END CERTIFICATE-----\nmore`;
  t.equal(
    redact(unrelatedEnd),
    '[REDACTED:private-key]',
    'an END of another label does not close it',
  );
});
