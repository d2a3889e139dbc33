/**
 * Shapes shared by dep-ci's parsers, module resolution, import graph and commands.
 *
 * Paths are root-relative POSIX strings (`packages/a/src/x.ts`) unless a name says otherwise.
 *
 * @module
 */

/** Languages dep-ci parses, each with its own tree-sitter grammar. */
export type Language = 'typescript' | 'tsx' | 'javascript' | 'python';

/**
 * How a file refers to another module.
 *
 * - `import`: `import x from 's'`, `import {a} from 's'`, `import * as n from 's'`
 * - `side-effect`: `import 's'`
 * - `re-export`: `export {a} from 's'`, `export * from 's'`, `export * as n from 's'`
 * - `dynamic-import`: `import('s')` with a string literal, or a template literal with a static prefix
 *   (then `glob` is set)
 * - `require`, `require-resolve`: `require('s')`, `require.resolve('s')`
 * - `import-equals`: `import x = require('s')`
 * - `mock`: `jest.mock('s')`, `vi.mock('s')`, `jest.requireActual('s')`, `vi.importActual('s')` and kin
 * - `url`: `new URL('./s', import.meta.url)`
 * - `triple-slash`: `/// <reference path="s" />` or `types="s"`
 * - `path-literal`: any other string literal that looks like a relative file path (`'./fixtures/a.json'`,
 *   `'fixtures/a.json'`); an edge only when it names an existing repository file
 * - `python-import`: `import a.b` / `import a.b as c`
 * - `python-from`: `from a.b import c, d` / `from . import c` / `from ..x import *`
 * - `python-importlib`: `importlib.import_module('a.b')` with a string literal
 */
export type ReferenceKind =
  | 'import'
  | 'side-effect'
  | 're-export'
  | 'dynamic-import'
  | 'require'
  | 'require-resolve'
  | 'import-equals'
  | 'mock'
  | 'url'
  | 'triple-slash'
  | 'path-literal'
  | 'python-import'
  | 'python-from'
  | 'python-importlib';

/** One module reference found in a source file. */
export interface ModuleReference {
  /**
   * The specifier as written (`'./x.js'`, `'@scope/pkg/sub'`, `'a.b'` for Python). For a `glob`
   * reference, a glob over files (`'./locales/*.json'` from a template literal `./locales/${l}.json`
   * passed to `import()`).
   * For `python-from` with only dots (`from . import x`), the empty string.
   */
  specifier: string;
  kind: ReferenceKind;
  /** `import type`, `export type`, `import {type a}` only, or a `types=` triple-slash reference. */
  typeOnly: boolean;
  /** The specifier is a glob (template literal with a static prefix). */
  glob?: boolean;
  /** 1-based line of the reference. */
  line: number;
  /** Python: number of leading dots of a relative import (0 for absolute). */
  level?: number;
  /** Python `from X import a, b`: the imported names (`['*']` for a star import); each may be a submodule. */
  names?: string[];
}

/** What parsing one file found. */
export interface ParseResult {
  references: ModuleReference[];
  /**
   * The file could not be parsed (tree-sitter found syntax errors it could not recover from, or the
   * parser threw); `references` is then best effort and a change to the file selects all tests.
   */
  unparsable: boolean;
  /** Why the file is unparsable, e.g. `syntax error at 12:5`. */
  error?: string;
}

/**
 * Where module resolution led.
 *
 * - `file`: a repository file (root-relative POSIX)
 * - `files`: several repository files (a glob reference)
 * - `external`: a package outside the repository (node_modules or site-packages): a leaf
 * - `builtin`: a Node or Python standard-library module: a leaf
 * - `unresolved`: nothing found; `reason` says what was tried
 */
export type Resolution =
  | { kind: 'file'; path: string }
  | { kind: 'files'; paths: string[] }
  | { kind: 'external'; packageName: string }
  | { kind: 'builtin' }
  | { kind: 'unresolved'; reason: string };
