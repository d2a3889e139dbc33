/**
 * The replacement text written where a secret was: `[REDACTED:<kind>]`.
 *
 * @module
 */

/** Kind used when none is given. */
export const DEFAULT_KIND = 'secret';

/** Longest kind kept, in UTF-16 code units; longer kinds are truncated. */
const MAX_KIND_LENGTH = 64;

/** Every replacement starts with this, so later passes can tell a replacement from text. */
const REDACTION_PREFIX = '[REDACTED:';

/**
 * Makes a caller-supplied kind safe to embed in a replacement.
 *
 * @remarks
 * Characters other than ASCII letters, digits, `_`, `.` and `-` become `-`, and the result is cut to
 * 64 code units. An empty result becomes {@link DEFAULT_KIND}. Case is kept, so an environment
 * variable name such as `NPM_TOKEN` can name its replacement. Never throws.
 *
 * @param kind - e.g. `'db-password'`, `'NPM_TOKEN'`; `undefined` means {@link DEFAULT_KIND}
 * @returns the kind to use in {@link formatRedaction}
 */
export function normalizeKind(kind: string | undefined): string {
  if (kind === undefined) return DEFAULT_KIND;
  const safe = String(kind)
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, MAX_KIND_LENGTH);
  return safe === '' ? DEFAULT_KIND : safe;
}

/**
 * The replacement for a secret of the given kind.
 *
 * @param kind - an already normalized kind (see {@link normalizeKind})
 * @returns `[REDACTED:<kind>]`
 */
export function formatRedaction(kind: string): string {
  return `${REDACTION_PREFIX}${kind}]`;
}

/**
 * Whether a value was already replaced by an earlier pass: a replacement, optionally after the short
 * well-known prefix that token rules keep (`ghp_[REDACTED:github-token]`).
 *
 * @param value - the text found where a secret is expected
 * @returns true when `value` needs no further redaction
 */
export function isRedacted(value: string): boolean {
  return /^[A-Za-z0-9_.-]{0,24}\[REDACTED:[A-Za-z0-9_.-]{1,64}\]$/.test(value);
}
