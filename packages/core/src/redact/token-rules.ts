/**
 * Known secret token formats: each is a well-known prefix followed by a body of fixed alphabet.
 *
 * @module
 */

/** One token format. */
export interface TokenRule {
  /** Names the replacement, e.g. `github-token`. */
  readonly kind: string;
  /**
   * Literal prefixes a token of this format starts with: a scan position is routed to this rule by its
   * first two characters, and the pattern only runs where one of them is present. Each is at least two
   * ASCII characters.
   */
  readonly prefixes: readonly string[];
  /**
   * Matches one whole token, at least 16 characters long (see {@link findTokens}), at `lastIndex`
   * (sticky). Group 1, when present, is the well-known prefix
   * kept in front of the replacement (`ghp_[REDACTED:github-token]`); the rest, to the token's end, is
   * replaced. Every repetition is bounded, so a failed attempt costs at most the longest token.
   */
  readonly pattern: RegExp;
}

/** Token tails end where no further body character follows. */
const END = '(?![A-Za-z0-9_])';
/** The same, for bodies that may contain `-`. */
const END_DASH = '(?![A-Za-z0-9_-])';

function rule(kind: string, prefixes: readonly string[], source: string): TokenRule {
  return { kind, prefixes, pattern: new RegExp(source, 'y') };
}

/**
 * Every known token format.
 *
 * @remarks
 * Bodies follow the gitleaks rules and GitHub's secret scanning partner patterns, with lengths kept
 * inside each vendor's documented range. The scanner ({@link findTokens}) only tries a rule at the
 * start of a run of token characters or right after `-`, `.` or `+` inside one, so a prefix inside a
 * longer identifier (`xghp_…`, `my_ghp_…`, `risk-…`) does not fire. Private key blocks are handled by
 * {@link findPrivateKeys}, webhook URLs by {@link findUrlSecrets}.
 *
 * @see {@link https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml | gitleaks rules}
 * @see {@link https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns | GitHub secret scanning patterns}
 */
