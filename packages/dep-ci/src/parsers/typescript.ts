import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { ModuleReference, ReferenceKind } from '../types.js';
import { unescapeJs } from './js-escapes.js';
import { isPathLiteral, joinDirnameSegments } from './path-literals.js';
import { triggerOffsets } from './prefilter.js';
import { buildSpecifier, type SpecifierPart } from './specifier-parts.js';
import { readTripleSlash } from './triple-slash.js';
import { TriggerWalk, type VisitResult } from './trigger-walk.js';

/** jest helpers whose first argument is a module specifier. */
const JEST_MODULE_METHODS: ReadonlySet<string> = new Set([
  'mock',
  'doMock',
  'unmock',
  'dontMock',
  'deepUnmock',
  'setMock',
  'requireActual',
  'requireMock',
  'createMockFromModule',
  'genMockFromModule',
]);

/** vitest helpers whose first argument is a module specifier. */
const VITEST_MODULE_METHODS: ReadonlySet<string> = new Set([
  'mock',
  'doMock',
  'unmock',
  'doUnmock',
  'importActual',
  'importMock',
]);

/** Nodes below which everything is a type (`type T = import('./x').X`, `let v: typeof import('./y')`). */
const TYPE_CONTEXTS: ReadonlySet<string> = new Set([
  'type_annotation',
  'type_alias_declaration',
  'type_query',
  'interface_declaration',
  'type_arguments',
  'type_parameters',
  'implements_clause',
  'extends_type_clause',
]);

/** Longest name worth reading (`import.meta.dirname`, `jest`, `path.posix`); longer ones are call chains. */
const MAX_NAME_LENGTH = 64;

/** `path.join(...)` / `path.resolve(...)` (or the bare imported functions) with one of these first. */
const DIRNAMES: ReadonlySet<string> = new Set(['__dirname', 'import.meta.dirname']);

/**
 * Extracts the module references of a TypeScript, TSX or JavaScript file from its syntax tree.
 *
 * @param tree - the tree of `source` from the typescript, tsx or javascript grammar (they share the node
 *   types used here)
 * @param source - the text that was parsed
 * @returns the references in document order; `line` is the line of the specifier literal (of the call for
 *   `path.join(__dirname, …)`, of the comment for triple-slash directives)
 *
 * @remarks Top-level `import`/`export … from` statements and `///` comments are read directly. Every other
 * statement is entered only when it holds a trigger (see {@link TriggerWalk}), and then only along the paths
 * to its triggers, so the cost is one regular-expression scan plus O(references · depth), far below a
 * tree-sitter query over the whole tree. Comments and non-path strings never produce references; strings
 * already used as a specifier do not also produce a `path-literal`.
 */
export function extractTypeScriptReferences(tree: Tree, source: string): ModuleReference[] {
  return new ScriptExtraction(source).run(tree);
}

/** The state of one extraction: its references, trigger walk, and the literals already used. */
class ScriptExtraction {
  readonly #source: string;
  readonly #walk: TriggerWalk;
  readonly #references: ModuleReference[] = [];
  /** Start offsets of string literals consumed as a specifier, so they are not path literals too. */
  readonly #consumed = new Set<number>();
  readonly #visit = (cursor: TreeCursor, typeOnly: boolean): VisitResult =>
    this.#visitNode(cursor, typeOnly);

  constructor(source: string) {
    this.#source = source;
    this.#walk = new TriggerWalk(triggerOffsets(source, 'typescript'));
  }

  run(tree: Tree): ModuleReference[] {
    const cursor = tree.walk();
    try {
      if (!cursor.gotoFirstChild()) return this.#references;
      do {
        const type = cursor.nodeType;
        if (type === 'comment') {
          this.#comment(cursor);
        } else if (
          type === 'import_statement' ||
          type === 'export_statement' ||
          this.#walk.hasTrigger(cursor.startIndex, cursor.endIndex)
        ) {
          this.#walk.walk(cursor, this.#visit);
        }
      } while (cursor.gotoNextSibling());
      return this.#references;
    } finally {
      cursor.delete();
    }
  }

