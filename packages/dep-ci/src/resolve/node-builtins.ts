import { builtinModules, isBuiltin } from 'node:module';

/**
 * Modules that Node.js only loads with the `node:` scheme. `builtinModules` leaves them out on Node 20, and
 * `isBuiltin` decides which of them the running Node has.
 *
 * @see {@link https://nodejs.org/api/modules.html#built-in-modules-with-mandatory-node-prefix}
 */
const PREFIX_ONLY_BUILTINS = ['node:sea', 'node:sqlite', 'node:test', 'node:test/reporters'];

/**
 * The specifiers that name a built-in module of the running Node.js: every name from `builtinModules`
 * (`fs`, `fs/promises`) with and without the `node:` prefix, plus the prefix-only modules (`node:test`).
 *
 * @remarks O(number of builtins), a fresh set per call.
 * @see {@link https://nodejs.org/api/module.html#modulebuiltinmodules}
 */
export function nodeBuiltins(): ReadonlySet<string> {
  const builtins = new Set<string>();
  for (const name of builtinModules) {
    builtins.add(name);
    builtins.add(`node:${name}`);
  }
  for (const name of PREFIX_ONLY_BUILTINS) {
    if (isBuiltin(name)) builtins.add(name);
  }
  return builtins;
}
