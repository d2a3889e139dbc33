import { Buffer } from 'node:buffer';
import t from 'tap';
import { deriveSecretForms } from '../../src/redact/derive-secret-forms.js';

const SECRET = 'p@ss w0rd/"quoted"+plus';

t.test('the raw value comes first and every form is distinct and long enough', async (t) => {
  const forms = deriveSecretForms(SECRET, 8);
  t.equal(forms[0], SECRET);
  t.equal(new Set(forms).size, forms.length);
  t.ok(forms.every((form) => form.length >= 8));
});

t.test('base64 and base64url are found at every byte alignment, padded or not', async (t) => {
  const forms = deriveSecretForms(SECRET, 8);
  for (let before = 0; before < 6; before += 1) {
    for (let after = 0; after < 4; after += 1) {
      const blob = Buffer.concat([
        Buffer.alloc(before, 0xfe),
        Buffer.from(SECRET),
        Buffer.alloc(after, 0x7f),
      ]);
      for (const encoded of [
        blob.toString('base64'),
        blob.toString('base64').replace(/=+$/, ''),
        blob.toString('base64url'),
      ]) {
        t.ok(
          forms.some((form) => encoded.includes(form)),
          `${before} bytes before, ${after} after: ${encoded}`,
        );
      }
    }
  }
});

t.test('a standalone base64 encoding is covered whole, padding included', async (t) => {
  const forms = deriveSecretForms(SECRET, 8);
  const encoded = Buffer.from(SECRET).toString('base64');
  t.ok(encoded.endsWith('='), 'the sample needs padding');
  t.ok(forms.includes(encoded));
  t.ok(forms.includes(encoded.replace(/=+$/, '')));
});

t.test('URL, form, JSON (once and twice) and hex encodings', async (t) => {
  const forms = deriveSecretForms(SECRET, 8);
  const once = JSON.stringify(SECRET).slice(1, -1);
  const expected = [
    encodeURIComponent(SECRET),
    encodeURIComponent(SECRET).replace(/%20/g, '+'),
    new URLSearchParams({ v: SECRET }).toString().slice(2),
    once,
    JSON.stringify(once).slice(1, -1),
    Buffer.from(SECRET).toString('hex'),
    Buffer.from(SECRET).toString('hex').toUpperCase(),
  ];
  for (const form of expected) t.ok(forms.includes(form), form);
});

t.test('each line of a multi-line value, with its own encodings', async (t) => {
  const value = 'first-line-secret\r\nsecond-line-secret\nshort\rthird-line-secret  ';
  const forms = deriveSecretForms(value, 8);
  for (const line of ['first-line-secret', 'second-line-secret', 'third-line-secret  ']) {
    t.ok(forms.includes(line), line);
    t.ok(forms.includes(Buffer.from(line).toString('base64')), `${line} in base64`);
  }
  t.ok(forms.includes('third-line-secret'), 'lines are trimmed too');
  t.notOk(forms.includes('short'), 'lines shorter than the minimum are dropped');
});

t.test('forms shorter than the minimum are dropped', async (t) => {
  const forms = deriveSecretForms('abcdefgh', 12);
  t.notOk(forms.includes('abcdefgh'));
  t.ok(forms.includes(Buffer.from('abcdefgh').toString('base64')));
});

t.test('a lone surrogate has no URL forms and does not throw', async (t) => {
  const value = 'secret-\ud800-value';
  const forms = deriveSecretForms(value, 8);
  t.equal(forms[0], value);
  t.notOk(forms.some((form) => form.includes('%')));
});
