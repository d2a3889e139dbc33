/**
 * Our wording for zod issues, e.g. `expected one of "jest" | "vitest", got "jset"` and
 * `unknown key "runer" (did you mean "runner"?)`.
 *
 * @module
 */
import type { z } from 'zod';
import type { PathSegment } from './path.js';
import { suggest } from './suggest.js';

/** Longest string value quoted in a message; longer ones are cut with `…`. */
const MAX_QUOTED_LENGTH = 60;

/** One message derived from a zod issue. */
export interface IssueMessage {
  /** Full path of the offending node; for an unknown key, the path of that key. */
  path: PathSegment[];
  /** Whether the issue is about the key at `path` (unknown key) rather than its value. */
  atKey: boolean;
  /** The message, without the path. */
  message: string;
}

/** What {@link describeZodIssue} needs besides the issue. */
export interface DescribeOptions {
  /** Whether the value must not be quoted (a secret field, or a value holding a secret). */
  hideValue: (path: readonly PathSegment[], value: unknown) => boolean;
  /** Keys allowed in the object at `path`, for "did you mean". */
  knownKeys: (path: readonly PathSegment[]) => readonly string[];
}

/**
 * Rewords a zod issue (parsed with `reportInput: true`). An unknown-keys issue becomes one message per key.
 *
 * @remarks Zod's own messages are never used: they are terse and may quote values that are secret.
 */
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  options: DescribeOptions,
): IssueMessage[] {
  const path = issue.path.map((segment) =>
    typeof segment === 'number' ? segment : String(segment),
  );
  const got = (): string =>
    issue.input === undefined || options.hideValue(path, issue.input)
      ? ''
      : `, got ${describeValue(issue.input)}`;
  const one = (message: string): IssueMessage[] => [{ path, atKey: false, message }];
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return one(`required; expected ${typeName(issue.expected)}`);
      return one(`expected ${typeName(issue.expected)}${got()}`);
    case 'invalid_value':
      return one(
        issue.values.length === 1
          ? `expected ${quote(issue.values[0])}${got()}`
          : `expected one of ${issue.values.map(quote).join(' | ')}${got()}`,
      );
    case 'too_small':
      return one(
        `${bound(issue.origin, issue.inclusive ? '>=' : '>', issue.minimum)}${issue.origin === 'array' ? '' : got()}`,
      );
    case 'too_big':
      return one(
        `${bound(issue.origin, issue.inclusive ? '<=' : '<', issue.maximum)}${issue.origin === 'array' ? '' : got()}`,
      );
    case 'invalid_format':
      // Every format in the schema carries our own message (e.g. `expected HOST:PORT such as …`).
      return one(`${issue.message}${got()}`);
    case 'custom':
      // Refinements in the schema word their own messages; their input is the parent object, so no "got".
      return one(issue.message);
    case 'unrecognized_keys': {
      const known = options.knownKeys(path);
      return issue.keys.map((key) => {
        const close = suggest(key, known);
        return {
          path: [...path, key],
          atKey: true,
          message: `unknown key "${key}"${close === undefined ? '' : ` (did you mean "${close}"?)`}`,
        };
      });
    }
    /* c8 ignore start -- the schema has no unions, multipleOf checks, record key schemas, maps or sets */
    case 'not_multiple_of':
      return one(`expected a multiple of ${issue.divisor}${got()}`);
    case 'invalid_union':
      return one(`does not match any allowed form${got()}`);
    case 'invalid_key':
      return one('invalid key');
    case 'invalid_element':
      return one('invalid element');
    /* c8 ignore stop */
  }
}

/** Describes a value for a message: strings quoted (and cut), lists and mappings by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH - 1)}…` : value,
    );
  }
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects were handled above
  return String(value);
}

/** `a string`, `an integer`, `a mapping`, … for zod's `expected` names. */
function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    default:
      return `a ${expected}`;
  }
}

/** Words for a bound on a length: `>=` → `at least`. */
const LENGTH_BOUNDS: Record<string, string> = {
  '>=': 'at least',
  '>': 'more than',
  '<=': 'at most',
  '<': 'fewer than',
};

/** `expected a number >= 1`, `expected a non-empty string`, `expected at least 1 item`. */
function bound(origin: string, operator: string, limit: number | bigint): string {
  switch (origin) {
    case 'string':
      if (operator === '>=' && limit === 1) return 'expected a non-empty string';
      return `expected ${LENGTH_BOUNDS[operator]} ${limit} characters`;
    case 'array':
      return `expected ${LENGTH_BOUNDS[operator]} ${limit} ${limit === 1 ? 'item' : 'items'}`;
    default:
      return `expected a ${origin} ${operator} ${limit}`;
  }
}

/** A literal in a message: strings JSON-quoted, others as written. */
function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
