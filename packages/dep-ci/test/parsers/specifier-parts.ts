import t from 'tap';
import { buildSpecifier } from '../../src/parsers/specifier-parts.js';

t.test('static pieces join into a plain specifier', async (t) => {
  t.strictSame(buildSpecifier(['./a/', 'b.js']), { specifier: './a/b.js', glob: false });
  t.strictSame(buildSpecifier(['']), { specifier: '', glob: false });
  t.strictSame(buildSpecifier([]), { specifier: '', glob: false });
});

t.test('computed pieces become one * per run', async (t) => {
  t.strictSame(buildSpecifier(['./locales/', null, '.json']), {
    specifier: './locales/*.json',
    glob: true,
  });
  t.strictSame(buildSpecifier(['./a/', null, '', null, '/b/', null]), {
    specifier: './a/*/b/*',
    glob: true,
  });
});

t.test('glob characters in static text are escaped', async (t) => {
  t.strictSame(buildSpecifier(['./[id]/(group)/{a}/!?*\\', null]), {
    specifier: './\\[id\\]/\\(group\\)/\\{a\\}/\\!\\?\\*\\\\*',
    glob: true,
  });
});

t.test('without a static prefix there is no specifier', async (t) => {
  t.equal(buildSpecifier([null]), undefined);
  t.equal(buildSpecifier([null, '/a.js']), undefined);
  t.equal(buildSpecifier(['', null, '/a.js']), undefined);
});
