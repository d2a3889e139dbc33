import type { Language, ModuleReference, ReferenceKind } from '../types.js';
import { unescapeJs } from './js-escapes.js';
import { mergeReferences } from './merge-references.js';
import { isPathLiteral } from './path-literals.js';
import { buildSpecifier, type SpecifierPart } from './specifier-parts.js';
import { readTripleSlash } from './triple-slash.js';

/** `import x = require('s')`, also after `export`. Groups: `type`, quote, specifier. */
const IMPORT_EQUALS = /\bimport\s+(type\s+)?[\w$]+\s*=\s*require\s*\(\s*(['"])([^'"\r\n]*)\2/dg;
/** `import … from 's'` and `export … from 's'`. Groups: keyword, `type`, clause, quote, specifier. */
const FROM =
  /\b(import|export)(\s+type)?\s+([\w$*{}\s,]{1,4000}?)\s*\bfrom\s*(['"])([^'"\r\n]*)\4/dg;
/** `import 's'`. Groups: quote, specifier. */
const SIDE_EFFECT = /\bimport\s*(['"])([^'"\r\n]*)\1/dg;
/** `new URL('s', import.meta.url)`. Groups: quote, specifier. */
const URL_CALL =
  /\bnew\s+URL\s*\(\s*(['"`])([^'"`\r\n]*)\1\s*,\s*import\s*\.\s*meta\s*\.\s*url\b/dg;
/** `require('s')`, `import('s')`, `jest.mock('s')`… Groups: callee, quote, specifier. */
const CALL =
  /(?<![\w$.])(require\s*\.\s*resolve|module\s*\.\s*require|require|import\s*\.\s*meta\s*\.\s*(?:resolve|glob)|import|jest\s*\.\s*\w+|vi\s*\.\s*\w+)\s*\(\s*(['"`])([^'"`\r\n]*)\2/dg;
/** A line starting with `///`. Group: the directive. */
const TRIPLE_SLASH_LINE = /^[ \t]*(\/\/\/.*)$/gm;
/** A quoted string ending in an extension. Groups: quote, value. */
const PATH_STRING = /(['"`])([^'"`\s\\]{0,1024}?\.[A-Za-z0-9]{1,8})\1/dg;
/** `${…}` in a template literal's text. */
const SUBSTITUTION = /\$\{[^}]*\}/;

/** Callees of {@link CALL} (whitespace removed) that are not jest/vitest helpers. */
const CALL_KINDS: Readonly<Record<string, ReferenceKind>> = {
  require: 'require',
  'module.require': 'require',
  'require.resolve': 'require-resolve',
  'import.meta.resolve': 'require-resolve',
  'import.meta.glob': 'dynamic-import',
  import: 'dynamic-import',
};

/** jest and vitest helpers whose first argument is a module, as `object.method`. */
const MOCK_CALLEES: ReadonlySet<string> = new Set([
  'jest.mock',
  'jest.doMock',
  'jest.unmock',
  'jest.dontMock',
  'jest.deepUnmock',
  'jest.setMock',
  'jest.requireActual',
  'jest.requireMock',
  'jest.createMockFromModule',
  'jest.genMockFromModule',
  'vi.mock',
  'vi.doMock',
  'vi.unmock',
  'vi.doUnmock',
  'vi.importActual',
  'vi.importMock',
]);

/** `import a.b as c, d` (after a line start, `;` or `:`). Group: the module list. */
const PYTHON_IMPORT = /(?:^|[;:])[ \t]*import[ \t]+([^\n#;]+)/dgm;
/** `from ..a.b import (c, d)` (after a line start, `;` or `:`). Groups: dots, module, names. */
const PYTHON_FROM =
  /(?:^|[;:])[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)/dgm;
/** `importlib.import_module('a')`, `import_module(f'p.{x}')`, `__import__('a')`. Groups: prefix, quote, name. */
const PYTHON_IMPORTLIB =
  /(?<![\w.])(?:importlib\s*\.\s*import_module|import_module|__import__)\s*\(\s*([rRbBuUfF]{0,2})(['"])([^'"\r\n]*)\2/dg;

/**
 * Extracts module references from raw text with regular expressions, for files whose syntax tree has errors.
 *
 * @param source - the whole file
 * @param language - selects the TypeScript/JavaScript or the Python patterns
 * @returns references in line order, one per specifier and line (for TypeScript/JavaScript: every kind but
 *   `path.join(__dirname, …)`; for Python: `import`, `from … import`, `import_module`/`__import__`)
 *
 * @remarks A handful of linear regular-expression scans, O(n). Unlike the tree extractors it cannot tell
 * comments and strings from code, so it can report references that are not there (cheap: an extra edge) but
 * it keeps working where the grammar gave up. Patterns are single-statement and mostly single-line.
 */
export function extractReferencesFromText(source: string, language: Language): ModuleReference[] {
  const lines = new LineIndex(source);
  return language === 'python' ? pythonReferences(source, lines) : scriptReferences(source, lines);
}

function scriptReferences(source: string, lines: LineIndex): ModuleReference[] {
  const found: ModuleReference[] = [];
  const add = (
    specifier: string,
    kind: ReferenceKind,
    typeOnly: boolean,
    offset: number,
    glob = false,
  ): void => {
    const line = lines.lineAt(offset);
    found.push(
      glob ? { specifier, kind, typeOnly, glob, line } : { specifier, kind, typeOnly, line },
    );
  };

  for (const match of source.matchAll(IMPORT_EQUALS)) {
    add(unescapeJs(group(match, 3)), 'import-equals', match[1] !== undefined, groupStart(match, 3));
  }
  for (const match of source.matchAll(FROM)) {
    const typeOnly = match[2] !== undefined || isTypeOnlyClause(group(match, 3));
    const kind = group(match, 1) === 'import' ? 'import' : 're-export';
    add(unescapeJs(group(match, 5)), kind, typeOnly, groupStart(match, 5));
  }
  for (const match of source.matchAll(SIDE_EFFECT)) {
    add(unescapeJs(group(match, 2)), 'side-effect', false, groupStart(match, 2));
  }
  for (const match of source.matchAll(URL_CALL)) {
    const built = quotedSpecifier(group(match, 1), group(match, 2));
    if (built) add(built.specifier, 'url', false, groupStart(match, 2), built.glob);
  }
  for (const match of source.matchAll(CALL)) {
    const callee = group(match, 1).replace(/\s+/g, '');
    const kind = CALL_KINDS[callee] ?? (MOCK_CALLEES.has(callee) ? 'mock' : undefined);
    const built =
      callee === 'import.meta.glob'
        ? { specifier: group(match, 3), glob: true }
        : quotedSpecifier(group(match, 2), group(match, 3));
    if (kind && built) add(built.specifier, kind, false, groupStart(match, 3), built.glob);
  }
  for (const match of source.matchAll(TRIPLE_SLASH_LINE)) {
    const target = readTripleSlash(group(match, 1));
    if (target) add(target.specifier, 'triple-slash', target.typeOnly, match.index);
  }
  for (const match of source.matchAll(PATH_STRING)) {
    const value = group(match, 2);
    if (!value.includes('${') && isPathLiteral(value)) {
      add(value, 'path-literal', false, groupStart(match, 2));
    }
  }
  return mergeReferences(found);
}

function pythonReferences(source: string, lines: LineIndex): ModuleReference[] {
  const found: ModuleReference[] = [];
  for (const match of source.matchAll(PYTHON_IMPORT)) {
    const line = lines.lineAt(groupStart(match, 1));
    for (const item of group(match, 1).split(',')) {
      const [module] = item.trim().split(/\s+/);
      if (module) {
        found.push({ specifier: module, kind: 'python-import', typeOnly: false, line, level: 0 });
      }
    }
  }
  for (const match of source.matchAll(PYTHON_FROM)) {
    const names = group(match, 3)
      .replace(/[()\\]/g, ' ')
      .split(',')
      .flatMap((item) => /^\s*([\w*]+)/.exec(item)?.[1] ?? []);
    found.push({
      specifier: group(match, 2),
      kind: 'python-from',
      typeOnly: false,
      line: lines.lineAt(groupStart(match, 2)),
      level: group(match, 1).length,
      names,
    });
  }
  for (const match of source.matchAll(PYTHON_IMPORTLIB)) {
    const name = group(match, 3);
    const parts: SpecifierPart[] = /f/i.test(group(match, 1))
      ? name.split(/\{[^}]*\}/).flatMap((part, index) => (index === 0 ? [part] : [null, part]))
      : [name];
    const built = buildSpecifier(parts);
    if (!built) continue;
    const level = built.specifier.length - built.specifier.replace(/^\.+/, '').length;
    found.push({
      specifier: built.specifier.slice(level),
      kind: 'python-importlib',
      typeOnly: false,
      ...(built.glob ? { glob: true } : {}),
      line: lines.lineAt(groupStart(match, 3)),
      level,
    });
  }
  return mergeReferences(found);
}

/** `{type a, type b}`: an import or export clause whose named specifiers are all type-only. */
function isTypeOnlyClause(clause: string): boolean {
  const trimmed = clause.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  const items = trimmed
    .slice(1, -1)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 && items.every((item) => /^type\s/.test(item));
}

/** A quoted specifier; a template literal with `${…}` becomes a glob (see {@link buildSpecifier}). */
function quotedSpecifier(quote: string, raw: string): ReturnType<typeof buildSpecifier> {
  if (quote !== '`' || !SUBSTITUTION.test(raw)) return { specifier: unescapeJs(raw), glob: false };
  const parts: SpecifierPart[] = raw
    .split(/\$\{[^}]*\}/)
    .flatMap((part, index) => (index === 0 ? [unescapeJs(part)] : [null, unescapeJs(part)]));
  return buildSpecifier(parts);
}

/** A capture group the pattern always fills (the type allows `undefined` only for optional groups). */
function group(match: RegExpExecArray, index: number): string {
  /* c8 ignore next -- only called for groups that are not optional */
  return match[index] ?? '';
}

/** Where a capture group starts, from the `d` flag's indices. */
function groupStart(match: RegExpExecArray, index: number): number {
  /* c8 ignore next -- every pattern has the `d` flag and the group is not optional */
  return match.indices?.[index]?.[0] ?? match.index;
}

/** Maps UTF-16 offsets to 1-based line numbers. */
class LineIndex {
  readonly #source: string;
  #newlines: number[] | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  /** The 1-based line of `offset`; O(log lines) after an O(n) first call. */
  lineAt(offset: number): number {
    const newlines = (this.#newlines ??= newlineOffsets(this.#source));
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      /* c8 ignore next -- `middle` is always in range */
      if ((newlines[middle] ?? offset) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }
}

function newlineOffsets(source: string): number[] {
  const offsets: number[] = [];
  for (let index = source.indexOf('\n'); index !== -1; index = source.indexOf('\n', index + 1)) {
    offsets.push(index);
  }
  return offsets;
}
