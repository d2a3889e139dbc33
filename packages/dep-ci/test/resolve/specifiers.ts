import t from 'tap';
import {
  isPathSpecifier,
  packageNameInNodeModules,
  packageNameOf,
} from '../../src/resolve/specifiers.js';

t.test('path specifiers are relative or absolute', async (t) => {
  for (const specifier of ['./a', '../a', '/a', '.', '..'])
    t.ok(isPathSpecifier(specifier), specifier);
  for (const specifier of ['a', '@s/a', '#a', '.a', 'node:fs'])
    t.notOk(isPathSpecifier(specifier), specifier);
});

t.test('package names of bare specifiers', async (t) => {
  t.equal(packageNameOf('react'), 'react');
  t.equal(packageNameOf('react/jsx-runtime'), 'react');
  t.equal(packageNameOf('@scope/pkg'), '@scope/pkg');
  t.equal(packageNameOf('@scope/pkg/a/b'), '@scope/pkg');
  t.equal(packageNameOf('@scope'), '@scope');
});

t.test('package names of paths inside node_modules, innermost first', async (t) => {
  t.equal(packageNameInNodeModules('node_modules/react/index.js'), 'react');
  t.equal(packageNameInNodeModules('/r/node_modules/@s/a/dist/x.js'), '@s/a');
  t.equal(packageNameInNodeModules('node_modules/a/node_modules/b/index.js'), 'b');
  t.equal(packageNameInNodeModules('src/node_modules_like/x.js'), undefined);
  t.equal(packageNameInNodeModules('node_modules/'), undefined);
});
