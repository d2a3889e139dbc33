/**
 * Questions about the shape of {@link velocityConfigSchema}: which keys exist where, which paths are leaves,
 * which are secret.
 *
 * @remarks
 * A *leaf* is any field that is not an object section: a scalar, a list, or a record. Environment variables and
 * flags set leaves; `sources` are reported per leaf.
 *
 * @module
 */
import { z } from 'zod';
import { isPlainObject } from './path.js';
import type { PathSegment } from './path.js';
import { SECRET_SCHEMAS, velocityConfigSchema } from './schema.js';

/** Whether `schema` is a `.default()`, `.optional()` or `.nullable()` wrapper. */
function isWrapper(schema: z.ZodType): schema is z.ZodDefault | z.ZodOptional | z.ZodNullable {
  return (
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable
  );
}

/** Strips `.default()`, `.optional()` and `.nullable()` wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (isWrapper(current)) current = current.unwrap() as z.ZodType;
  return current;
}

/** Whether `schema` or any wrapper inside it is registered in {@link SECRET_SCHEMAS}. */
function isSecretSchema(schema: z.ZodType): boolean {
  let current = schema;
  while (!SECRET_SCHEMAS.has(current)) {
    if (!isWrapper(current)) return false;
    current = current.unwrap() as z.ZodType;
  }
  return true;
}

/** The schema one step below `schema` (wrappers already stripped), or `undefined` when there is none. */
function childSchema(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) {
    return typeof segment === 'string' && Object.hasOwn(schema.shape, segment)
      ? (schema.shape[segment] as z.ZodType)
      : undefined;
  }
  if (schema instanceof z.ZodArray)
    return typeof segment === 'number' ? (schema.element as z.ZodType) : undefined;
  if (schema instanceof z.ZodRecord)
    return typeof segment === 'string' ? (schema.valueType as z.ZodType) : undefined;
  return undefined;
}

/** The schema at `path` (wrappers stripped), or `undefined` when the path does not exist. */
export function schemaAt(path: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = velocityConfigSchema;
  for (const segment of path) {
    current = childSchema(unwrapSchema(current), segment);
    if (current === undefined) return undefined;
  }
  return unwrapSchema(current);
}

/** The keys an object at `path` may have, or `undefined` when `path` is not an object. */
export function knownKeysAt(path: readonly PathSegment[]): string[] | undefined {
  const schema = schemaAt(path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

/** Every leaf path, dotted (`depCi.runner`), in schema order. */
export function leafPaths(): string[] {
  const out: string[] = [];
  const visit = (schema: z.ZodType, path: string): void => {
    const inner = unwrapSchema(schema);
    if (path !== '' && !(inner instanceof z.ZodObject)) {
      out.push(path);
      return;
    }
    for (const [key, child] of Object.entries((inner as z.ZodObject).shape)) {
      visit(child as z.ZodType, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(velocityConfigSchema, '');
  return out;
}

/**
 * Dotted paths of every secret field, in schema order; `[]` stands for every element of a list, e.g.
 * `log.secrets[]` (each item is a secret) or `a.b[].token` (a secret inside each element).
 */
export function secretPaths(): string[] {
  const out: string[] = [];
  const visit = (schema: z.ZodType, path: string): void => {
    if (isSecretSchema(schema)) {
      out.push(path);
      return;
    }
    const inner = unwrapSchema(schema);
    if (inner instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(inner.shape)) {
        visit(child as z.ZodType, path === '' ? key : `${path}.${key}`);
      }
    } else if (inner instanceof z.ZodArray) {
      visit(inner.element as z.ZodType, `${path}[]`);
    }
  };
  visit(velocityConfigSchema, '');
  return out;
}

/** Whether the value at `path` is, or is inside, a secret field. */
export function isSecretPath(path: readonly PathSegment[]): boolean {
  let current: z.ZodType | undefined = velocityConfigSchema;
  for (const segment of path) {
    current = childSchema(unwrapSchema(current), segment);
    if (current === undefined) return false;
    if (isSecretSchema(current)) return true;
  }
  return false;
}

/**
 * Every non-empty string in `value` that sits in a secret field, with its path. `value` is walked alongside the
 * schema, so unknown keys and values of the wrong shape or type are skipped rather than trusted.
 */
export function secretValues(value: unknown): Array<{ path: PathSegment[]; value: string }> {
  const out: Array<{ path: PathSegment[]; value: string }> = [];
  const visit = (schema: z.ZodType, node: unknown, path: PathSegment[]): void => {
    if (isSecretSchema(schema)) {
      if (typeof node === 'string' && node !== '') out.push({ path, value: node });
      return;
    }
    const inner = unwrapSchema(schema);
    if (inner instanceof z.ZodObject && isPlainObject(node)) {
      for (const [key, child] of Object.entries(inner.shape)) {
        if (Object.hasOwn(node, key)) visit(child as z.ZodType, node[key], [...path, key]);
      }
    } else if (inner instanceof z.ZodArray && Array.isArray(node)) {
      node.forEach((item, index) => visit(inner.element as z.ZodType, item, [...path, index]));
    }
  };
  visit(velocityConfigSchema, value, []);
  return out;
}
