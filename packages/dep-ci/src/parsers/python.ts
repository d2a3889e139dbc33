import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { ModuleReference } from '../types.js';
import { unescapeJs } from './js-escapes.js';
import { triggerOffsets } from './prefilter.js';
import { buildSpecifier, type SpecifierPart } from './specifier-parts.js';
import { TriggerWalk, type VisitResult } from './trigger-walk.js';

/** Statements read directly wherever they are (functions, `if TYPE_CHECKING:`, `try`/`except`). */
const IMPORT_STATEMENTS: ReadonlySet<string> = new Set([
  'import_statement',
  'import_from_statement',
  'future_import_statement',
]);

/** Callees whose first argument is a module name. */
const IMPORT_FUNCTIONS: ReadonlySet<string> = new Set([
  'importlib.import_module',
  'import_module',
  '__import__',
]);

/** Longer callees (call chains, subscripts) are never one of {@link IMPORT_FUNCTIONS}; not worth reading. */
const MAX_CALLEE_LENGTH = 64;

/** `if` conditions whose body only runs under a type checker. */
const TYPE_CHECKING_CONDITIONS: ReadonlySet<string> = new Set([
  'TYPE_CHECKING',
  'typing.TYPE_CHECKING',
]);

/**
 * Extracts the module references of a Python file from its syntax tree.
 *
 * @param tree - the tree of `source` from the python grammar
 * @param source - the text that was parsed
 * @returns the references in document order. `import a.b as c, d` gives one `python-import` per module;
 *   `from ..p.m import x, y as z` gives one `python-from` with `specifier: 'p.m'`, `level: 2`,
 *   `names: ['x', 'y']`; `importlib.import_module('a.b')`, `import_module(…)` and `__import__('a')` give
 *   `python-importlib` (an f-string with a static prefix gives a glob such as `plugins.*`; a relative name
 *   with a literal `package` argument is made absolute), as does each module named by
 *   `pytest_plugins = [...]`. Imports in an `if TYPE_CHECKING:` body are
 *   `typeOnly`. `level` is set on every reference (0 when absolute); `line` is the module name's line.
 *
 * @remarks Like {@link extractTypeScriptReferences}: statements are entered only along the paths to an
 * `import` trigger, so the cost is one scan plus O(references · depth). Strings and comments are skipped.
 */
