import { Buffer } from 'node:buffer';
import { formatRedaction } from './format-redaction.js';

/** What {@link scrubValueDeep} needs from a scrubber. */
export interface ValueScrubContext {
  /** Full scrub of one string. */
  scrubString(text: string): string;
  /**
   * An object key made safe for output, and the kind of secret the key names (`undefined` if none).
   * Called once per key of every walked object, so it should be cached.
   */
  describeKey(key: string): KeyDescription;
  /** Objects nested deeper than this are replaced (the root is depth 0). */
  readonly maxDepth: number;
}

/** An object key as {@link ValueScrubContext.describeKey} sees it. */
export interface KeyDescription {
  /** The key with any secret in it redacted. */
  readonly key: string;
  /** The kind of secret the key's value holds, or `undefined` when the key is not secret. */
  readonly kind: string | undefined;
}

/** Placeholder for a reference back to an object that is being walked. */
const CIRCULAR = '[Circular]';
/** Placeholder for an object nested deeper than the depth limit. */
const TOO_DEEP_OBJECT = '[Object]';
/** Placeholder for an array nested deeper than the depth limit. */
const TOO_DEEP_ARRAY = '[Array]';
/** Placeholder for a property whose getter (or `toJSON`) threw. */
const UNREADABLE = '[Unreadable]';

type Output = Record<string, unknown>;

function setKey(target: Output, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function read(source: object, key: string | number): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

function bytesOf(view: ArrayBufferView | ArrayBuffer): Buffer {
  return view instanceof ArrayBuffer
    ? Buffer.from(view)
    : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function isLongFlag(value: string): boolean {
  return value.charCodeAt(0) === 45 && value.charCodeAt(1) === 45 && value.indexOf('=') === -1;
}

/** Walks one value; holds the ancestors for cycle detection. */
class ValueWalker {
  readonly #context: ValueScrubContext;
  readonly #ancestors: object[] = [];

  constructor(context: ValueScrubContext) {
    this.#context = context;
  }

  walk(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return this.#context.scrubString(value);
      case 'object':
        return value === null ? null : this.#object(value, depth);
      case 'bigint':
        return value.toString();
      case 'symbol':
        return this.#context.scrubString(value.toString());
      case 'function':
        return this.#context.scrubString(
          `[Function: ${value.name === '' ? 'anonymous' : value.name}]`,
        );
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
    }
  }

  /** A value under a secret key: strings, numbers and bytes are replaced whole. */
  #secret(value: unknown, kind: string, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return value === '' ? value : formatRedaction(kind);
      case 'number':
      case 'bigint':
        return formatRedaction(kind);
      case 'object':
        if (value === null) return null;
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return formatRedaction(kind);
        if (Array.isArray(value)) return this.#array(value, depth, kind);
        return this.#object(value, depth);
      case 'boolean':
      case 'undefined':
      case 'symbol':
      case 'function':
        return this.walk(value, depth);
    }
  }

  #object(value: object, depth: number): unknown {
    const proto: unknown = Object.getPrototypeOf(value);
    if (
      (proto === Object.prototype || proto === null) &&
      typeof (value as { toJSON?: unknown }).toJSON !== 'function'
    ) {
      // The hot path (log fields): no closure, no try.
      const placeholder = this.#placeholder(value, depth, TOO_DEEP_OBJECT);
      if (placeholder !== undefined) return placeholder;
      this.#ancestors.push(value);
      const out = this.#properties(value, depth, {});
      this.#ancestors.pop();
      return out;
    }
    if (Array.isArray(value)) return this.#array(value, depth, undefined);
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return this.#context.scrubString(bytesOf(value).toString('utf8'));
    }
    if (value instanceof URL) return this.#context.scrubString(value.href);
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return this.walk(value.valueOf(), depth);
    }
    if (value instanceof Error) {
      return this.#enter(value, depth, TOO_DEEP_OBJECT, () => this.#error(value, depth));
    }
    if (value instanceof Map) {
      return this.#enter(value, depth, TOO_DEEP_OBJECT, () => this.#map(value, depth));
    }
    if (value instanceof Set) {
      return this.#enter(value, depth, TOO_DEEP_ARRAY, () =>
        Array.from(value, (item) => this.walk(item, depth + 1)),
      );
    }
    const toJSON = read(value, 'toJSON');
    if (typeof toJSON === 'function') {
      return this.#enter(value, depth, TOO_DEEP_OBJECT, () => {
        let json: unknown;
        try {
          json = (toJSON as (key: string) => unknown).call(value, '');
        } catch {
          return UNREADABLE;
        }
        return this.walk(json, depth + 1);
      });
    }
    return this.#enter(value, depth, TOO_DEEP_OBJECT, () => this.#properties(value, depth, {}));
  }

  /** The placeholder for `value` when it is circular or too deep, else `undefined`. */
  #placeholder(value: object, depth: number, tooDeep: string): string | undefined {
    if (this.#ancestors.includes(value)) return CIRCULAR;
    return depth >= this.#context.maxDepth ? tooDeep : undefined;
  }

  /**
   * Runs `walkInside` with `value` on the ancestor stack, or returns a placeholder.
   *
   * @privateRemarks No `finally`: a walker serves one {@link scrubValueDeep} call, so after a throw its
   * stack is never read again.
   */
  #enter(value: object, depth: number, tooDeep: string, walkInside: () => unknown): unknown {
    const placeholder = this.#placeholder(value, depth, tooDeep);
    if (placeholder !== undefined) return placeholder;
    this.#ancestors.push(value);
    const out = walkInside();
    this.#ancestors.pop();
    return out;
  }

  #properties(value: object, depth: number, target: Output, skip?: ReadonlySet<string>): Output {
    for (const key of Object.keys(value)) {
      if (skip?.has(key) === true) continue;
      this.#property(target, key, read(value, key), depth);
    }
    return target;
  }

  #property(target: Output, key: string, item: unknown, depth: number): void {
    const described = this.#context.describeKey(key);
    setKey(
      target,
      described.key,
      described.kind === undefined
        ? this.walk(item, depth + 1)
        : this.#secret(item, described.kind, depth + 1),
    );
  }

  #array(value: readonly unknown[], depth: number, secretKind: string | undefined): unknown {
    return this.#enter(value, depth, TOO_DEEP_ARRAY, () => {
      const out: unknown[] = new Array<unknown>(value.length);
      let flagKind: string | undefined;
      for (let index = 0; index < value.length; index += 1) {
        const item = read(value, index);
        if (secretKind !== undefined) {
          out[index] = this.#secret(item, secretKind, depth + 1);
          continue;
        }
        if (flagKind !== undefined && typeof item === 'string' && !isLongFlag(item)) {
          out[index] = formatRedaction(flagKind);
          flagKind = undefined;
          continue;
        }
        out[index] = this.walk(item, depth + 1);
        flagKind =
          typeof item === 'string' && isLongFlag(item)
            ? this.#context.describeKey(item.slice(2)).kind
            : undefined;
      }
      return out;
    });
  }

  #error(error: Error, depth: number): Output {
    const constructorName = (error.constructor as { name?: unknown } | undefined)?.name;
    const out: Output = {
      type:
        typeof constructorName === 'string' && constructorName !== ''
          ? constructorName
          : error.name,
      message: this.#context.scrubString(String(read(error, 'message'))),
    };
    const stack = read(error, 'stack');
    if (typeof stack === 'string') out['stack'] = this.#context.scrubString(stack);
    this.#properties(error, depth, out, ERROR_OWN_KEYS);
    const cause = read(error, 'cause');
    if (cause !== undefined) out['cause'] = this.walk(cause, depth + 1);
    const errors = read(error, 'errors');
    if (Array.isArray(errors)) out['errors'] = this.walk(errors, depth + 1);
    return out;
  }

  #map(value: ReadonlyMap<unknown, unknown>, depth: number): Output {
    const out: Output = {};
    for (const [key, item] of value) this.#property(out, String(key), item, depth);
    return out;
  }
}

