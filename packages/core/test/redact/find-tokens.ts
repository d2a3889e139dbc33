import { Buffer } from 'node:buffer';
import t from 'tap';
import { findTokens } from '../../src/redact/find-tokens.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';
import { TOKEN_RULES } from '../../src/redact/token-rules.js';
import { ALNUM, BASE64URL, LOWER_HEX, UPPER_ALNUM, body, token } from './fixtures/samples.js';

function redact(text: string): string {
  const ranges = new RedactionRanges();
  findTokens(text, ranges);
  return ranges.applyTo(text);
}

const jwtPart = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: '1234567890', iat: 1 })}.${body(43, BASE64URL)}`;

/** [kind, token, kept prefix] */
const SAMPLES: Array<[string, string, string]> = [
  ['github-token', token('ghp_', 36), 'ghp_'],
  ['github-token', token('gho_', 36), 'gho_'],
  ['github-token', token('ghu_', 36), 'ghu_'],
  ['github-token', token('ghs_', 36), 'ghs_'],
  ['github-token', token('ghr_', 36), 'ghr_'],
  ['github-token', token('github_pat_', 82, `${ALNUM}_`), 'github_pat_'],
  ['aws-access-key-id', token('AKIA', 16, UPPER_ALNUM), 'AKIA'],
  ['aws-access-key-id', token('ASIA', 16, UPPER_ALNUM), 'ASIA'],
  ['slack-token', `xoxb-1234567890-1234567890-${body(24)}`, 'xoxb-'],
  ['slack-token', `xoxp-1234567890-${body(32)}`, 'xoxp-'],
  ['slack-token', `xoxe.xoxp-1-${body(40)}`, 'xoxe.xoxp-'],
  ['slack-token', `xapp-1-A012-${body(30)}`, 'xapp-'],
  ['stripe-key', token('sk_live_', 24), 'sk_live_'],
  ['stripe-key', token('rk_test_', 24), 'rk_test_'],
  ['stripe-webhook-secret', token('whsec_', 32), 'whsec_'],
  ['google-api-key', token('AIza', 35, BASE64URL), 'AIza'],
  ['npm-token', token('npm_', 36), 'npm_'],
  ['jwt', JWT, ''],
  ['gitlab-token', token('glpat-', 20, BASE64URL), 'glpat-'],
  ['gitlab-token', token('glrt-', 24), 'glrt-'],
  ['openai-api-key', token('sk-proj-', 48, BASE64URL), 'sk-proj-'],
  ['openai-api-key', token('sk-', 48), 'sk-'],
  ['anthropic-api-key', `sk-ant-api03-${body(93, BASE64URL)}`, 'sk-ant-'],
  ['twilio-api-key', token('SK', 32, LOWER_HEX), 'SK'],
  ['sendgrid-api-key', `SG.${body(22, BASE64URL)}.${body(43, BASE64URL, 9)}`, 'SG.'],
  ['heroku-api-key', token('HRKU-AA', 58, BASE64URL), 'HRKU-'],
  ['digitalocean-token', token('dop_v1_', 64, LOWER_HEX), 'dop_v1_'],
  ['shopify-token', token('shpat_', 32, LOWER_HEX), 'shpat_'],
  ['pypi-token', token('pypi-AgEIcHlwaS5vcmc', 70, BASE64URL), 'pypi-'],
  ['dockerhub-token', token('dckr_pat_', 27, BASE64URL), 'dckr_pat_'],
  ['vault-token', token('hvs.', 90, BASE64URL), 'hvs.'],
  [
    'huggingface-token',
    token('hf_', 34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    'hf_',
  ],
  ['databricks-token', token('dapi', 32, '0123456789abcdefgh'), 'dapi'],
  ['sentry-token', token('sntrys_eyJ', 80, ALNUM), 'sntrys_'],
  ['sentry-token', token('sntryu_', 64, LOWER_HEX), 'sntryu_'],
  ['newrelic-key', token('NRAK-', 27, UPPER_ALNUM), 'NRAK-'],
  ['linear-api-key', token('lin_api_', 40), 'lin_api_'],
  ['postman-api-key', `PMAK-${body(24, LOWER_HEX)}-${body(34, LOWER_HEX, 3)}`, 'PMAK-'],
  ['grafana-token', `glsa_${body(32)}_${body(8, LOWER_HEX)}`, 'glsa_'],
  ['grafana-token', token('glc_', 60), 'glc_'],
  ['square-token', token('sq0atp-', 22, BASE64URL), 'sq0atp-'],
  [
    'age-secret-key',
    token('AGE-SECRET-KEY-1', 58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'),
    'AGE-SECRET-KEY-1',
  ],
  ['pulumi-token', token('pul-', 40, LOWER_HEX), 'pul-'],
  ['supabase-token', token('sbp_', 40, LOWER_HEX), 'sbp_'],
  ['figma-token', token('figd_', 40, BASE64URL), 'figd_'],
  ['buildkite-token', token('bkua_', 40, LOWER_HEX), 'bkua_'],
  ['circleci-token', token('CCIPAT_', 40, `${ALNUM}_`), 'CCIPAT_'],
  ['doppler-token', token('dp.st.', 43), 'dp.st.'],
  ['terraform-token', `${body(14)}.atlasv1.${body(64, BASE64URL)}`, 'atlasv1.'],
  ['mailgun-key', token('key-', 32, LOWER_HEX), 'key-'],
];

t.test('every known format is redacted whole, keeping only its well-known prefix', async (t) => {
  for (const [kind, sample, kept] of SAMPLES) {
    const out = redact(`use ${sample} now`);
    const keptText =
      kind === 'terraform-token' ? sample.slice(0, sample.indexOf('atlasv1.') + 8) : kept;
    t.equal(out, `use ${keptText}[REDACTED:${kind}] now`, kind);
  }
});

t.test('every rule is exercised by a sample', async (t) => {
  const kinds = new Set(SAMPLES.map(([kind]) => kind));
  for (const rule of TOKEN_RULES) t.ok(kinds.has(rule.kind), rule.kind);
});

t.test('a prefix inside a longer identifier does not fire', async (t) => {
  for (const [kind, sample, kept] of SAMPLES) {
    // These hold a second prefix after a `.`, which is rightly tried on its own.
    if (kind === 'terraform-token' || kept === 'xoxe.xoxp-') continue;
    for (const text of [`x${sample}`, `my_${sample}`])
      t.equal(redact(text), text, `${kind}: ${text.slice(0, 12)}`);
  }
});

t.test('a body longer than the format allows is not a token', async (t) => {
  for (const text of [
    token('AKIA', 17, UPPER_ALNUM),
    token('npm_', 37),
    token('SK', 33, LOWER_HEX),
    token('shpat_', 33, LOWER_HEX),
  ]) {
    t.equal(redact(text), text, text.slice(0, 8));
  }
});

t.test('tokens after -, ., + or / and in runs of any length before them', async (t) => {
  const sample = token('ghp_', 36);
  for (const separator of ['-', '.', '+', '/', ' ', '=', '"']) {
    for (let length = 0; length < 40; length += 1) {
      const text = `${'a'.repeat(length)}${separator}${sample}`;
      t.equal(
        redact(text),
        `${'a'.repeat(length)}${separator}ghp_[REDACTED:github-token]`,
        `${JSON.stringify(separator)} after ${length}`,
      );
    }
  }
});

t.test('several tokens in one run, and a body that runs past it', async (t) => {
  const npm = token('npm_', 36);
  const gh = token('ghp_', 36, ALNUM, 3);
  t.equal(redact(`${npm}.${gh}`), 'npm_[REDACTED:npm-token].ghp_[REDACTED:github-token]');
  const webhookSecret = `whsec_${body(20)}/${body(10)}==`;
  t.equal(redact(`${webhookSecret} end`), 'whsec_[REDACTED:stripe-webhook-secret] end');
});

t.test('short texts, long runs without tokens and non-ASCII text are left alone', async (t) => {
  for (const text of [
    'short',
    body(200, LOWER_HEX),
    `${'x'.repeat(30)}-${'y'.repeat(30)}.${'z'.repeat(30)}`,
    'ünïcödé-wörds-thät-are-long-enough ☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃☃',
    'sk-short and SKIP_THIS_ENVIRONMENT_VARIABLE',
    'a-run-of-token-characters-gé and one ending in a single letter-g',
  ]) {
    t.equal(redact(text), text);
  }
});
