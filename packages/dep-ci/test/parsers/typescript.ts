import t from 'tap';
import {
  SourceParser,
  extractTypeScriptReferences,
  nodeModulesGrammars,
} from '../../src/parsers/index.js';
import { SCRIPT_CASES } from './fixtures/script-cases.js';
import { treeParser } from './helpers/trees.js';

const parser = await SourceParser.create(nodeModulesGrammars(), {
  languages: ['typescript', 'tsx', 'javascript'],
});
const trees = {
  typescript: await treeParser('typescript'),
  tsx: await treeParser('tsx'),
  javascript: await treeParser('javascript'),
  python: await treeParser('python'),
};

for (const { name, language, source, references } of SCRIPT_CASES) {
  t.test(name, async (t) => {
    t.strictSame(parser.parse(source, language), { references, unparsable: false });
  });
}

t.test(
  'the tree extractor alone finds every reference of files without syntax errors',
  async (t) => {
    for (const { name, language, source, references } of SCRIPT_CASES) {
      const tree = trees[language](source);
      if (!tree.rootNode.hasError)
        t.strictSame(extractTypeScriptReferences(tree, source), references, name);
      tree.delete();
    }
  },
);

t.test('only the cases with syntax newer than the grammar have errors', async (t) => {
  const withErrors = SCRIPT_CASES.filter(({ language, source }) => {
    const tree = trees[language](source);
    const hasError = tree.rootNode.hasError;
    tree.delete();
    return hasError;
  }).map(({ name }) => name);
  t.strictSame(withErrors, ['export type star (newer than the grammar)']);
});

t.test('a deeply nested expression does not overflow the stack', async (t) => {
  const depth = 20_000;
  const source = `const x = ${'['.repeat(depth)}require('./deep')${']'.repeat(depth)};\n`;
  t.strictSame(parser.parse(source, 'javascript').references, [
    { specifier: './deep', kind: 'require', typeOnly: false, line: 1 },
  ]);
});

t.test('every require in a long call chain is found', async (t) => {
  const source = `promise${".then(() => require('./x'))".repeat(2_000)};\n`;
  t.equal(parser.parse(source, 'javascript').references.length, 2_000);
});
