import { classifySecretName } from './classify-secret-name.js';
import { deriveSecretForms } from './derive-secret-forms.js';
import { ScrubberOptionError } from './errors.js';
import { findNamedValues, findSpacedFlagValues, type SecretNameKind } from './find-named-values.js';
import { findPrivateKeys } from './find-private-keys.js';
import { findCliCredentials } from './find-cli-credentials.js';
import { findTokens } from './find-tokens.js';
import { findUrlSecrets } from './find-url-secrets.js';
import { normalizeKind } from './format-redaction.js';
import { MultiPatternMatcher } from './multi-pattern-matcher.js';
import { RedactionRanges } from './redaction-ranges.js';
import { scrubValueDeep, type KeyDescription, type ValueScrubContext } from './scrub-value.js';

/** Outcome of {@link Scrubber.addSecret}. */
export interface AddSecretResult {
  /**
   * Whether the value is now scrubbed: true when it was registered, also when it already was
   * (registration is idempotent); false when it was refused.
   */
  added: boolean;
  /** Why the value was refused, e.g. `shorter than 8 characters`; never contains the value. */
  reason?: string;
}

/** Options of {@link Scrubber}. */
export interface ScrubberOptions {
  /**
   * Shortest secret accepted by {@link Scrubber.addSecret}, in UTF-16 code units, after trimming
   * whitespace; also the shortest derived form registered, and texts shorter than this are returned
   * unchanged. An integer of at least 8: shorter values would redact ordinary words.
   * @defaultValue 8
   */
  minSecretLength?: number;
  /**
   * Nesting depth at which {@link Scrubber.scrubValue} stops and writes `[Object]` / `[Array]`; the
   * value itself is depth 0. An integer of at least 1.
   * @defaultValue 10
   */
  maxDepth?: number;
}

/** A span of text holding a registered secret (or one of its derived forms). */
export interface KnownSecretSpan {
  /** First UTF-16 code unit of the span. */
  start: number;
  /** One past the last UTF-16 code unit of the span. */
  end: number;
  /** The kind the secret was registered with. */
  kind: string;
}

/** Entries kept in each name cache before it is emptied (bounds memory on unbounded key sets). */
const CACHE_LIMIT = 4096;

const DEFAULT_MIN_SECRET_LENGTH = 8;
const DEFAULT_MAX_DEPTH = 10;

function checkInteger(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ScrubberOptionError(option, value, `an integer >= ${min}`);
  }
  return value;
}

/**
 * Removes secrets from strings, structured values and streams: the one place Velocity decides what a
 * secret looks like.
 *
 * @remarks
 * Three kinds of evidence, all replaced by `[REDACTED:<kind>]`:
 * 1. registered values ({@link Scrubber.addSecret}) and their derived forms (base64 at every
 *    alignment, URL and JSON escapes, hex, each line), found in one pass for all of them by a
 *    Wu–Manber multi-pattern search ({@link MultiPatternMatcher});
 * 2. known token formats (GitHub, AWS, Slack, Stripe, npm, JWT, PEM private keys … see
 *    {@link TOKEN_RULES});
 * 3. context: URL passwords, `NAME=value` / `--flag value` / header settings whose name is secret
 *    ({@link classifySecretName}), and secret-named object keys in {@link Scrubber.scrubValue}.
 *
 * Every scan is linear in the text's length; a typical log line with no secret is skipped in a few
 * hundred nanoseconds. A scrubber holds mutable state (the registered secrets, name caches), so share
 * one per process through injection, never as a global.
 */
export class Scrubber {
  readonly #minSecretLength: number;
  readonly #matcher: MultiPatternMatcher;
  readonly #secrets: string[] = [];
  readonly #registered = new Set<string>();
  #secretsView: readonly string[] = Object.freeze([]);
  readonly #ranges = new RedactionRanges();
  readonly #nameKinds = new Map<string, string | null>();
  readonly #keys = new Map<string, KeyDescription>();
  readonly #nameKind: SecretNameKind = (name) => this.#kindOfName(name);
  readonly #valueContext: ValueScrubContext;

