import { Buffer } from 'node:buffer';

/**
 * The inner base64 text of `bytes` when they sit at byte offset `alignment` (0, 1 or 2 mod 3) of a
 * longer encoded blob: only the characters whose 6 bits all come from `bytes`, so they are the same
 * whatever surrounds the secret.
 */
function alignedBase64(bytes: Buffer, alignment: number): string {
  const encoded = Buffer.concat([Buffer.alloc(alignment), bytes]).toString('base64');
  const firstChar = Math.ceil((8 * alignment) / 6);
  const endChar = Math.floor((8 * (alignment + bytes.length)) / 6);
  return encoded.slice(firstChar, endChar);
}

function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function urlEncodings(value: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot appear in a URL in encoded form either.
    return [];
  }
  const form = new URLSearchParams([['', value]]).toString().slice(1);
  return [component, component.replace(/%20/g, '+'), form];
}

/** Every encoding of one value, without line splitting. */
function encodingsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  const aligned = [0, 1, 2].map((alignment) => alignedBase64(bytes, alignment));
  const jsonOnce = JSON.stringify(value).slice(1, -1);
  const hex = bytes.toString('hex');
  return [
    value,
    value.trim(),
    base64,
    base64.replace(/=+$/, ''),
    toBase64Url(base64),
    ...aligned,
    ...aligned.map(toBase64Url),
    ...urlEncodings(value),
    jsonOnce,
    JSON.stringify(jsonOnce).slice(1, -1),
    hex,
    hex.toUpperCase(),
  ];
}

/**
 * The forms in which a secret value can show up in logs, including the value itself.
 *
 * @remarks
 * For the value, and for each of its lines (split at `\n`, `\r\n` or `\r`) that is at least
 * `minLength` long:
 * - the value and the value with surrounding whitespace trimmed;
 * - base64 and base64url (RFC 4648 §4, §5) of its UTF-8 bytes, with and without `=` padding, plus the
 *   stable inner text at each of the three byte alignments (the secret embedded at offset 0, 1 or 2
 *   mod 3 of a longer encoded blob: only characters whose bits all come from the secret);
 * - percent-encoded as by `encodeURIComponent`, the same with `+` for space, and
 *   `application/x-www-form-urlencoded` as `URLSearchParams` writes it;
 * - JSON-escaped once and twice (`JSON.stringify` without the quotes, applied twice);
 * - lowercase and uppercase hex of its UTF-8 bytes.
 *
 * Forms shorter than `minLength` are dropped and duplicates removed. Lowercase percent-escapes
 * (`%2f`) are not generated. Cost O(L) per form for a value of L code units.
 *
 * @param value - the raw secret
 * @param minLength - shortest form kept, in UTF-16 code units
 * @returns distinct forms, the raw value first
 */
export function deriveSecretForms(value: string, minLength: number): string[] {
  const forms = new Set<string>(encodingsOf(value));
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      if (line.trim().length >= minLength) for (const form of encodingsOf(line)) forms.add(form);
    }
  }
  return [...forms].filter((form) => form.length >= minLength);
}
