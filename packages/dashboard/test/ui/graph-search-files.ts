import t from 'tap';
import { searchFiles } from '../../src/app/ui/graph/search-files.js';

const FILES = [
  'src/button.ts',
  'src/forms/Button-group.ts',
  'test/button.test.ts',
  'buttons/x.ts',
  'src/a.ts',
];

t.test('names starting with the query first, then names containing it, then paths', async (t) => {
  t.strictSame(
    searchFiles(FILES, 'BUTTON').map((id) => FILES[id]),
    ['src/button.ts', 'src/forms/Button-group.ts', 'test/button.test.ts', 'buttons/x.ts'],
  );
  t.strictSame(
    searchFiles(FILES, 'ton.t').map((id) => FILES[id]),
    ['src/button.ts', 'test/button.test.ts'],
  );
});

t.test('a blank query finds nothing; results are capped', async (t) => {
  t.strictSame(searchFiles(FILES, '  '), []);
  t.strictSame(searchFiles(FILES, 'ton', 2).length, 2);
  t.strictSame(searchFiles(FILES, 'nothing'), []);
});
