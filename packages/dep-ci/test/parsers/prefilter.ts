import t from 'tap';
import {
  SourceParser,
  extractReferencesFromText,
  mightReferenceModules,
  nodeModulesGrammars,
} from '../../src/parsers/index.js';
import type { Language } from '../../src/types.js';
import { FALLBACK_CASES } from './fixtures/fallback-cases.js';
import { PYTHON_CASES } from './fixtures/python-cases.js';
import { SCRIPT_CASES } from './fixtures/script-cases.js';

const parser = await SourceParser.create(nodeModulesGrammars());
const CASES = [...SCRIPT_CASES, ...PYTHON_CASES, ...FALLBACK_CASES];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('every fixture with a reference passes the prefilter', async (t) => {
  for (const { name, language, source, references } of CASES) {
    if (references.length > 0) t.ok(mightReferenceModules(source, language), name);
  }
});

/**
 * Whether a file has a reference by the parser or by the regular expressions of the text fallback, which
 * do not use the prefilter's triggers and so check them independently.
 */
function hasReferences(source: string, language: Language): boolean {
  return (
    parser.parse(source, language).references.length > 0 ||
    extractReferencesFromText(source, language).length > 0
  );
}

t.test('every fixture line with a reference of its own passes the prefilter', async (t) => {
  for (const { name, language, source } of CASES) {
    for (const line of source.split('\n')) {
      if (hasReferences(line, language))
        t.ok(mightReferenceModules(line, language), `${name}: ${line}`);
    }
  }
});

t.test('the prefilter passes whatever has references, also in broken files', async (t) => {
  const next = random(20_260_101);
  const lines = (language: Language): string[] =>
    CASES.filter((c) => (c.language === 'python') === (language === 'python')).flatMap((c) =>
      c.source.split('\n'),
    );
  let withReferences = 0;
  for (let iteration = 0; iteration < 400; iteration += 1) {
    const language =
      (['typescript', 'tsx', 'javascript', 'python'] as const)[Math.floor(next() * 4)] ?? 'python';
    const pool = lines(language);
    let source = Array.from(
      { length: 1 + Math.floor(next() * 8) },
      () => pool[Math.floor(next() * pool.length)],
    ).join('\n');
    // Delete a few characters to make syntax errors.
    for (let cut = Math.floor(next() * 3); cut > 0; cut -= 1) {
      const at = Math.floor(next() * source.length);
      source = source.slice(0, at) + source.slice(at + 1 + Math.floor(next() * 3));
    }
    if (!hasReferences(source, language)) continue;
    withReferences += 1;
    if (!mightReferenceModules(source, language)) {
      t.fail(`prefilter said no for a ${language} file with references`, { source });
    }
  }
  t.ok(withReferences > 200, `${withReferences} generated files had references`);
});

t.test('files without any trigger text are rejected', async (t) => {
  t.notOk(mightReferenceModules('const a = 1;\nfunction f(x) { return x * 2; }\n', 'typescript'));
  t.notOk(
    mightReferenceModules('const a = \'hello\';\nconst b = "a/b";\n', 'javascript'),
    'strings without a dot-extension at their end',
  );
  t.notOk(mightReferenceModules('def f(x):\n    return x * 2\n', 'python'));
});

t.test('each kind of trigger passes', async (t) => {
  for (const source of [
    "import a from 'a'",
    "export * from 'a'",
    "require('a')",
    "jest.mock('a')",
    "vi.doMock('a')",
    "new URL('./a', import.meta.url)",
    'path.join(__dirname, name)',
    '/// <reference types="a" />',
    "'dir/a.json'",
    '"dir/a.json"',
    '`dir/a.json`',
  ]) {
    t.ok(mightReferenceModules(source, 'typescript'), source);
  }
  t.ok(mightReferenceModules('from . import a', 'python'));
  t.ok(mightReferenceModules("__import__('a')", 'python'));
});
