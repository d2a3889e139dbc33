import { Parser, Language as TreeSitterLanguage, type Tree } from 'web-tree-sitter';
import type { Language, ParseResult } from '../types.js';
import type { GrammarSource } from './grammars.js';
import { mergeReferences } from './merge-references.js';
import { triggerOffsets } from './prefilter.js';
import { extractPythonReferences } from './python.js';
import { summarizeSyntaxErrors } from './syntax-errors.js';
import { extractReferencesFromText } from './text-fallback.js';
import { extractTypeScriptReferences } from './typescript.js';

/** Options of {@link SourceParser.create}. */
export interface SourceParserOptions {
  /**
   * Grammars to fetch from the {@link GrammarSource}; parsing any other language gives an unparsable result.
   *
   * @defaultValue all four: `['typescript', 'tsx', 'javascript', 'python']`
   */
  languages?: readonly Language[];
  /**
   * Wall-clock milliseconds one `parse` may spend in tree-sitter before it is abandoned; the file is then
   * unparsable and gets only the text fallback's references.
   *
   * @defaultValue 5000
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Above this share of the text inside `ERROR` nodes, a file is unparsable: it is not really this language. */
const SEVERE_ERROR_SHARE = 0.5;

/** The clock is read on every this-many progress callbacks, which tree-sitter makes every few tokens. */
const CLOCK_EVERY = 64;

const ALL_LANGUAGES: readonly Language[] = ['typescript', 'tsx', 'javascript', 'python'];

/**
 * Module options for web-tree-sitter's Emscripten module: the runtime comes from bytes, so no file is read.
 * `locateFile` must still return something: Emscripten computes the file name before it sees `wasmBinary`.
 * `print`/`printErr` silence Emscripten's console output; its failures still reject `Parser.init`.
 *
 * @see {@link https://emscripten.org/docs/api_reference/module.html}
 */
interface RuntimeOptions {
  wasmBinary: Uint8Array;
  locateFile: (name: string) => string;
  print: (text: string) => void;
  printErr: (text: string) => void;
}

const ignore = (): void => undefined;

/**
 * web-tree-sitter's runtime, initialised once per process (per worker thread).
 *
 * @privateRemarks web-tree-sitter keeps its WebAssembly instance in module state, and a second
 * `Parser.init` swaps it under the parsers and languages of the first; so this module remembers the one
 * initialisation, the only state it keeps. A failed initialisation is forgotten so that it can be retried.
 */
let runtimeReady: Promise<void> | undefined;

function initRuntime(grammars: GrammarSource): Promise<void> {
  runtimeReady ??= grammars
    .runtime()
    .then(async (wasmBinary) => {
      const options: RuntimeOptions = {
        wasmBinary,
        locateFile: (name) => name,
        print: ignore,
        printErr: ignore,
      };
      await Parser.init(options);
    })
    .catch((error: unknown) => {
      runtimeReady = undefined;
      throw error;
    });
  return runtimeReady;
}

/**
 * Turns one file's source text into its module references, with web-tree-sitter.
 *
 * @remarks Policy for syntax errors, which must never cost a reference. tree-sitter always returns a tree;
 * when it has `ERROR` or `MISSING` nodes, the references of the tree are merged with those of the text
 * fallback ({@link extractReferencesFromText}), which finds `import`/`export … from`, `require`, `import()`,
 * mocks, `new URL` and path literals in the raw text, syntax errors or not. The file is marked
 * `unparsable` (so that a change to it selects all tests) only when that cannot be trusted: more than half
 * of the text lies inside `ERROR` nodes (the file is not really this language), the parse ran out of time,
 * or something threw; `error` then says why, e.g. `syntax error at 12:5` (1-based line and UTF-16 column of
 * the first error). A local error (a missing brace, newer syntax than the grammar) leaves it parsable.
 *
 * Cost: tree-sitter's parse, O(n), dominates; extraction adds one regular-expression scan and
 * O(references · depth) cursor moves, and the fallback a few linear scans for files with errors.
 */
export class SourceParser {
  /** One parser per loaded language, its grammar set. */
  readonly #parsers: ReadonlyMap<Language, Parser>;
  readonly #timeoutMs: number;

