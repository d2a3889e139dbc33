import type { RedactionRanges } from './redaction-ranges.js';

/** Kind of a redacted private key block. */
export const PRIVATE_KEY_KIND = 'private-key';

/** `-----BEGIN <label> PRIVATE KEY-----`, also `… PRIVATE KEY BLOCK-----` (OpenPGP armor). */
const BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;

/**
 * Where the private key END line that closes a block starting at `from` ends, or -1.
 *
 * @param text - the text to search
 * @param from - offset to search from, in UTF-16 code units
 * @returns the offset just past `-----END … PRIVATE KEY-----`, or -1 when there is none
 */
export function findPrivateKeyEnd(text: string, from: number): number {
  for (let at = text.indexOf('-----END', from); at !== -1; at = text.indexOf('-----END', at + 1)) {
    END.lastIndex = at;
    if (END.test(text)) return END.lastIndex;
  }
  return -1;
}

/**
 * Where the first private key BEGIN line at or after `from` starts, or -1.
 *
 * @param text - the text to search
 * @param from - offset to search from, in UTF-16 code units
 * @returns the offset of `-----BEGIN … PRIVATE KEY-----`, or -1
 */
export function findPrivateKeyBegin(text: string, from: number): number {
  for (
    let at = text.indexOf('-----BEGIN', from);
    at !== -1;
    at = text.indexOf('-----BEGIN', at + 1)
  ) {
    BEGIN.lastIndex = at;
    if (BEGIN.test(text)) return at;
  }
  return -1;
}

/**
 * Adds the span of every PEM or OpenPGP private key block in `text` to `ranges`.
 *
 * @remarks
 * A block runs from `-----BEGIN … PRIVATE KEY-----` to the next `-----END … PRIVATE KEY-----`,
 * whatever lies between (newlines, or `\n` escapes in JSON). A BEGIN line with no END after it is
 * redacted to the end of `text`, since the key body follows it. Cost O(n): `indexOf` for the markers,
 * then a sticky match of bounded length at each.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7468 | RFC 7468 textual encodings (PEM)}
 * @see {@link https://www.rfc-editor.org/rfc/rfc4880#section-6.2 | RFC 4880 §6.2 ASCII armor}
 *
 * @param text - the text to search
 * @param ranges - receives each block's span, kind {@link PRIVATE_KEY_KIND}
 */
export function findPrivateKeys(text: string, ranges: RedactionRanges): void {
  let from = 0;
  for (;;) {
    const begin = findPrivateKeyBegin(text, from);
    if (begin === -1) return;
    const end = findPrivateKeyEnd(text, begin);
    if (end === -1) {
      ranges.add(begin, text.length, PRIVATE_KEY_KIND);
      return;
    }
    ranges.add(begin, end, PRIVATE_KEY_KIND);
    from = end;
  }
}
