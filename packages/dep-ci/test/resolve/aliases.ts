import t from 'tap';
import { compileAliases } from '../../src/resolve/aliases.js';

t.test('regular-expression keys substitute captured groups into the target', async (t) => {
  const match = compileAliases({
    '^@app/(.*)/(.*)$': '<rootDir>/src/$1/lib/$2',
    '^~$': 'src/index',
  });
  t.strictSame(match('@app/a/b'), { target: 'src/a/lib/b', pathOnly: true });
  t.strictSame(match('~'), { target: 'src/index', pathOnly: false });
  t.equal(match('~/x'), undefined);
});

t.test('prefix keys match at a path boundary', async (t) => {
  const match = compileAliases({ '@ui/': 'src/ui/', '@lib': './lib' });
  t.strictSame(match('@ui/button'), { target: 'src/ui/button', pathOnly: false });
  t.strictSame(match('@lib'), { target: 'lib', pathOnly: true });
  t.strictSame(match('@lib/x'), { target: 'lib/x', pathOnly: true });
  t.equal(match('@library'), undefined);
  t.equal(match('@ui'), undefined);
});

t.test('the first matching alias wins', async (t) => {
  const match = compileAliases({ '^@app/special$': 'special', '@app/': 'src/' });
  t.strictSame(match('@app/special'), { target: 'special', pathOnly: false });
  t.strictSame(match('@app/other'), { target: 'src/other', pathOnly: false });
});

t.test('an invalid regular expression throws', async (t) => {
  t.throws(() => compileAliases({ '^(unclosed$': 'x' }), SyntaxError);
});
