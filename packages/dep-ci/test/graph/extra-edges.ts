import t from 'tap';
import { findImplicitEdges } from '../../src/graph/extra-edges.js';

t.test('a snapshot belongs to the test beside its __snapshots__ folder', async (t) => {
  t.strictSame(
    findImplicitEdges([
      'src/__snapshots__/a.test.ts.snap',
      'src/a.test.ts',
      '__snapshots__/root.test.js.snap',
      'root.test.js',
      'src/__snapshots__/orphan.test.ts.snap',
    ]),
    [
      ['src/a.test.ts', 'src/__snapshots__/a.test.ts.snap'],
      ['root.test.js', '__snapshots__/root.test.js.snap'],
    ],
  );
});

t.test('python files depend on every conftest.py at or above their folder', async (t) => {
  t.strictSame(
    findImplicitEdges([
      'conftest.py',
      'tests/conftest.py',
      'tests/unit/test_a.py',
      'tests/test_b.py',
      'src/pkg/mod.py',
    ]).sort(),
    [
      ['src/pkg/mod.py', 'conftest.py'],
      ['tests/conftest.py', 'conftest.py'],
      ['tests/test_b.py', 'conftest.py'],
      ['tests/test_b.py', 'tests/conftest.py'],
      ['tests/unit/test_a.py', 'conftest.py'],
      ['tests/unit/test_a.py', 'tests/conftest.py'],
    ],
  );
});