export const TOKEN_RULES: readonly TokenRule[] = [
  rule(
    'github-token',
    ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    `(gh[pousr]_)[A-Za-z0-9]{36,251}${END}`,
  ),
  rule('github-token', ['github_pat_'], `(github_pat_)[A-Za-z0-9_]{40,244}${END}`),
  rule(
    'aws-access-key-id',
    ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    `(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}${END}`,
  ),
  rule('slack-token', ['xox'], `(xox[bparse]-)[A-Za-z0-9-]{20,250}${END_DASH}`),
  rule('slack-token', ['xoxe.'], `(xoxe\\.xox[bp]-)[A-Za-z0-9-]{10,250}${END_DASH}`),
  rule('slack-token', ['xapp-'], `(xapp-)[0-9]-[A-Za-z0-9-]{10,250}${END_DASH}`),
  rule(
    'stripe-key',
    ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    `([sr]k_(?:live|test)_)[A-Za-z0-9]{10,247}${END}`,
  ),
  rule('stripe-webhook-secret', ['whsec_'], `(whsec_)[A-Za-z0-9+/]{24,100}={0,2}`),
  rule('google-api-key', ['AIza'], `(AIza)[A-Za-z0-9_-]{35}${END_DASH}`),
  rule('npm-token', ['npm_'], `(npm_)[A-Za-z0-9]{36}${END}`),
  rule(
    'jwt',
    ['eyJ'],
    `eyJ[A-Za-z0-9_-]{12,4096}\\.[A-Za-z0-9_-]{2,32768}\\.[A-Za-z0-9_-]{0,2048}(?:\\.[A-Za-z0-9_-]{0,32768}){0,2}${END_DASH}`,
  ),
  rule(
    'gitlab-token',
    [
      'glpat-',
      'gldt-',
      'glrt-',
      'glptt-',
      'glcbt-',
      'glft-',
      'glimt-',
      'glsoat-',
      'gloas-',
      'glagent-',
    ],
    `(gl(?:pat|dt|rt|ptt|cbt|ft|imt|soat|oas|agent)-)[A-Za-z0-9_-]{20,250}${END_DASH}`,
  ),
  rule(
    'openai-api-key',
    ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    `(sk-(?:proj|svcacct|admin)-)[A-Za-z0-9_-]{20,300}${END_DASH}`,
  ),
  rule('openai-api-key', ['sk-'], `(sk-)[A-Za-z0-9]{40,200}${END_DASH}`),
  rule(
    'anthropic-api-key',
    ['sk-ant-'],
    `(sk-ant-)(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_-]{20,300}${END_DASH}`,
  ),
  rule('twilio-api-key', ['SK'], `(SK)[0-9a-fA-F]{32}${END}`),
  rule('sendgrid-api-key', ['SG.'], `(SG\\.)[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${END_DASH}`),
  rule('heroku-api-key', ['HRKU-'], `(HRKU-)[A-Za-z0-9_-]{20,100}${END_DASH}`),
  rule('digitalocean-token', ['dop_v1_', 'doo_v1_', 'dor_v1_'], `(do[por]_v1_)[a-f0-9]{64}${END}`),
  rule(
    'shopify-token',
    ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    `(shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}${END}`,
  ),
  rule('pypi-token', ['pypi-'], `(pypi-)AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}${END_DASH}`),
  rule(
    'dockerhub-token',
    ['dckr_pat_', 'dckr_oat_'],
    `(dckr_(?:pat|oat)_)[A-Za-z0-9_-]{24,100}${END_DASH}`,
  ),
  rule('vault-token', ['hvs.', 'hvb.', 'hvr.'], `(hv[sbr]\\.)[A-Za-z0-9_-]{24,300}${END_DASH}`),
  rule('huggingface-token', ['hf_'], `(hf_)[A-Za-z]{34}${END}`),
  rule('databricks-token', ['dapi'], `(dapi)[a-h0-9]{32}(?:-[0-9])?${END}`),
  rule('sentry-token', ['sntrys_'], `(sntrys_)eyJ[A-Za-z0-9_+/=]{30,400}`),
  rule('sentry-token', ['sntryu_'], `(sntryu_)[a-f0-9]{64}${END}`),
  rule('newrelic-key', ['NRAK-'], `(NRAK-)[A-Z0-9]{27}${END}`),
  rule('linear-api-key', ['lin_api_'], `(lin_api_)[A-Za-z0-9]{40}${END}`),
  rule('postman-api-key', ['PMAK-'], `(PMAK-)[a-f0-9]{24}-[a-f0-9]{34}${END}`),
  rule('grafana-token', ['glsa_'], `(glsa_)[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${END}`),
  rule('grafana-token', ['glc_'], `(glc_)[A-Za-z0-9+/]{32,400}={0,2}`),
  rule('square-token', ['sq0atp-', 'sq0csp-'], `(sq0(?:atp|csp)-)[A-Za-z0-9_-]{22,60}${END_DASH}`),
  rule(
    'age-secret-key',
    ['AGE-SECRET-KEY-1'],
    `(AGE-SECRET-KEY-1)[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}${END}`,
  ),
  rule('pulumi-token', ['pul-'], `(pul-)[a-f0-9]{40}${END}`),
  rule('supabase-token', ['sbp_'], `(sbp_)[a-f0-9]{40}${END}`),
  rule('figma-token', ['figd_'], `(figd_)[A-Za-z0-9_-]{40,100}${END_DASH}`),
  rule('buildkite-token', ['bkua_'], `(bkua_)[a-f0-9]{40}${END}`),
  rule('circleci-token', ['CCIPAT_'], `(CCIPAT_)[A-Za-z0-9_]{30,100}${END}`),
  rule(
    'doppler-token',
    ['dp.'],
    `(dp\\.(?:st|pt|ct|sa|scim|audit)\\.)[A-Za-z0-9_.-]{40,200}${END_DASH}`,
  ),
  rule('terraform-token', ['atlasv1.'], `(atlasv1\\.)[A-Za-z0-9_=-]{60,70}${END_DASH}`),
  rule('mailgun-key', ['key-'], `(key-)[a-f0-9]{32}${END}`),
];
