import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Language } from '../types.js';

/**
 * Where the WebAssembly bytes of web-tree-sitter and of the grammars come from. The bundled single
 * executable has no `.wasm` files on disk, so a source there reads SEA assets; in development
 * {@link nodeModulesGrammars} reads node_modules.
 */
export interface GrammarSource {
  /**
   * The bytes of web-tree-sitter's runtime, `web-tree-sitter.wasm`.
   *
   * @returns the whole `.wasm` file
   */
  runtime(): Promise<Uint8Array>;
  /**
   * The bytes of one grammar, e.g. `tree-sitter-typescript.wasm` for `typescript`.
   *
   * @param language - the grammar wanted
   * @returns the whole `.wasm` file
   */
  load(language: Language): Promise<Uint8Array>;
}

/**
 * The `.wasm` files by package and file name (`package/file`), for resolution from node_modules; the
 * part after the `/` is also a good SEA asset name.
 */
export const WASM_FILES = {
  runtime: 'web-tree-sitter/web-tree-sitter.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
} as const satisfies Record<Language | 'runtime', string>;

/**
 * A {@link GrammarSource} that reads the `.wasm` files shipped in the web-tree-sitter and tree-sitter-*
 * packages, resolved from this module. For development and tests: a bundle has no node_modules.
 *
 * @returns a source whose calls read one file each
 *
 * @remarks Each call resolves the file with `require.resolve` and reads it, O(file size); nothing is cached.
 */
export function nodeModulesGrammars(): GrammarSource {
  // Not named `require`: in the bundle, ncc turns `import.meta.url` into `require("url")…`, which a local
  // `require` would shadow (a temporal-dead-zone ReferenceError).
  const resolveHere = createRequire(import.meta.url);
  const read = async (file: string): Promise<Uint8Array> => readFile(resolveHere.resolve(file));
  return {
    runtime: async () => read(WASM_FILES.runtime),
    load: async (language) => read(WASM_FILES[language]),
  };
}
