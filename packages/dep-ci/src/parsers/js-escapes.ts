/** One escape sequence of a JavaScript string or template literal. */
const ESCAPE = /\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g;

/** Single-character escapes; any other escaped character stands for itself. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
  '\r': '',
  '\r\n': '',
  '\u2028': '',
  '\u2029': '',
};

/**
 * Decodes the escape sequences of a JavaScript string or template literal's raw text.
 *
 * @param raw - the text between the quotes (or between template delimiters)
 * @returns the cooked value; line continuations disappear, unknown escapes keep their character
 *
 * @remarks O(length of `raw`); returns `raw` itself when it has no backslash.
 * @see {@link https://tc39.es/ecma262/#sec-literals-string-literals}
 */
export function unescapeJs(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(ESCAPE, (_match, escape: string) => {
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) return simple;
    if (escape.length === 1) return escape;
    const hex = escape.startsWith('u{') ? escape.slice(2, -1) : escape.slice(1);
    const codePoint = Number.parseInt(hex, 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : escape;
  });
}
