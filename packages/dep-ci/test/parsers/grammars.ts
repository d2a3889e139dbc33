import { copyFile, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import t from 'tap';
import {
  SourceParser,
  WASM_FILES,
  nodeModulesGrammars,
  type GrammarSource,
} from '../../src/parsers/index.js';
import type { Language } from '../../src/types.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** A GrammarSource over `.wasm` copies in `dir`, the way a SEA serves them from assets, recording calls. */
function directoryGrammars(dir: string, calls: string[]): GrammarSource {
  const read = async (key: Language | 'runtime'): Promise<Uint8Array> => {
    calls.push(key);
    return readFile(join(dir, basename(WASM_FILES[key])));
  };
  return { runtime: async () => read('runtime'), load: async (language) => read(language) };
}

// One test file = one process, so web-tree-sitter's runtime is not initialised before these run.
t.test(
  'a runtime that is not WebAssembly fails creation, and a later valid one succeeds',
  async (t) => {
    const garbage: GrammarSource = {
      runtime: async () => new TextEncoder().encode('not wasm'),
      load: async () => new Uint8Array(),
    };
    await t.rejects(SourceParser.create(garbage, { languages: [] }), { message: /magic word/ });

    const require = createRequire(import.meta.url);
    const dir = t.testdir({});
    for (const file of Object.values(WASM_FILES)) {
      await copyFile(require.resolve(file), join(dir, basename(file)));
    }
    const calls: string[] = [];
    const parser = await SourceParser.create(directoryGrammars(dir, calls), {
      languages: ['typescript', 'python'],
    });
    t.strictSame(
      calls.sort(),
      ['python', 'runtime', 'typescript'],
      'only the requested grammars are read',
    );
    t.strictSame(parser.parse("import a from './a.js';\n", 'typescript'), {
      references: [{ specifier: './a.js', kind: 'import', typeOnly: false, line: 1 }],
      unparsable: false,
    });
    t.strictSame(parser.parse('from . import x\n', 'python').references, [
      { specifier: '', kind: 'python-from', typeOnly: false, line: 1, level: 1, names: ['x'] },
    ]);
  },
);

t.test('a grammar source that fails makes creation fail with its error', async (t) => {
  const failing: GrammarSource = {
    ...nodeModulesGrammars(),
    load: async (language) => {
      throw new Error(`no ${language}`);
    },
  };
  await t.rejects(SourceParser.create(failing, { languages: ['tsx'] }), { message: 'no tsx' });
});

t.test('nodeModulesGrammars reads WebAssembly from the grammar packages', async (t) => {
  const grammars = nodeModulesGrammars();
  for (const bytes of [
    await grammars.runtime(),
    ...(await Promise.all(
      (['typescript', 'tsx', 'javascript', 'python'] as const).map((l) => grammars.load(l)),
    )),
  ]) {
    t.strictSame([...bytes.subarray(0, 4)], WASM_MAGIC);
  }
});
