import { builtinModules } from 'node:module';
import t from 'tap';
import { nodeBuiltins } from '../../src/resolve/node-builtins.js';

t.test(
  'every builtin module with and without the node: prefix, plus prefix-only ones',
  async (t) => {
    const builtins = nodeBuiltins();
    for (const name of builtinModules) {
      t.ok(builtins.has(name) && builtins.has(`node:${name}`), name);
    }
    t.ok(builtins.has('fs/promises'));
    t.ok(builtins.has('node:test'));
    t.notOk(builtins.has('test'), 'test needs the node: prefix');
    t.notOk(builtins.has('react'));
  },
);
