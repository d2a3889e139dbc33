import { getAsset, isSea } from 'node:sea';
import type { GrammarSource } from './parsers/index.js';
import { nodeModulesGrammars } from './parsers/index.js';
import type { Language } from './types.js';

/** SEA asset names of the tree-sitter runtime and grammars, as `scripts/bundle.mjs --asset` embeds them. */
export const GRAMMAR_ASSETS = {
  runtime: 'web-tree-sitter.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
} as const satisfies Record<Language | 'runtime', string>;

/**
 * Where the `.wasm` files come from: the single executable's embedded assets, or the grammar packages in
 * node_modules when running from source or from the plain bundle.
 */
export function grammarSource(): GrammarSource {
  if (!isSea()) return nodeModulesGrammars();
  const asset = (name: string) => Promise.resolve(new Uint8Array(getAsset(name)));
  return {
    runtime: () => asset(GRAMMAR_ASSETS.runtime),
    load: (language: Language) => asset(GRAMMAR_ASSETS[language]),
  };
}
