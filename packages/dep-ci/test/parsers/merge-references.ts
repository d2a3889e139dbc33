import t from 'tap';
import { mergeReferences } from '../../src/parsers/merge-references.js';

t.test(
  'the first reference per specifier and line wins, and the result is in line order',
  async (t) => {
    t.strictSame(
      mergeReferences(
        [
          { specifier: './b', kind: 'import', typeOnly: true, line: 3 },
          { specifier: './a', kind: 'require', typeOnly: false, line: 5 },
        ],
        [
          { specifier: './b', kind: 'import', typeOnly: false, line: 3 },
          { specifier: './c', kind: 'side-effect', typeOnly: false, line: 1 },
          { specifier: './a', kind: 'path-literal', typeOnly: false, line: 6 },
          { specifier: './c', kind: 'path-literal', typeOnly: false, line: 1 },
        ],
      ),
      [
        { specifier: './c', kind: 'side-effect', typeOnly: false, line: 1 },
        { specifier: './b', kind: 'import', typeOnly: true, line: 3 },
        { specifier: './a', kind: 'require', typeOnly: false, line: 5 },
        { specifier: './a', kind: 'path-literal', typeOnly: false, line: 6 },
      ],
    );
  },
);
