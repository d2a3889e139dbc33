import { SECRET_NAME_TRIGRAMS } from './classify-secret-name.js';
import { isRedacted } from './format-redaction.js';
import type { RedactionRanges } from './redaction-ranges.js';

/**
 * Tells whether a name is secret: the kind its value is redacted as, or `undefined` when it is not.
 * Receives names without leading dashes, e.g. `token`, `DB_PASSWORD`, `X-Api-Key`.
 */
export type SecretNameKind = (name: string) => string | undefined;

/** Longest name considered, in UTF-16 code units. */
const MAX_NAME_LENGTH = 128;
/** Most spaces or tabs allowed around a separator. */
const MAX_GAP = 16;

const CODE = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  bang: 33,
  dquote: 34,
  dollar: 36,
  squote: 39,
  dash: 45,
  colon: 58,
  lt: 60,
  eq: 61,
  gt: 62,
  backslash: 92,
  underscore: 95,
  backtick: 96,
  slash: 47,
} as const;

const NAME_CHARS = new Uint8Array(128);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-') {
  NAME_CHARS[char.charCodeAt(0)] = 1;
}
/** Characters that end an unquoted value. */
const VALUE_END = new Uint8Array(128);
for (const char of ' \t\n\r\f\v"\'`;,&') VALUE_END[char.charCodeAt(0)] = 1;

/** Headers whose whole value (to the end of the line) is a credential. */
const WHOLE_LINE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

/** An HTTP authentication scheme word kept in front of the redacted credentials. */
const AUTH_SCHEME =
  /(?:bearer|basic|digest|token|bot|oauth|negotiate|ntlm|aws4-hmac-sha256|sharedkey|ssws|apikey|key)[ \t]+/iy;

