/**
 * Reading `velocity.yaml` into plain data plus the line and column of every key and value.
 *
 * @module
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { formatPath } from './path.js';
import type { PathSegment } from './path.js';

/** A 1-based position in a file. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** Where a key path is written in the file. */
export interface NodeLocation {
  /** Position of the key; absent for list items and the root. */
  key?: SourcePosition;
  /** Position of the value (of the key when the value is empty). */
  value: SourcePosition;
  /** Character offsets `[start, end)` of the value, used to find the path of a syntax error. */
  range: readonly [number, number];
}

/** Result of {@link parseYamlSource}. */
export interface YamlSource {
  /** The document as plain data; `{}` for an empty file; `undefined` when there are issues. */
  data: Record<string, unknown> | undefined;
  /** Location of every key path (formatted with {@link formatPath}; `''` is the root). */
  locations: Map<string, NodeLocation>;
  /** Syntax errors, duplicate keys, or a root that is not a mapping. */
  issues: ConfigIssue[];
  /** YAML warnings, as `file:line:col message`. */
  warnings: string[];
}

/**
 * Parses a config file's text.
 *
 * @remarks
 * `prettyErrors` is off so that messages never quote the source, which may hold secrets. Parsing never throws:
 * every problem becomes an issue positioned at the offending node.
 *
 * @param text - The file's contents.
 * @param file - The file's name as shown to the user (e.g. `velocity.yaml`).
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locations = new Map<string, NodeLocation>();
  const keyPaths = new Map<number, PathSegment[]>();

  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const childPath = [...path, key];
        const keyOffset = keyNode?.range?.[0];
        const valueNode = pair.value as Node | null;
        const range = valueNode?.range ?? keyNode?.range;
        if (range) {
          locations.set(formatPath(childPath), {
            ...(keyOffset === undefined ? {} : { key: position(keyOffset) }),
            value: position(valueNode?.range?.[0] ?? range[0]),
            range: [range[0], range[1]],
          });
        }
        if (keyOffset !== undefined) keyPaths.set(keyOffset, childPath);
        visit(valueNode, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const range = (item as Node | null)?.range;
        if (range) {
          locations.set(formatPath([...path, index]), {
            value: position(range[0]),
            range: [range[0], range[1]],
          });
        }
        visit(item, [...path, index]);
      });
    }
  };
  const root = doc.contents;
  const rootRange = root?.range ?? [0, text.length];
  locations.set('', {
    value: position(rootRange[0]),
    range: [rootRange[0], rootRange[1]],
  });
  visit(root, []);

  const issues: ConfigIssue[] = doc.errors.map((error) => {
    const offset = error.pos[0];
    const keyPath = keyPaths.get(offset);
    const path = error.code === 'DUPLICATE_KEY' && keyPath !== undefined ? keyPath : undefined;
    return {
      file,
      ...position(offset),
      path: path === undefined ? innermostPath(locations, offset) : formatPath(path),
      message:
        path === undefined
          ? `invalid YAML: ${error.message}`
          : `duplicate key "${String(path.at(-1))}"; each key may appear only once`,
    };
  });
  const warnings = doc.warnings.map((warning) => {
    const { line, column } = position(warning.pos[0]);
    return `${file}:${line}:${column} ${warning.message}`;
  });
  if (issues.length > 0) return { data: undefined, locations, issues, warnings };

  const rootFailure = (message: string) => ({
    data: undefined,
    locations,
    issues: [{ file, ...position(rootRange[0]), path: '', message }],
    warnings,
  });
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    // toJS throws on excessive alias expansion (a "billion laughs" document).
    return rootFailure(`invalid YAML: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return rootFailure(
      `expected a mapping of section names (depCi, livepatch, …) at the top level, got ${
        Array.isArray(data) ? 'a list' : 'a scalar'
      }`,
    );
  }
  return { data: data as Record<string, unknown>, locations, issues, warnings };
}

/** The formatted path of the innermost node whose value range contains `offset`, or `''`. */
function innermostPath(locations: Map<string, NodeLocation>, offset: number): string {
  let best = '';
  let bestSize = Infinity;
  for (const [path, { range }] of locations) {
    const size = range[1] - range[0];
    if (range[0] <= offset && offset <= range[1] && size <= bestSize) {
      best = path;
      bestSize = size;
    }
  }
  return best;
}
