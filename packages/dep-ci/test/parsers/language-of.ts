import t from 'tap';
import { languageOf } from '../../src/parsers/index.js';

t.test('extensions map to grammars', async (t) => {
  const table = {
    'src/a.ts': 'typescript',
    'src/a.mts': 'typescript',
    'src/a.cts': 'typescript',
    'types/a.d.ts': 'typescript',
    'src/App.tsx': 'tsx',
    'src/a.js': 'javascript',
    'src/App.jsx': 'javascript',
    'src/a.mjs': 'javascript',
    'src/a.cjs': 'javascript',
    'pkg/mod.py': 'python',
    'pkg/mod.pyi': 'python',
    'SRC/SHOUT.TS': 'typescript',
    'C:\\repo\\a.py': 'python',
  };
  for (const [path, language] of Object.entries(table)) t.equal(languageOf(path), language, path);
});

t.test('files dep-ci does not parse have no language', async (t) => {
  for (const path of [
    'README.md',
    'data.json',
    'Makefile',
    '.ts',
    'dir.ts/file',
    'a.ts.bak',
    'a.',
  ]) {
    t.equal(languageOf(path), undefined, path);
  }
});