/** Error properties written by {@link ValueWalker} itself, not copied from own properties. */
const ERROR_OWN_KEYS: ReadonlySet<string> = new Set([
  'type',
  'message',
  'stack',
  'cause',
  'errors',
]);

/**
 * A deep, scrubbed, JSON-friendly copy of any value; the input is never modified.
 *
 * @remarks
 * Conversions:
 * - strings → {@link ValueScrubContext.scrubString}; numbers, booleans, `null`, `undefined` as they are;
 *   bigint → decimal string; symbol → `Symbol(description)`; function → `[Function: name]`;
 * - plain objects and class instances → own enumerable string-keyed properties (symbol keys are
 *   dropped); keys are scrubbed too. Under a secret key (see {@link classifySecretName}) a string,
 *   number, bigint or byte buffer becomes `[REDACTED:<kind>]` (an empty string stays empty), an array's
 *   primitive items are each replaced the same way, and objects are walked as usual;
 * - arrays → arrays; after an item that is a secret long flag (`'--token'`), the next string item is
 *   replaced (argv arrays);
 * - `toJSON()` is called (as `JSON.stringify` would) and its result walked;
 * - Map → object keyed by `String(key)`; Set → array; URL → scrubbed `href` (password and secret query
 *   parameters redacted); Buffer, typed arrays, DataView, ArrayBuffer → their bytes decoded as UTF-8,
 *   scrubbed; Date → ISO string (`'Invalid Date'` when invalid); boxed primitives → their value;
 * - Error → `{type, message, stack, ...own enumerable properties, cause, errors}` with `type` its
 *   constructor's name, message and stack scrubbed, `cause` and AggregateError `errors` walked;
 * - a reference to an object being walked → `'[Circular]'` (shared, non-circular references are copied
 *   each time); an object or array deeper than `maxDepth` → `'[Object]'` / `'[Array]'`; a property
 *   whose getter throws, or a throwing `toJSON` → `'[Unreadable]'`.
 *
 * Cost O(size of the value) plus the string scrubbing; the ancestor check is O(depth) per object.
 *
 * @param value - anything
 * @param context - string scrubbing and key classification
 * @returns the scrubbed copy
 */
export function scrubValueDeep(value: unknown, context: ValueScrubContext): unknown {
  return new ValueWalker(context).walk(value, 0);
}