export function extractPythonReferences(tree: Tree, source: string): ModuleReference[] {
  const references: ModuleReference[] = [];
  const walk = new TriggerWalk(triggerOffsets(source, 'python'));
  const text = (node: Node): string => source.slice(node.startIndex, node.endIndex);

  const visit = (cursor: TreeCursor, typeOnly: boolean): VisitResult => {
    const type = cursor.nodeType;
    if (IMPORT_STATEMENTS.has(type)) {
      importStatement(cursor.currentNode, typeOnly);
      return 'skip';
    }
    switch (type) {
      case 'comment':
      case 'string':
      case 'concatenated_string':
        return 'skip';
      case 'call':
        call(cursor.currentNode, typeOnly);
        return 'descend';
      case 'if_statement':
        typeCheckingBlock(cursor.currentNode);
        return 'descend';
      case 'assignment':
        return pytestPlugins(cursor.currentNode, typeOnly) ? 'skip' : 'descend';
      default:
        return 'descend';
    }
  };

  const importStatement = (node: Node, typeOnly: boolean): void => {
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        const module =
          (name.type === 'aliased_import' ? name.childForFieldName('name') : null) ?? name;
        references.push({
          specifier: dottedName(text(module)),
          kind: 'python-import',
          typeOnly,
          line: module.startPosition.row + 1,
          level: 0,
        });
      }
      return;
    }
    const module =
      node.type === 'future_import_statement'
        ? node.child(1)
        : node.childForFieldName('module_name');
    /* c8 ignore next -- the grammar always gives a from-import its module */
    if (!module) return;
    const names = node.namedChildren.some((child) => child.type === 'wildcard_import')
      ? ['*']
      : node.childrenForFieldName('name').map((name) => {
          const imported = name.type === 'aliased_import' ? name.childForFieldName('name') : null;
          return dottedName(text(imported ?? name));
        });
    const name = dottedName(text(module));
    const specifier = name.replace(/^\.+/, '');
    const level = name.length - specifier.length;
    references.push({
      specifier,
      kind: 'python-from',
      typeOnly,
      line: module.startPosition.row + 1,
      level,
      names,
    });
  };

  const call = (node: Node, typeOnly: boolean): void => {
    const callee = node.childForFieldName('function');
    if (
      !callee ||
      callee.endIndex - callee.startIndex > MAX_CALLEE_LENGTH ||
      !IMPORT_FUNCTIONS.has(dottedName(text(callee)))
    ) {
      return;
    }
    /* c8 ignore next -- the grammar always gives a call its arguments */
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    const [name, second] = args.filter((arg) => arg.type !== 'comment');
    const built = name?.type === 'string' ? buildSpecifier(stringParts(name)) : undefined;
    if (!name || !built) return;
    const packageArgument =
      second?.type === 'keyword_argument' ? second.childForFieldName('value') : second;
    const packageParts = packageArgument?.type === 'string' ? stringParts(packageArgument) : [null];
    const [packageName] = packageParts;
    const absolute = makeAbsolute(
      built.specifier,
      packageParts.length === 1 && typeof packageName === 'string' ? packageName : undefined,
    );
    references.push({
      specifier: absolute.specifier,
      kind: 'python-importlib',
      typeOnly,
      ...(built.glob ? { glob: true } : {}),
      line: name.startPosition.row + 1,
      level: absolute.level,
    });
  };

  /**
   * `pytest_plugins = 'a.b'` or a list or tuple of such names: pytest imports each module (a plugin with
   * fixtures) for the tests under this `conftest.py`.
   *
   * @see {@link https://docs.pytest.org/en/stable/how-to/plugins.html#requiring-plugins}
   */
  const pytestPlugins = (node: Node, typeOnly: boolean): boolean => {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || text(left) !== 'pytest_plugins' || !right) return false;
    const names =
      right.type === 'list' || right.type === 'tuple'
        ? right.namedChildren.filter((child) => child.type === 'string')
        : right.type === 'string'
          ? [right]
          : [];
    for (const name of names) {
      const built = buildSpecifier(stringParts(name));
      if (!built || built.glob) continue;
      references.push({
        specifier: built.specifier,
        kind: 'python-importlib',
        typeOnly,
        line: name.startPosition.row + 1,
        level: 0,
      });
    }
    return true;
  };

  /** Walks the body of `if TYPE_CHECKING:` first, as a type context; the main walk then skips it. */
  const typeCheckingBlock = (node: Node): void => {
    const condition = node.childForFieldName('condition');
    const body = node.childForFieldName('consequence');
    if (!condition || !body || !TYPE_CHECKING_CONDITIONS.has(dottedName(text(condition)))) return;
    if (!walk.hasTrigger(body.startIndex, body.endIndex)) return;
    const cursor = body.walk();
    try {
      walk.walk(cursor, visit, true);
    } finally {
      cursor.delete();
    }
  };

  const cursor = tree.walk();
  try {
    if (cursor.gotoFirstChild()) {
      do {
        if (
          IMPORT_STATEMENTS.has(cursor.nodeType) ||
          walk.hasTrigger(cursor.startIndex, cursor.endIndex)
        ) {
          walk.walk(cursor, visit);
        }
      } while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  return references;

  /**
   * The pieces of a string literal: its text, `null` for each f-string interpolation. Escapes are decoded
   * as in JavaScript, which agrees with Python for those a module name could hold; raw strings keep them.
   */
  function stringParts(node: Node): SpecifierPart[] {
    const parts: SpecifierPart[] = [];
    const raw = /^[a-z]*r/i.test(text(node));
    let current = '';
    for (const child of node.namedChildren) {
      if (child.type === 'string_content') {
        current += raw ? text(child) : unescapeJs(text(child));
      } else if (child.type === 'interpolation') {
        parts.push(current, null);
        current = '';
      }
    }
    parts.push(current);
    return parts;
  }
}

/** `a . b` → `a.b`: a dotted name without whitespace, line continuations or comments. */
function dottedName(text: string): string {
  return text.replace(/#[^\n]*|\\\r?\n|\s+/g, '');
}

/**
 * `import_module('..b', 'a.c')` → `a.b`; with a package that is not a literal, the relative name stays
 * relative (`b`, level 2).
 */
function makeAbsolute(
  name: string,
  packageName: string | undefined,
): { specifier: string; level: number } {
  const rest = name.replace(/^\.+/, '');
  const level = name.length - rest.length;
  if (level === 0) return { specifier: name, level: 0 };
  const base = packageName?.split('.').filter((part) => part !== '') ?? [];
  if (base.length < level) return { specifier: rest, level };
  return {
    specifier: [...base.slice(0, base.length - level + 1), rest]
      .filter((part) => part !== '')
      .join('.'),
    level: 0,
  };
}