/** Values that are references or placeholders, not secrets. */
const PLACEHOLDER = /^(?:\$\{|\$\(|\$[A-Z_]|%[A-Za-z_][A-Za-z0-9_]*%$|<[^<>]*>$|\*+$)/;
const LITERALS: ReadonlySet<string> = new Set([
  'null',
  'undefined',
  'true',
  'false',
  'none',
  'nil',
  'NULL',
  'None',
  'True',
  'False',
]);

/** {@link SECRET_NAME_TRIGRAMS} by `a * 676 + b * 26 + c`, letters numbered from 0. */
const TRIGRAMS = new Uint8Array(26 * 26 * 26);
for (const trigram of SECRET_NAME_TRIGRAMS) {
  const [a, b, c] = [...trigram].map((char) => char.charCodeAt(0) - 97) as [number, number, number];
  TRIGRAMS[a * 676 + b * 26 + c] = 1;
}

function isNameChar(code: number): boolean {
  return code < 128 && NAME_CHARS[code] === 1;
}

function isGap(code: number): boolean {
  return code === CODE.space || code === CODE.tab;
}

function isLetterOrUnderscore(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === CODE.underscore;
}

function skipGap(text: string, from: number): number {
  let at = from;
  while (at < text.length && at - from < MAX_GAP && isGap(text.charCodeAt(at))) at += 1;
  return at;
}

/** The first line break (or `quote`) at or after `from`, or `limit` when there is none before it. */
function lineEnd(text: string, from: number, quote: number, limit = text.length): number {
  let at = from;
  for (; at < limit; at += 1) {
    const code = text.charCodeAt(at);
    if (code === CODE.lf || code === CODE.cr || code === quote) break;
  }
  return at;
}

/** A value's span, and where scanning resumes after it (past a closing quote). */
interface ValueSpan {
  start: number;
  end: number;
  next: number;
}

/** Reads a quoted or bare value starting at `at`; never reads past the end of the line. */
function readValue(text: string, at: number): ValueSpan {
  const n = text.length;
  const first = text.charCodeAt(at);
  if (first === CODE.dquote) {
    let end = at + 1;
    for (; end < n; end += 1) {
      const code = text.charCodeAt(end);
      if (code === CODE.backslash) end += 1;
      else if (code === CODE.dquote || code === CODE.lf || code === CODE.cr) break;
    }
    end = Math.min(end, n);
    return { start: at + 1, end, next: end + 1 };
  }
  if (first === CODE.backslash && text.charCodeAt(at + 1) === CODE.dquote) {
    // Look for the closing `\"` first: scanning to the end of the line for every opening one would be
    // quadratic on a long line full of them.
    const close = text.indexOf('\\"', at + 2);
    const eol = lineEnd(text, at + 2, -1, close === -1 ? n : close);
    return eol < close || close === -1
      ? { start: at + 2, end: eol, next: eol }
      : { start: at + 2, end: close, next: close + 2 };
  }
  if (first === CODE.squote || first === CODE.backtick) {
    const end = lineEnd(text, at + 1, first);
    return { start: at + 1, end, next: end + 1 };
  }
  let end = at;
  for (; end < n; end += 1) {
    const code = text.charCodeAt(end);
    if (code < 128 && VALUE_END[code] === 1) break;
    if (code === CODE.backslash && /[nrt"']/.test(text.charAt(end + 1))) break;
  }
  return { start: at, end, next: end };
}

/** Where the credentials start: after an authentication scheme word at `at`, if there is one before `end`. */
function skipAuthScheme(text: string, at: number, end: number): number {
  AUTH_SCHEME.lastIndex = at;
  return AUTH_SCHEME.test(text) && AUTH_SCHEME.lastIndex < end ? AUTH_SCHEME.lastIndex : at;
}

function isPlaceholder(value: string): boolean {
  return LITERALS.has(value) || PLACEHOLDER.test(value) || isRedacted(value);
}

/**
 * Records the value after a secret name, keeping an authentication scheme word in front of it.
 *
 * @returns where scanning resumes: after the value, also when it was a placeholder and kept (so no
 *   character is read twice)
 */
function redactValue(
  text: string,
  at: number,
  kind: string,
  wholeLineUntil: number | undefined,
  ranges: RedactionRanges,
): number {
  const authorization = kind === 'authorization';
  // The scheme is skipped before a bare value (which would end at its space) and inside a quoted one.
  const start = authorization ? skipAuthScheme(text, at, text.length) : at;
  let span: ValueSpan;
  if (wholeLineUntil === undefined) {
    span = readValue(text, start);
  } else {
    let end = lineEnd(text, start, wholeLineUntil);
    while (end > start && isGap(text.charCodeAt(end - 1))) end -= 1;
    span = { start, end, next: end };
  }
  if (authorization) span.start = skipAuthScheme(text, span.start, span.end);
  if (span.end > span.start && !isPlaceholder(text.slice(span.start, span.end))) {
    ranges.add(span.start, span.end, kind);
  }
  return span.next;
}

/**
 * Handles the `=` or `:` at `sep`: if the name before it is secret, records the value after it.
 *
 * @returns where scanning resumes (after the value), or -1 when there is no secret name before `sep`
 */
function redactAtSeparator(
  text: string,
  sep: number,
  nameKind: SecretNameKind,
  ranges: RedactionRanges,
): number {
  const sepCode = text.charCodeAt(sep);
  const next = text.charCodeAt(sep + 1);
  let valueAt = sep + 1;
  if (sepCode === CODE.colon) {
    if (next === CODE.colon || (next === CODE.slash && text.charCodeAt(sep + 2) === CODE.slash)) {
      return -1;
    }
    if (next === CODE.eq) valueAt += 1;
  } else {
    const prev = text.charCodeAt(sep - 1);
    if (next === CODE.eq || prev === CODE.eq || prev === CODE.bang || prev === CODE.colon)
      return -1;
    if (prev === CODE.lt || prev === CODE.gt) return -1;
    if (next === CODE.gt) valueAt += 1;
  }
  let nameEnd = sep;
  for (let gap = 0; gap < MAX_GAP && nameEnd > 0 && isGap(text.charCodeAt(nameEnd - 1)); gap += 1) {
    nameEnd -= 1;
  }
  const quote = text.charCodeAt(nameEnd - 1);
  const quoted = quote === CODE.dquote || quote === CODE.squote;
  if (quoted) {
    nameEnd -= 1;
    if (text.charCodeAt(nameEnd - 1) === CODE.backslash) nameEnd -= 1;
  }
  let nameStart = nameEnd;
  // Reading backwards, `second` and `third` are the two letters after the current one (-1: none).
  let second = -1;
  let third = -1;
  let mayBeSecret = false;
  for (
    let code = text.charCodeAt(nameStart - 1);
    isNameChar(code);
    code = text.charCodeAt(nameStart - 1)
  ) {
    nameStart -= 1;
    if (nameEnd - nameStart > MAX_NAME_LENGTH) return -1;
    const letter = (code | 32) - 97;
    if (letter >= 0 && letter < 26) {
      if (third >= 0 && TRIGRAMS[letter * 676 + second * 26 + third] === 1) mayBeSecret = true;
      third = second;
      second = letter;
    } else {
      second = -1;
      third = -1;
    }
  }
  // Most names are ruled out here, before any string is allocated.
  if (!mayBeSecret) return -1;
  while (text.charCodeAt(nameStart) === CODE.dash) nameStart += 1;
  if (!isLetterOrUnderscore(text.charCodeAt(nameStart))) return -1;
  // `scheme://user:password@host`: the user is no setting name; findUrlSecrets takes the password.
  if (sepCode === CODE.colon && text.startsWith('//', nameStart - 2)) return -1;
  const name = text.slice(nameStart, nameEnd);
  const kind = nameKind(name);
  if (kind === undefined) return -1;
  const valueStart = skipGap(text, valueAt);
  let wholeLineUntil: number | undefined;
  if (sepCode === CODE.colon && !quoted && WHOLE_LINE_HEADERS.has(name.toLowerCase())) {
    // A header inside a quoted argument (`-H "Authorization: Bearer x"`) ends at that quote.
    const before = text.charCodeAt(nameStart - 1);
    wholeLineUntil = before === CODE.dquote || before === CODE.squote ? before : -1;
  }
  return redactValue(text, valueStart, kind, wholeLineUntil, ranges);
}

/**
 * Adds the value after every secret long flag written with a space, `--NAME value`, to `ranges`.
 *
 * @remarks
 * The value must not start with `-` (it would be the next flag). Visits each `--` once; O(n).
 *
 * @param text - the text to search
 * @param nameKind - classifies flag names (without dashes)
 * @param ranges - receives each value's span, named by the flag's kind
 * @param from - offset of the first `--` in `text` (`text.indexOf('--')`), or -1 when there is none
 */
export function findSpacedFlagValues(
  text: string,
  nameKind: SecretNameKind,
  ranges: RedactionRanges,
  from: number,
): void {
  const n = text.length;
  for (let at = from; at !== -1; at = text.indexOf('--', at + 2)) {
    if (at > 0 && isNameChar(text.charCodeAt(at - 1))) continue;
    const nameStart = at + 2;
    if (!isLetterOrUnderscore(text.charCodeAt(nameStart))) continue;
    let nameEnd = nameStart;
    while (
      nameEnd < n &&
      nameEnd - nameStart < MAX_NAME_LENGTH &&
      isNameChar(text.charCodeAt(nameEnd))
    ) {
      nameEnd += 1;
    }
    if (!isGap(text.charCodeAt(nameEnd))) continue;
    const valueStart = skipGap(text, nameEnd);
    if (valueStart >= n || text.charCodeAt(valueStart) === CODE.dash) continue;
    const kind = nameKind(text.slice(nameStart, nameEnd));
    if (kind === undefined) continue;
    const resume = redactValue(text, valueStart, kind, undefined, ranges);
    if (resume > at + 2) at = resume - 2;
  }
}

/**
 * Adds the value of every secret-named setting written with `=` or `:` in `text` to `ranges`.
 *
 * @remarks
 * Recognised shapes, where NAME is secret by `nameKind`:
 * - `NAME=value`, `export NAME=value`, `NAME: value`, `NAME := value`, `NAME => value`, `"NAME": "value"`,
 *   `\"NAME\":\"value\"` (JSON inside JSON), `?access_token=value&…`, `Password=value;` in connection
 *   strings, and flags `--NAME=value` / `-DNAME=value`;
 * - headers: `Authorization: Bearer x`, `Proxy-Authorization: Basic x`, `X-Api-Key: x`, `Cookie: …`.
 *   `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie` lose everything to the end of the
 *   line (or to the closing quote when the header sits inside a quoted argument).
 *
 * An authentication scheme word (`Bearer`, `Basic`, `token`, …) after an authorization name is kept.
 * A quoted value ends at its closing quote (or the end of the line); a bare value ends at whitespace,
 * a quote, `;`, `,`, `&`, or a `\n`-style escape. Placeholders are kept: `${…}`, `$(…)`, `$UPPER`,
 * `%VAR%`, `<…>`, `***`, `null`/`true`/`false`/`none`, and values already redacted.
 *
 * Each `=` and `:` is visited once: the name is read backwards from it (at most 128 characters), the
 * value forwards, and scanning resumes after a redacted value. O(n).
 *
 * @param text - the text to search
 * @param nameKind - classifies names (see {@link classifySecretName})
 * @param ranges - receives each value's span, named by the name's kind
 * @param firstEq - `text.indexOf('=')`
 * @param firstColon - `text.indexOf(':')`
 */
export function findNamedValues(
  text: string,
  nameKind: SecretNameKind,
  ranges: RedactionRanges,
  firstEq: number,
  firstColon: number,
): void {
  let eq = firstEq;
  let colon = firstColon;
  while (eq !== -1 || colon !== -1) {
    const sep = colon !== -1 && (eq === -1 || colon < eq) ? colon : eq;
    const resume = redactAtSeparator(text, sep, nameKind, ranges);
    const from = resume > sep ? resume : sep + 1;
    if (eq !== -1 && eq < from) eq = text.indexOf('=', from);
    if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
  }
}