  #visitNode(cursor: TreeCursor, typeOnly: boolean): VisitResult {
    const type = cursor.nodeType;
    switch (type) {
      case 'comment':
        return 'skip';
      case 'string':
        this.#pathLiteral(cursor.currentNode);
        return 'skip';
      case 'template_string':
        this.#pathLiteral(cursor.currentNode);
        return 'descend';
      case 'import_statement':
        this.#importStatement(cursor);
        return 'skip';
      case 'export_statement':
        return this.#exportFrom(cursor) ? 'skip' : 'descend';
      case 'call_expression':
        this.#call(cursor.currentNode, typeOnly);
        return 'descend';
      case 'new_expression':
        this.#newUrl(cursor.currentNode);
        return 'descend';
      default:
        return TYPE_CONTEXTS.has(type) ? 'type-context' : 'descend';
    }
  }

  #add(specifier: string, kind: ReferenceKind, typeOnly: boolean, row: number, glob = false): void {
    this.#references.push(
      glob
        ? { specifier, kind, typeOnly, glob, line: row + 1 }
        : { specifier, kind, typeOnly, line: row + 1 },
    );
  }

  #text(node: Node): string {
    return this.#source.slice(node.startIndex, node.endIndex);
  }

  #comment(cursor: TreeCursor): void {
    const start = cursor.startIndex;
    if (!this.#source.startsWith('///', start)) return;
    const target = readTripleSlash(this.#source.slice(start, cursor.endIndex));
    if (target) {
      this.#add(target.specifier, 'triple-slash', target.typeOnly, cursor.startPosition.row);
    }
  }

  /** `import … from 's'`, `import 's'`, `import x = require('s')`; the cursor is on the statement. */
  #importStatement(cursor: TreeCursor): void {
    let kind: ReferenceKind = 'side-effect';
    let typeOnly = false;
    let specifier: Node | null = null;
    cursor.gotoFirstChild();
    do {
      switch (cursor.nodeType) {
        case 'type':
          typeOnly = true;
          break;
        case 'import_clause':
          kind = 'import';
          typeOnly ||= onlyTypeSpecifiers(cursor.currentNode);
          break;
        case 'import_require_clause':
          kind = 'import-equals';
          specifier = cursor.currentNode.childForFieldName('source');
          break;
        case 'string':
          if (cursor.currentFieldName === 'source') specifier = cursor.currentNode;
          break;
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    if (specifier) this.#stringReference(specifier, kind, typeOnly);
  }

  /** `export … from 's'`; `false` for other exports, whose children may hold references. */
  #exportFrom(cursor: TreeCursor): boolean {
    let typeOnly = false;
    let specifier: Node | null = null;
    cursor.gotoFirstChild();
    do {
      switch (cursor.nodeType) {
        case 'type':
          typeOnly = true;
          break;
        case 'ERROR':
          // `export type * from 's'` (TS 5.0) is newer than the grammar, which wraps `type` in an ERROR.
          typeOnly ||= this.#source.slice(cursor.startIndex, cursor.endIndex).trim() === 'type';
          break;
        case 'export_clause':
          typeOnly ||= onlyTypeSpecifiers(cursor.currentNode);
          break;
        case 'string':
          if (cursor.currentFieldName === 'source') specifier = cursor.currentNode;
          break;
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    if (!specifier) return false;
    this.#stringReference(specifier, 're-export', typeOnly);
    return true;
  }

  #stringReference(node: Node, kind: ReferenceKind, typeOnly: boolean): void {
    this.#consumed.add(node.startIndex);
    this.#add(unescapeJs(this.#text(node).slice(1, -1)), kind, typeOnly, node.startPosition.row);
  }

  #call(node: Node, typeOnly: boolean): void {
    const callee = node.childForFieldName('function');
    /* c8 ignore next -- the grammar always gives a call its function */
    const name = callee ? this.#calleeName(callee) : undefined;
    const args = name && argumentsOf(node);
    if (!name || !args) return;
    const [object, method] = name;
    const [first, ...rest] = args;
    switch (object === '' ? method : `${object}.${method}`) {
      case 'import':
        this.#specifierArgument(first, 'dynamic-import', typeOnly);
        return;
      case 'require':
      case 'module.require':
        this.#specifierArgument(first, 'require', false);
        return;
      case 'require.resolve':
      case 'import.meta.resolve':
        this.#specifierArgument(first, 'require-resolve', false);
        return;
      case 'import.meta.glob':
        this.#viteGlob(first);
        return;
    }
    if (
      (object === 'jest' && JEST_MODULE_METHODS.has(method)) ||
      (object === 'vi' && VITEST_MODULE_METHODS.has(method))
    ) {
      this.#specifierArgument(first, 'mock', false);
    } else if (
      (method === 'join' || method === 'resolve') &&
      DIRNAMES.has(this.#name(first) ?? '')
    ) {
      this.#dirnameJoin(node, rest);
    }
  }

  /**
   * `['', 'require']` for `require(…)`, `['jest', 'mock']` for `jest.mock(…)`, `['', 'import']` for
   * `import(…)`; `undefined` for callees that cannot be one of ours (long objects are call chains).
   */
  #calleeName(callee: Node): [object: string, method: string] | undefined {
    switch (callee.type) {
      case 'import':
        return ['', 'import'];
      case 'identifier':
        return ['', this.#text(callee)];
      case 'member_expression': {
        const object = this.#name(callee.childForFieldName('object'));
        const property = callee.childForFieldName('property');
        return object !== undefined && property ? [object, this.#text(property)] : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * A short identifier or member expression without spaces and comments (`import . meta . url` →
   * `import.meta.url`); `undefined` for anything longer, such as call chains, which is never one of ours.
   */
  #name(node: Node | null | undefined): string | undefined {
    if (!node || node.endIndex - node.startIndex > MAX_NAME_LENGTH) return undefined;
    const text = this.#text(node);
    return /[\s/]/.test(text) ? text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|\s+/g, '') : text;
  }

  /** `new URL('./s', import.meta.url)`. */
  #newUrl(node: Node): void {
    if (this.#name(node.childForFieldName('constructor')) !== 'URL') return;
    /* c8 ignore next -- `new URL` without parentheses holds no trigger, so the walk never gets here */
    const [specifier, base] = argumentsOf(node) ?? [];
    if (this.#name(base) === 'import.meta.url') this.#specifierArgument(specifier, 'url', false);
  }

  /**
   * The reference named by a call's argument; both branches of `c ? 'a' : 'b'`, `x || 'a'` and `x ?? 'a'`
   * count, since either may be taken.
   */
  #specifierArgument(node: Node | null | undefined, kind: ReferenceKind, typeOnly: boolean): void {
    if (!node) return;
    const alternatives = this.#alternatives(node);
    if (alternatives) {
      for (const alternative of alternatives) this.#specifierArgument(alternative, kind, typeOnly);
      return;
    }
    const literals: Node[] = [];
    const built = buildSpecifier(this.#parts(node, literals));
    if (!built) return;
    for (const literal of literals) this.#consumed.add(literal.startIndex);
    this.#add(built.specifier, kind, typeOnly, node.startPosition.row, built.glob);
  }

  #alternatives(node: Node): (Node | null)[] | undefined {
    if (node.type === 'ternary_expression') {
      return [node.childForFieldName('consequence'), node.childForFieldName('alternative')];
    }
    const operator =
      node.type === 'binary_expression' ? node.childForFieldName('operator')?.type : undefined;
    if (operator === '||' || operator === '??') {
      return [node.childForFieldName('left'), node.childForFieldName('right')];
    }
    return undefined;
  }

  /** Vite's `import.meta.glob('./dir/*.ts')` or `(['./a/*.ts', '!./a/b.ts'])`: already globs. */
  #viteGlob(node: Node | undefined): void {
    const patterns = node?.type === 'array' ? node.namedChildren : node ? [node] : [];
    for (const pattern of patterns) {
      if (pattern.type !== 'string') continue;
      const value = unescapeJs(this.#text(pattern).slice(1, -1));
      this.#consumed.add(pattern.startIndex);
      if (!value.startsWith('!')) {
        this.#add(value, 'dynamic-import', false, pattern.startPosition.row, true);
      }
    }
  }

  /** `path.join(__dirname, 'fixtures', 'a.json')` with literal segments: `'./fixtures/a.json'`. */
  #dirnameJoin(call: Node, segments: readonly Node[]): void {
    const values: string[] = [];
    for (const segment of segments) {
      const value = this.#staticString(segment);
      if (value === undefined) return;
      values.push(value);
    }
    const path = joinDirnameSegments(values);
    if (path === undefined) return;
    for (const segment of segments) this.#consumed.add(segment.startIndex);
    this.#add(path, 'path-literal', false, call.startPosition.row);
  }

  #pathLiteral(node: Node): void {
    if (this.#consumed.has(node.startIndex)) return;
    const value = this.#staticString(node);
    if (value !== undefined && isPathLiteral(value)) {
      this.#add(value, 'path-literal', false, node.startPosition.row);
    }
  }

  /** The value of a string or a template literal without substitutions. */
  #staticString(node: Node): string | undefined {
    const parts =
      node.type === 'string' || node.type === 'template_string' ? this.#parts(node, []) : [null];
    const [value, ...rest] = parts;
    return rest.length === 0 && typeof value === 'string' ? value : undefined;
  }

  /**
   * The static and computed pieces of a specifier expression: strings, templates and `+` concatenations
   * of them; anything else is one computed piece. Collects the literal nodes into `literals`.
   */
  #parts(node: Node, literals: Node[]): SpecifierPart[] {
    switch (node.type) {
      case 'string':
        literals.push(node);
        return [unescapeJs(this.#text(node).slice(1, -1))];
      case 'template_string':
        literals.push(node);
        return this.#templateParts(node);
      case 'parenthesized_expression': {
        const [inner, ...more] = node.namedChildren.filter((child) => child.type !== 'comment');
        /* c8 ignore next -- parentheses hold exactly one expression */
        return inner && more.length === 0 ? this.#parts(inner, literals) : [null];
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (node.childForFieldName('operator')?.type !== '+' || !left || !right) return [null];
        return [...this.#parts(left, literals), ...this.#parts(right, literals)];
      }
      default:
        return [null];
    }
  }

  #templateParts(node: Node): SpecifierPart[] {
    const parts: SpecifierPart[] = [];
    let staticStart = node.startIndex + 1;
    for (const child of node.namedChildren) {
      if (child.type !== 'template_substitution') continue;
      parts.push(unescapeJs(this.#source.slice(staticStart, child.startIndex)), null);
      staticStart = child.endIndex;
    }
    parts.push(unescapeJs(this.#source.slice(staticStart, node.endIndex - 1)));
    return parts;
  }
}

/** A call's or `new`'s arguments, comments left out; `undefined` for a tagged template. */
function argumentsOf(node: Node): Node[] | undefined {
  const args = node.childForFieldName('arguments');
  if (args?.type !== 'arguments') return undefined;
  return args.namedChildren.filter((child) => child.type !== 'comment');
}

/**
 * `{type a, type b}` (an import clause or export clause whose named specifiers are all `type`); a default
 * or namespace import, or an empty list, makes it a value import.
 */
function onlyTypeSpecifiers(clause: Node): boolean {
  const named = clause.type === 'import_clause' ? clause.namedChildren : [clause];
  const list = named[0];
  if (
    named.length !== 1 ||
    !list ||
    (list.type !== 'named_imports' && list.type !== 'export_clause')
  ) {
    return false;
  }
  const specifiers = list.namedChildren.filter((child) => child.type !== 'comment');
  return (
    specifiers.length > 0 && specifiers.every((specifier) => specifier.firstChild?.type === 'type')
  );
}
