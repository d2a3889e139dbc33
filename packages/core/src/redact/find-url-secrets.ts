import { isRedacted } from './format-redaction.js';
import type { RedactionRanges } from './redaction-ranges.js';

/** Kind of a password found in a URL's user information. */
const URL_PASSWORD_KIND = 'password';

/** A URL whose path, after a fixed host and path prefix, is a credential. */
interface WebhookRule {
  /** Names the replacement. */
  readonly kind: string;
  /** What follows `://`; kept. */
  readonly prefix: string;
  /** The credential path after the prefix, sticky; every repetition bounded. */
  readonly path: RegExp;
}

/**
 * Webhook URLs that are secrets themselves.
 *
 * @see {@link https://api.slack.com/messaging/webhooks | Slack incoming webhooks}
 * @see {@link https://discord.com/developers/docs/resources/webhook | Discord webhooks}
 */
const WEBHOOK_RULES: readonly WebhookRule[] = [
  {
    kind: 'slack-webhook',
    prefix: 'hooks.slack.com/',
    path: /(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,250}/y,
  },
  {
    kind: 'discord-webhook',
    prefix: 'discord.com/api/webhooks/',
    path: /[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}/y,
  },
  {
    kind: 'discord-webhook',
    prefix: 'discordapp.com/api/webhooks/',
    path: /[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}/y,
  },
];

/** Characters that end a URL's authority (RFC 3986 §3.2), plus quotes and brackets that end a URL in text. */
const AUTHORITY_END = new Uint8Array(128);
for (const char of ' \t\n\r\f\v/?#"\'<>`\\') AUTHORITY_END[char.charCodeAt(0)] = 1;

const SCHEME_LAST_CHAR = /[A-Za-z0-9+.-]/;

/** Records a webhook credential path starting at `afterScheme`; returns whether there was one. */
function findWebhook(text: string, afterScheme: number, ranges: RedactionRanges): boolean {
  for (const { kind, prefix, path } of WEBHOOK_RULES) {
    if (!text.startsWith(prefix, afterScheme)) continue;
    path.lastIndex = afterScheme + prefix.length;
    if (path.test(text)) {
      ranges.add(afterScheme + prefix.length, path.lastIndex, kind);
      return true;
    }
  }
  return false;
}

/** Records the password in the authority starting at `start`. */
function findPassword(text: string, start: number, ranges: RedactionRanges): void {
  const n = text.length;
  let end = start;
  let lastAt = -1;
  let colon = -1;
  for (; end < n; end += 1) {
    const code = text.charCodeAt(end);
    if (code < 128 && AUTHORITY_END[code] === 1) break;
    if (code === 64) lastAt = end;
    else if (code === 58 && colon === -1) colon = end;
  }
  if (lastAt !== -1 && colon !== -1 && colon + 1 < lastAt) {
    if (!isRedacted(text.slice(colon + 1, lastAt)))
      ranges.add(colon + 1, lastAt, URL_PASSWORD_KIND);
  }
}

/**
 * Adds the secret parts of URLs in `text` to `ranges`: passwords in user information and webhook
 * credentials.
 *
 * @remarks
 * For each `://` preceded by a scheme character:
 * - a Slack (`hooks.slack.com/services/…`) or Discord (`discord.com/api/webhooks/…`) webhook keeps
 *   its host and loses its credential path: `https://hooks.slack.com/[REDACTED:slack-webhook]`;
 * - otherwise the authority runs to the first `/`, `?`, `#`, whitespace, quote, backtick, `<`, `>`
 *   or `\`. When it holds an `@`, the user information is the text before the last `@` (so an unescaped
 *   `@` inside a password is still covered), and the password is what follows its first `:`. Scheme,
 *   user and host are kept: `postgres://app:[REDACTED:password]@db`. A user without a password
 *   (`https://token@host`) is left to the token and secret passes.
 *
 * Secret query parameters (`?access_token=…`) are found by {@link findNamedValues}. Authorities never
 * overlap, so the cost is O(n).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1 | RFC 3986 §3.2.1 user information}
 *
 * @param text - the text to search
 * @param ranges - receives each secret's span
 */
export function findUrlSecrets(text: string, ranges: RedactionRanges): void {
  for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 3)) {
    if (sep === 0 || !SCHEME_LAST_CHAR.test(text.charAt(sep - 1))) continue;
    if (!findWebhook(text, sep + 3, ranges)) findPassword(text, sep + 3, ranges);
  }
}
