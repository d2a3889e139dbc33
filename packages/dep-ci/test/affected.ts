import t from 'tap';
import { findAffectedTests, findImportChain } from '../src/affected.js';
import { graphOf } from './helpers/graph.js';

const files = [
  'src/a.ts',
  'src/b.ts',
  'src/c.ts',
  'src/types.ts',
  'test/a.test.ts',
  'test/c.test.ts',
];
const graph = graphOf(files, [
  ['src/b.ts', 'src/a.ts'],
  ['test/a.test.ts', 'src/b.ts'],
  ['test/c.test.ts', 'src/c.ts'],
  ['src/c.ts', 'type:src/types.ts'],
  ['src/old.ts', 'src/a.ts'],
  ['test/c.test.ts', 'src/deleted.ts'],
]);
const isTest = (path: string) => path.endsWith('.test.ts');

t.test('tests reachable backwards from a change are affected, with a shortest chain', async (t) => {
  const result = findAffectedTests({
    graph,
    changed: ['src/a.ts'],
    isTest,
    ignoreTypeImports: false,
  });
  t.strictSame(result, {
    tests: ['test/a.test.ts'],
    reasons: { 'test/a.test.ts': ['src/a.ts', 'src/b.ts', 'test/a.test.ts'] },
  });
});

t.test('a changed test is affected by itself', async (t) => {
  const result = findAffectedTests({
    graph,
    changed: ['test/c.test.ts'],
    isTest,
    ignoreTypeImports: false,
  });
  t.strictSame(result.reasons, { 'test/c.test.ts': ['test/c.test.ts'] });
});

t.test('type-only edges count unless ignored', async (t) => {
  const counted = findAffectedTests({
    graph,
    changed: ['src/types.ts'],
    isTest,
    ignoreTypeImports: false,
  });
  t.strictSame(counted.tests, ['test/c.test.ts']);
  const ignored = findAffectedTests({
    graph,
    changed: ['src/types.ts'],
    isTest,
    ignoreTypeImports: true,
  });
  t.strictSame(ignored.tests, []);
});

t.test('a deleted file selects the tests that imported it', async (t) => {
  const result = findAffectedTests({
    graph,
    changed: ['src/deleted.ts'],
    isTest,
    ignoreTypeImports: false,
  });
  t.strictSame(result.tests, ['test/c.test.ts']);
});

t.test('several changes: each test once, sorted', async (t) => {
  const result = findAffectedTests({
    graph,
    changed: ['src/c.ts', 'src/a.ts', 'src/a.ts'],
    isTest,
    ignoreTypeImports: false,
  });
  t.strictSame(result.tests, ['test/a.test.ts', 'test/c.test.ts']);
});

t.test('findImportChain: the chain, or undefined when there is none', async (t) => {
  t.strictSame(findImportChain(graph, 'src/a.ts', 'test/a.test.ts', false), [
    'src/a.ts',
    'src/b.ts',
    'test/a.test.ts',
  ]);
  t.equal(findImportChain(graph, 'src/a.ts', 'test/c.test.ts', false), undefined);
});
