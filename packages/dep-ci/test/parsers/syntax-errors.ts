import t from 'tap';
import { summarizeSyntaxErrors } from '../../src/parsers/syntax-errors.js';
import { treeParser } from './helpers/trees.js';

const parse = await treeParser('typescript');

t.test('a tree without errors has no summary', async (t) => {
  const tree = parse('const a = 1;\n');
  t.equal(summarizeSyntaxErrors(tree.rootNode, 'const a = 1;\n'), undefined);
  tree.delete();
});

t.test(
  'a missing token is the first error, placed after the last token, and covers no text',
  async (t) => {
    const source = 'function f() {\n  return 1;\n';
    const tree = parse(source);
    t.strictSame(summarizeSyntaxErrors(tree.rootNode, source), {
      line: 2,
      column: 12,
      errorShare: 0,
    });
    tree.delete();
  },
);

t.test('ERROR nodes give the first position and the share of the text they cover', async (t) => {
  const source = 'const a = 1;\nconst b = 2 @@@ @@@;\nconst c = 3 @@@ @@@;\n';
  const tree = parse(source);
  const summary = summarizeSyntaxErrors(tree.rootNode, source);
  t.match(summary, { line: 2, column: 13 });
  t.ok(
    summary && summary.errorShare > 0 && summary.errorShare < 0.5,
    `share ${summary?.errorShare}`,
  );
  tree.delete();
});
