/**
 * Turning strings (environment variables, `--set` flags, whole-value references) into the type a field expects.
 *
 * @module
 */
import { z } from 'zod';

/** Result of {@link coerceString}. */
export type CoerceResult =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** What was expected, e.g. `a JSON array`; the caller adds the value unless it is secret. */
      expected: string;
    };

/**
 * Converts `text` to the type of `schema` (wrappers already stripped).
 *
 * @remarks
 * - numbers: decimal notation (`4`, `-1.5`, `1e3`); anything else is left as a string for the schema to reject,
 *   which yields `expected a number, got "abc"`.
 * - booleans: `true`/`false`/`1`/`0`, case-insensitive; anything else is left as a string likewise.
 * - lists: a JSON array when the text starts with `[`, otherwise comma-separated items (trimmed, empty items
 *   dropped); lists of objects must be JSON.
 * - records and objects: a JSON object.
 * - strings and enums: unchanged.
 */
export function coerceString(schema: z.ZodType, text: string): CoerceResult {
  if (schema instanceof z.ZodNumber) {
    return {
      ok: true,
      value: /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : text,
    };
  }
  if (schema instanceof z.ZodBoolean) {
    const lower = text.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return { ok: true, value: true };
    if (lower === 'false' || lower === '0') return { ok: true, value: false };
    return { ok: true, value: text };
  }
  if (schema instanceof z.ZodArray) {
    const json = text.trimStart().startsWith('[');
    if (!json && !(schema.element instanceof z.ZodObject)) {
      return {
        ok: true,
        value: text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
    }
    const parsed = parseJson(text);
    return Array.isArray(parsed)
      ? { ok: true, value: parsed }
      : { ok: false, expected: 'a JSON array' };
  }
  if (schema instanceof z.ZodRecord || schema instanceof z.ZodObject) {
    const parsed = parseJson(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? { ok: true, value: parsed }
      : { ok: false, expected: 'a JSON object' };
  }
  return { ok: true, value: text };
}

/** `JSON.parse(text)`, or `undefined` when it is not JSON (the error is dropped: V8 quotes the input in it). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