  /**
   * @param options - see {@link ScrubberOptions}
   * @throws {@link ScrubberOptionError} when `minSecretLength` is not an integer of at least 8, or
   *   `maxDepth` not a positive integer
   */
  constructor(options: ScrubberOptions = {}) {
    this.#minSecretLength = checkInteger(
      'minSecretLength',
      options.minSecretLength ?? DEFAULT_MIN_SECRET_LENGTH,
      DEFAULT_MIN_SECRET_LENGTH,
    );
    const maxDepth = checkInteger('maxDepth', options.maxDepth ?? DEFAULT_MAX_DEPTH, 1);
    this.#matcher = new MultiPatternMatcher(this.#minSecretLength);
    this.#valueContext = {
      maxDepth,
      scrubString: (text) => this.#scrub(text),
      describeKey: (key) => this.#describeKey(key),
    };
  }

  /**
   * Registers a secret value and its derived forms (see {@link deriveSecretForms}).
   *
   * @remarks
   * Refuses, without throwing, a value that is not a string, is empty or whitespace-only, or is shorter
   * than `minSecretLength` once trimmed; `reason` says which. Registering a value again changes nothing
   * and keeps its first kind. Cost O(L) for a value of L code units; the search tables are rebuilt
   * before the next scan.
   *
   * @param value - the secret
   * @param kind - names the replacement, `[REDACTED:<kind>]`; characters outside `[A-Za-z0-9_.-]`
   *   become `-` (see {@link normalizeKind}) @defaultValue `'secret'`
   * @returns whether the value is scrubbed from now on
   */
  addSecret(value: string, kind?: string): AddSecretResult {
    if (typeof value !== 'string') return { added: false, reason: 'not a string' };
    const trimmedLength = value.trim().length;
    if (trimmedLength === 0) return { added: false, reason: 'empty or whitespace-only' };
    if (trimmedLength < this.#minSecretLength) {
      return { added: false, reason: `shorter than ${this.#minSecretLength} characters` };
    }
    if (this.#registered.has(value)) return { added: true };
    this.#registered.add(value);
    this.#secrets.push(value);
    this.#secretsView = Object.freeze([...this.#secrets]);
    const normalized = normalizeKind(kind);
    for (const form of deriveSecretForms(value, this.#minSecretLength)) {
      this.#matcher.add(form, normalized);
    }
    this.#keys.clear();
    return { added: true };
  }

  /** Raw registered values, in registration order (e.g. for GitHub Actions `::add-mask::`). Frozen. */
  get secrets(): readonly string[] {
    return this.#secretsView;
  }

  /** Number of registered secrets (raw values, not derived forms). */
  get size(): number {
    return this.#secrets.length;
  }

  /** Length of the longest registered form, in UTF-16 code units; 0 when nothing is registered. */
  get maxPatternLength(): number {
    return this.#matcher.maxPatternLength;
  }

  /**
   * Full scrub of one string: registered secrets and their forms, then known token formats, private key
   * blocks, URL passwords and secret-named settings.
   *
   * @remarks
   * Texts shorter than `minSecretLength` are returned as they are. Overlapping findings are replaced
   * by their union. O(n).
   *
   * @param text - any text, possibly many lines
   * @returns the scrubbed text; `text` itself when nothing was found
   */
  scrubString(text: string): string {
    return this.#scrub(text);
  }

  /**
   * Only registered secret values and their derived forms: the fast final pass over a whole written
   * log line.
   *
   * @param text - any text
   * @returns the scrubbed text; the same string instance when nothing matched
   */
  scrubKnownSecrets(text: string): string {
    return this.#scrubKnown(text);
  }

  /**
   * Where registered secrets (and derived forms) occur in `text`; overlapping occurrences are merged.
   *
   * @param text - any text
   * @returns spans in order of start
   */
  findKnownSecrets(text: string): KnownSecretSpan[] {
    const ranges = new RedactionRanges();
    this.#matcher.findAll(text, ranges);
    return ranges.merged().map(([start, end, kind]) => ({ start, end, kind }));
  }

  /**
   * A deep scrubbed copy of any value, JSON-friendly; the input is never modified.
   *
   * @remarks
   * Handles cycles (`'[Circular]'`), depth (`'[Object]'` / `'[Array]'` past `maxDepth`), secret-named
   * keys at any depth, argv arrays, Error, Map, Set, URL, Buffer, Date and `toJSON`; see
   * {@link scrubValueDeep} for every conversion.
   *
   * @param value - anything
   * @returns the scrubbed copy
   */
  scrubValue(value: unknown): unknown {
    return scrubValueDeep(value, this.#valueContext);
  }

  /**
   * True when an object key, flag (without dashes), header or environment variable name says it holds a
   * secret: `GITHUB_TOKEN`, `apiKey`, `x-api-key`, `DB_PASSWORD`, `Authorization`; not `tokenFile`,
   * `cacheKey`, `maxTokens`. See {@link classifySecretName} for the rules.
   *
   * @param name - the name, any case style
   * @returns whether values under this name are secret
   */
  isSecretName(name: string): boolean {
    return this.#kindOfName(name) !== undefined;
  }

  /**
   * The kind of secret a name holds (`'password'`, `'token'`, `'api-key'` …), or `undefined`.
   *
   * @param name - the name, any case style
   * @returns the kind used for its redacted values
   */
  secretNameKind(name: string): string | undefined {
    return this.#kindOfName(name);
  }

  #kindOfName(name: string): string | undefined {
    const cached = this.#nameKinds.get(name);
    if (cached !== undefined) return cached ?? undefined;
    if (this.#nameKinds.size >= CACHE_LIMIT) this.#nameKinds.clear();
    const kind = classifySecretName(name);
    this.#nameKinds.set(name, kind ?? null);
    return kind;
  }

  #describeKey(key: string): KeyDescription {
    const cached = this.#keys.get(key);
    if (cached !== undefined) return cached;
    if (this.#keys.size >= CACHE_LIMIT) this.#keys.clear();
    const described = { key: this.#scrub(key), kind: this.#kindOfName(key) };
    this.#keys.set(key, described);
    return described;
  }

  #scrubKnown(text: string): string {
    if (this.#matcher.size === 0 || text.length < this.#minSecretLength) return text;
    const ranges = this.#ranges;
    ranges.clear();
    this.#matcher.findAll(text, ranges);
    return ranges.applyTo(text);
  }

  #scrub(text: string): string {
    if (text.length < this.#minSecretLength) return text;
    const known = this.#scrubKnown(text);
    const ranges = this.#ranges;
    ranges.clear();
    findTokens(known, ranges);
    findCliCredentials(known, ranges);
    // Three indexOf calls (~12 ns each) decide which of the context scanners can find anything.
    const eq = known.indexOf('=');
    const colon = known.indexOf(':');
    const dashes = known.indexOf('--');
    if (dashes !== -1) {
      findPrivateKeys(known, ranges);
      findSpacedFlagValues(known, this.#nameKind, ranges, dashes);
    }
    if (colon !== -1) findUrlSecrets(known, ranges);
    if (eq !== -1 || colon !== -1) findNamedValues(known, this.#nameKind, ranges, eq, colon);
    return ranges.applyTo(known);
  }
}
