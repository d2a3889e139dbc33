import t from 'tap';
import {
  DEFAULT_KIND,
  formatRedaction,
  isRedacted,
  normalizeKind,
} from '../../src/redact/format-redaction.js';

t.test('formats the replacement with its kind', async (t) => {
  t.equal(formatRedaction('db-password'), '[REDACTED:db-password]');
});

t.test('normalizes kinds: default, unsafe characters, length, case kept', async (t) => {
  t.equal(normalizeKind(undefined), DEFAULT_KIND);
  t.equal(normalizeKind(''), DEFAULT_KIND);
  t.equal(normalizeKind('NPM_TOKEN'), 'NPM_TOKEN');
  t.equal(normalizeKind('a]b[c d'), 'a-b-c-d');
  t.equal(normalizeKind('x'.repeat(100)).length, 64);
});

t.test('recognizes earlier replacements, alone or after a kept prefix', async (t) => {
  t.ok(isRedacted('[REDACTED:secret]'));
  t.ok(isRedacted('ghp_[REDACTED:github-token]'));
  t.notOk(isRedacted('abc[REDACTED:secret]def'));
  t.notOk(isRedacted('hunter2'));
});
