/**
 * Whether a key, flag, header or environment variable name says its value is a secret.
 *
 * @module
 */

/** Whole words that name a secret, with the kind their value is redacted as. */
const SECRET_WORDS: ReadonlyMap<string, string> = new Map([
  ['token', 'token'],
  ['jwt', 'token'],
  ['secret', 'secret'],
  ['secrets', 'secret'],
  ['password', 'password'],
  ['passwords', 'password'],
  ['passwd', 'password'],
  ['pwd', 'password'],
  ['passphrase', 'passphrase'],
  ['credential', 'credential'],
  ['credentials', 'credential'],
  ['creds', 'credential'],
  ['auth', 'authorization'],
  ['authorization', 'authorization'],
  ['bearer', 'authorization'],
  ['cookie', 'cookie'],
  ['cookies', 'cookie'],
  ['apikey', 'api-key'],
  ['privkey', 'private-key'],
  ['sessid', 'session'],
  ['phpsessid', 'session'],
  ['jsessionid', 'session'],
  ['sessionid', 'session'],
  ['sig', 'signature'],
]);

/** Words that are secret only as the last word of a longer name (`DB_PASS`, `GH_PAT`), not alone. */
const TRAILING_SECRET_WORDS: ReadonlyMap<string, string> = new Map([
  ['pass', 'password'],
  ['pat', 'token'],
]);

/** Endings of run-together words (`accesstoken`, `clientsecret`, `dbpassword`). */
const SECRET_SUFFIXES: ReadonlyArray<readonly [suffix: string, kind: string]> = [
  ['token', 'token'],
  ['secret', 'secret'],
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'passphrase'],
  ['credentials', 'credential'],
  ['apikey', 'api-key'],
  ['accesskey', 'access-key'],
  ['secretkey', 'secret-key'],
  ['privatekey', 'private-key'],
  ['signingkey', 'signing-key'],
  ['cookie', 'cookie'],
];

/** Words before `key` that make it a secret key (`api key`, `AccountKey`); `cacheKey`, `key` are not. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'access',
  'account',
  'api',
  'app',
  'client',
  'consumer',
  'deploy',
  'encryption',
  'hmac',
  'license',
  'master',
  'private',
  'root',
  'secret',
  'service',
  'session',
  'shared',
  'signing',
  'ssh',
  'ssl',
  'storage',
  'tls',
  'webhook',
]);

/**
 * Last words that make a name benign even when it mentions a secret: it names where or what the secret
 * is, not the secret (`tokenFile`, `secretName`, `tokenCount`, `expiresAt`, `SSH_AUTH_SOCK`).
 */
const BENIGN_LAST_WORDS: ReadonlySet<string> = new Set([
  'algorithm',
  'alg',
  'arn',
  'at',
  'cmd',
  'command',
  'count',
  'description',
  'dir',
  'directory',
  'disabled',
  'email',
  'enabled',
  'endpoint',
  'env',
  'expiration',
  'expires',
  'expiry',
  'field',
  'file',
  'filename',
  'files',
  'format',
  'helper',
  'hint',
  'host',
  'hostname',
  'id',
  'ids',
  'index',
  'kind',
  'label',
  'len',
  'length',
  'level',
  'limit',
  'location',
  'manager',
  'max',
  'method',
  'min',
  'mode',
  'name',
  'names',
  'path',
  'paths',
  'pattern',
  'permission',
  'permissions',
  'policy',
  'port',
  'prefix',
  'provider',
  'ref',
  'refs',
  'required',
  'scope',
  'scopes',
  'size',
  'sock',
  'socket',
  'source',
  'stdin',
  'strategy',
  'suffix',
  'timeout',
  'ttl',
  'type',
  'types',
  'uri',
  'url',
  'urls',
  'user',
  'username',
  'version',
]);

/**
 * Letter trigrams of which every secret name contains at least one, case-insensitively: each word in
 * {@link SECRET_WORDS}, {@link TRAILING_SECRET_WORDS} and {@link SECRET_SUFFIXES}, and `key`, holds one.
 * A scanner can rule a name out with them before classifying it.
 */
