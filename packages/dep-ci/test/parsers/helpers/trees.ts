import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Language as TreeSitterLanguage, Parser, type Tree } from 'web-tree-sitter';
import { SourceParser, WASM_FILES, nodeModulesGrammars } from '../../../src/parsers/index.js';
import type { Language } from '../../../src/types.js';

/**
 * Parses with web-tree-sitter directly, to test the extractors without the text fallback. Creating a
 * SourceParser first initialises the runtime the way production code does.
 */
export async function treeParser(language: Language): Promise<(source: string) => Tree> {
  await SourceParser.create(nodeModulesGrammars(), { languages: [] });
  const require = createRequire(import.meta.url);
  const parser = new Parser();
  parser.setLanguage(
    await TreeSitterLanguage.load(await readFile(require.resolve(WASM_FILES[language]))),
  );
  return (source) => {
    const tree = parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  };
}
