import t from 'tap';
import { isPathLiteral, joinDirnameSegments } from '../../src/parsers/path-literals.js';

t.test('relative file paths are path literals', async (t) => {
  for (const value of [
    './fixtures/a.json',
    '../data/a.txt',
    'fixtures/a.json',
    'a/b/c.test.ts',
    'dir/.eslintrc',
  ]) {
    t.ok(isPathLiteral(value), value);
  }
});

t.test('other strings are not', async (t) => {
  for (const value of [
    'a.json',
    './dir/',
    './dir/file',
    'https://example.com/a.js',
    'node:fs/promises.js',
    '@scope/pkg/a.js',
    '/abs/a.js',
    'src/**/*.ts',
    'src/{a,b}.ts',
    'has space/a.js',
    'a/b.toolongext',
    "it's/a.js",
    'a\\b/c.js',
    'page/a.html#top',
    'q/a.js?x=1',
    '!./negated/a.ts',
    `./${'a'.repeat(1024)}/b.js`,
  ]) {
    t.notOk(isPathLiteral(value), value.slice(0, 40));
  }
});

t.test('__dirname segments join into a relative path', async (t) => {
  t.equal(joinDirnameSegments(['fixtures', 'a.json']), './fixtures/a.json');
  t.equal(joinDirnameSegments(['fixtures/a.json']), './fixtures/a.json');
  t.equal(joinDirnameSegments(['..', 'data', 'b.txt']), '../data/b.txt');
  t.equal(joinDirnameSegments(['a', '..', '..', 'b']), '../b');
  t.equal(joinDirnameSegments(['..']), '..');
  t.equal(joinDirnameSegments(['.']), './');
  t.equal(joinDirnameSegments([]), undefined, 'no segments: __dirname itself');
  t.equal(joinDirnameSegments(['a', '/abs']), undefined, 'an absolute segment');
});