export const SECRET_NAME_TRIGRAMS: readonly string[] = [
  'aut',
  'bea',
  'coo',
  'cre',
  'jwt',
  'key',
  'pas',
  'pat',
  'pwd',
  'sec',
  'ses',
  'sig',
  'tok',
];

/** Exact names that look secret but are not: the shell's working directories. */
const BENIGN_NAMES: ReadonlySet<string> = new Set(['PWD', 'OLDPWD']);

/**
 * Splits a name into lowercase words at camelCase humps, acronym ends and any non-alphanumeric
 * character: `X-Api-Key`, `APIKey`, `api_key` and `apiKey` all give `['api', 'key']` (the first gives
 * `['x', 'api', 'key']`).
 *
 * @param name - any identifier-like text
 * @returns its words, lowercase, in order
 */
export function splitNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function kindOfWord(words: readonly string[], index: number): string | undefined {
  const word = words[index] as string;
  const exact = SECRET_WORDS.get(word);
  if (exact !== undefined) return exact;
  if (index === words.length - 1 && index > 0) {
    const trailing = TRAILING_SECRET_WORDS.get(word);
    if (trailing !== undefined) return trailing;
  }
  if ((word === 'key' || word === 'keys') && index > 0) {
    const qualifier = words[index - 1] as string;
    // AWS_SECRET_ACCESS_KEY, secretAccessKey: the AWS name for the secret half of a key pair.
    if (qualifier === 'access' && words[index - 2] === 'secret') return 'secret-access-key';
    if (KEY_QUALIFIERS.has(qualifier)) return `${qualifier}-key`;
  }
  for (const [suffix, kind] of SECRET_SUFFIXES) {
    if (word.endsWith(suffix)) return kind;
  }
  return undefined;
}

/**
 * The kind of secret a name says its value holds, or `undefined` when the name is not secret.
 *
 * @remarks
 * The name is split into words ({@link splitNameWords}). It is secret when some word, read from the
 * last, is a secret word: `token`, `secret`, `password`/`passwd`/`pwd`, `passphrase`, `credential(s)`,
 * `creds`, `auth`/`authorization`/`bearer`, `cookie`, `jwt`, `sig` (Azure SAS signature), `apikey`,
 * a qualified key (`api key`, `access key`, `private key`, `signing key`, `AccountKey` …), a session id
 * (`sessionId`, `JSESSIONID`), `pass` or `pat` as the last of several words (`DB_PASS`, `GH_PAT`), or a
 * run-together word ending in one of these (`accesstoken`, `clientsecret`). It is benign when the last
 * word says the value is about the secret rather than the secret (`file`, `path`, `name`, `id`,
 * `count`, `type`, `length`, `url`, `env`, `ref`, `hint`, `expires`/`at`, `ttl`, `sock`, `stdin`, …), and
 * for the exact names `PWD` and `OLDPWD`. Plural `tokens` is not secret (token counts such as
 * `maxTokens`), and neither is `dsn` (passwords inside a DSN are caught as URL passwords).
 * The kind is the rightmost secret word's: `AWS_SECRET_ACCESS_KEY` → `secret-access-key`, `clientSecret` →
 * `secret`, `authToken` → `token`.
 *
 * @param name - a key, flag name without dashes, header or variable name, any case style
 * @returns e.g. `'password'`, `'token'`, `'api-key'`; `undefined` when not secret
 */
export function classifySecretName(name: string): string | undefined {
  if (BENIGN_NAMES.has(name)) return undefined;
  const words = splitNameWords(name);
  const last = words.length - 1;
  if (last < 0) return undefined;
  if (words[last] === 'id' && last > 0 && words[last - 1] === 'session') return 'session';
  if (BENIGN_LAST_WORDS.has(words[last] as string)) return undefined;
  for (let index = last; index >= 0; index -= 1) {
    const kind = kindOfWord(words, index);
    if (kind !== undefined) return kind;
  }
  return undefined;
}
