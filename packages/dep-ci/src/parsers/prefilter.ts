import type { Language } from '../types.js';

/**
 * Text that every TypeScript/JavaScript module reference dep-ci extracts contains, also inside syntax
 * errors: a keyword or callee (`import`, `export`, `require`; the jest/vitest helpers all contain `mock`,
 * `Mock`, `require` or `import`; `new URL(…, import.meta.url)` and `import.meta.dirname` contain `import`),
 * `__dirname`, a triple-slash directive (`///`), or the end of a path-literal string (`.ext` and a quote).
 */
const SCRIPT_TRIGGER_SOURCE =
  'import|export|require|[mM]ock|__dirname|///|\\.[A-Za-z0-9]{1,8}[\'"`]';
/**
 * Text that every Python module reference contains (`import`, `from … import`, `import_module`,
 * `__import__`, and pytest's `pytest_plugins = [...]`).
 */
const PYTHON_TRIGGER_SOURCE = 'import|pytest_plugins';

const PYTHON_TRIGGER = new RegExp(PYTHON_TRIGGER_SOURCE);

const SCRIPT_TRIGGER = new RegExp(SCRIPT_TRIGGER_SOURCE);
const SCRIPT_TRIGGERS = new RegExp(SCRIPT_TRIGGER_SOURCE, 'g');
const PYTHON_TRIGGERS = new RegExp(PYTHON_TRIGGER_SOURCE, 'g');

/**
 * Cheap text test run before parsing: `false` only when the file certainly has no module reference.
 *
 * @param source - the whole file
 * @param language - the grammar the file would be parsed with
 * @returns `true` when the text contains any trigger (see {@link triggerOffsets}); the extractors only look
 *   at syntax nodes that contain a trigger, so a reference they find always makes this `true`
 *
 * @remarks One regular-expression scan, O(n) in the file length; no parsing.
 */
export function mightReferenceModules(source: string, language: Language): boolean {
  return language === 'python' ? PYTHON_TRIGGER.test(source) : SCRIPT_TRIGGER.test(source);
}

/**
 * Where the triggers of {@link mightReferenceModules} start.
 *
 * @param source - the whole file
 * @param language - the grammar the file is parsed with
 * @returns the start offsets (UTF-16 code units, the unit of web-tree-sitter's `startIndex`), ascending
 *
 * @remarks One regular-expression scan, O(n). The extractors descend only into syntax nodes whose range
 * holds one of these offsets, which is what makes extraction cheap.
 */
export function triggerOffsets(source: string, language: Language): number[] {
  const offsets: number[] = [];
  for (const match of source.matchAll(language === 'python' ? PYTHON_TRIGGERS : SCRIPT_TRIGGERS)) {
    offsets.push(match.index);
  }
  return offsets;
}