  private constructor(parsers: ReadonlyMap<Language, Parser>, timeoutMs: number) {
    this.#parsers = parsers;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Initialises web-tree-sitter from the source's runtime bytes (once per process), then loads the
   * requested grammars from their bytes.
   *
   * @param grammars - where the `.wasm` bytes come from
   * @param options - see {@link SourceParserOptions}
   * @returns a parser for the requested languages
   * @remarks About 10 ms per grammar. `parse` is synchronous, so grammars cannot be loaded on first use;
   * {@link SourceParserOptions.languages} skips unneeded ones.
   * @throws the {@link GrammarSource}'s own error when it cannot provide the bytes, or web-tree-sitter's
   *   (a `WebAssembly.RuntimeError` or `Error`) when they are not a valid runtime or grammar
   */
  static async create(
    grammars: GrammarSource,
    options: SourceParserOptions = {},
  ): Promise<SourceParser> {
    const languages = options.languages ?? ALL_LANGUAGES;
    await initRuntime(grammars);
    const loaded = await Promise.all(
      languages.map(async (language) => {
        const parser = new Parser();
        parser.setLanguage(await TreeSitterLanguage.load(await grammars.load(language)));
        return [language, parser] as const;
      }),
    );
    return new SourceParser(new Map(loaded), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Parses one file and extracts its module references. Never throws.
   *
   * @param source - the whole file
   * @param language - its grammar (see {@link languageOf})
   * @returns the references in line order; `unparsable` and `error` as the class remarks describe
   *
   * @remarks O(n) in the file length.
   */
  parse(source: string, language: Language): ParseResult {
    try {
      return this.#parse(source, language);
    } catch (error) {
      /* c8 ignore next -- web-tree-sitter and this module throw Error objects; anything else is kept too */
      const message = error instanceof Error ? error.message : String(error);
      return unparsable(source, language, message);
    }
  }

  #parse(source: string, language: Language): ParseResult {
    const end = headerEnd(source, language);
    // No trigger at all: the file cannot reference a module, whatever its syntax (the text pre-filter).
    if (end === 0) return { references: [], unparsable: false };
    if (end < source.length * HEADER_SHARE) {
      const header = this.#parseHeader(source.slice(0, end), language);
      if (header !== undefined) return header;
    }
    return this.#parseWhole(source, language);
  }

  /**
   * Parses only the text up to the last line holding a trigger, when that text parses without any
   * syntax error; `undefined` otherwise (the caller then parses the whole file).
   *
   * @remarks
   * Every reference the extractors find lies in a syntax node holding a trigger (see
   * {@link triggerOffsets}), so a clean parse of a prefix that holds every trigger finds them all, at the
   * same offsets and lines. Most modules keep their imports at the top, so this skips most of the text.
   */
  #parseHeader(header: string, language: Language): ParseResult | undefined {
    const tree = this.#parseWithDeadline(header, language);
    if (!tree) return undefined;
    try {
      if (tree.rootNode.hasError) return undefined;
      const references =
        language === 'python'
          ? extractPythonReferences(tree, header)
          : extractTypeScriptReferences(tree, header);
      return { references, unparsable: false };
    } finally {
      tree.delete();
    }
  }

  /** The tree, or `null` when parsing ran past the timeout (the parser is then reset). */
  #parseWithDeadline(source: string, language: Language): Tree | null {
    const parser = this.#parser(language);
    const deadline = performance.now() + this.#timeoutMs;
    let calls = 0;
    const tree = parser.parse(source, null, {
      progressCallback: () => (calls += 1) % CLOCK_EVERY === 0 && performance.now() > deadline,
    });
    if (!tree) parser.reset();
    return tree;
  }

  #parseWhole(source: string, language: Language): ParseResult {
    const tree = this.#parseWithDeadline(source, language);
    if (!tree) {
      return unparsable(source, language, `Parsing timed out after ${this.#timeoutMs} ms.`);
    }
    try {
      const references =
        language === 'python'
          ? extractPythonReferences(tree, source)
          : extractTypeScriptReferences(tree, source);
      const errors = tree.rootNode.hasError
        ? summarizeSyntaxErrors(tree.rootNode, source)
        : undefined;
      if (!errors) return { references, unparsable: false };
      const merged = mergeReferences(references, extractReferencesFromText(source, language));
      return errors.errorShare > SEVERE_ERROR_SHARE
        ? {
            references: merged,
            unparsable: true,
            error: `syntax error at ${errors.line}:${errors.column}`,
          }
        : { references: merged, unparsable: false };
    } finally {
      tree.delete();
    }
  }

  #parser(language: Language): Parser {
    const parser = this.#parsers.get(language);
    if (!parser) {
      throw new Error(
        `Grammar "${language}" was not loaded. Add it to SourceParserOptions.languages.`,
      );
    }
    return parser;
  }
}

/** The fallback's references, marked unparsable with `error`. */
function unparsable(source: string, language: Language, error: string): ParseResult {
  return { references: extractReferencesFromText(source, language), unparsable: true, error };
}

/** A header shorter than this share of the file is parsed on its own first. */
const HEADER_SHARE = 0.8;

/**
 * Text every script module reference holds, for finding where the header ends: the prefilter's triggers
 * without `export`, which only makes a reference with a `from '…'`, and with
 * that `from '…'`, which also ends a multi-line import, so the header ends after whole statements.
 */
const SCRIPT_HEADER_MARKS =
  /import|require|[mM]ock|__dirname|\/\/\/|\.[A-Za-z0-9]{1,8}['"`]|\bfrom\s*['"]/g;

/**
 * Where the header of a file ends: just past the line holding the last trigger (or, for scripts, the last
 * `from '…'`); 0 when there is none. UTF-16 offset.
 */
function headerEnd(source: string, language: Language): number {
  const offsets =
    language === 'python'
      ? triggerOffsets(source, language)
      : Array.from(source.matchAll(SCRIPT_HEADER_MARKS), (match) => match.index);
  const last = offsets.at(-1);
  if (last === undefined) return 0;
  const newline = source.indexOf('\n', last);
  return newline === -1 ? source.length : newline + 1;
}
