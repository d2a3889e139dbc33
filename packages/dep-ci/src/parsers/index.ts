export type { GrammarSource } from './grammars.js';
export { WASM_FILES, nodeModulesGrammars } from './grammars.js';
export { languageOf } from './language-of.js';
export { mightReferenceModules } from './prefilter.js';
export { extractPythonReferences } from './python.js';
export type { SourceParserOptions } from './source-parser.js';
export { SourceParser } from './source-parser.js';
export { extractReferencesFromText } from './text-fallback.js';
export { extractTypeScriptReferences } from './typescript.js';
