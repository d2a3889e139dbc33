import t from 'tap';
import {
  SourceParser,
  extractPythonReferences,
  nodeModulesGrammars,
} from '../../src/parsers/index.js';
import { PYTHON_CASES } from './fixtures/python-cases.js';
import { treeParser } from './helpers/trees.js';

const parser = await SourceParser.create(nodeModulesGrammars(), { languages: ['python'] });
const tree = await treeParser('python');

for (const { name, language, source, references } of PYTHON_CASES) {
  t.test(name, async (t) => {
    t.strictSame(parser.parse(source, language), { references, unparsable: false });
  });
}

t.test(
  'the tree extractor alone finds every reference, with no syntax errors in the cases',
  async (t) => {
    for (const { name, source, references } of PYTHON_CASES) {
      const parsed = tree(source);
      t.equal(parsed.rootNode.hasError, false, `${name}: no syntax error`);
      t.strictSame(extractPythonReferences(parsed, source), references, name);
      parsed.delete();
    }
  },
);

t.test('imports around a syntax error are still found', async (t) => {
  t.strictSame(parser.parse('def f(:\n    pass\nimport after\nfrom x import (a,\n', 'python'), {
    references: [
      { specifier: 'after', kind: 'python-import', typeOnly: false, line: 3, level: 0 },
      { specifier: 'x', kind: 'python-from', typeOnly: false, line: 4, level: 0, names: ['a'] },
    ],
    unparsable: false,
  });
});
