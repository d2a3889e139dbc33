/**
 * The resolution passes dep-ci runs for one specifier: one per way a module can be loaded.
 *
 * @module
 */

/** How one pass resolves: the enhanced-resolve options that differ between passes. */
export interface ResolutionPass {
  /** `import`, `require`, `types`, or `default` when the conditions name none of them. */
  name: string;
  /** Active `exports`/`imports` conditions. */
  conditionNames: string[];
  /** `package.json` fields naming a package's entry point, tried in order. */
  mainFields: string[];
  /** Extensions appended to an extensionless path, tried in order. */
  extensions: string[];
  /** Extensions tried instead of the one written (`./x.js` → `./x.ts`), as TypeScript does. */
  extensionAlias: Record<string, string[]>;
}

// Runtime and types passes try the same extensions in a different order, so they succeed or fail together and only
// differ when both a declaration and a JavaScript file exist: see `needsEveryPass` in node-resolution.ts.
/** Conditions that pick between alternative files: a module is loaded in exactly one of these ways. */
const EXCLUSIVE_CONDITIONS = ['import', 'require', 'types'];

const RUNTIME_EXTENSIONS = [
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.json',
  '.d.ts',
];
const TYPES_EXTENSIONS = [
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.d.ts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.json',
];
const RUNTIME_EXTENSION_ALIAS = {
  '.js': ['.ts', '.tsx', '.js', '.jsx', '.d.ts'],
  '.jsx': ['.tsx', '.jsx', '.d.ts'],
  '.mjs': ['.mts', '.mjs', '.d.mts'],
  '.cjs': ['.cts', '.cjs', '.d.cts'],
};
const TYPES_EXTENSION_ALIAS = {
  '.js': ['.ts', '.tsx', '.d.ts', '.js', '.jsx'],
  '.jsx': ['.tsx', '.d.ts', '.jsx'],
  '.mjs': ['.mts', '.d.mts', '.mjs'],
  '.cjs': ['.cts', '.d.cts', '.cjs'],
};

/**
 * The passes for a set of export conditions.
 *
 * `import`, `require` and `types` are alternatives rather than flags: with all three active, enhanced-resolve
 * would take whichever the package lists first, and `{"types": …, "import": …, "require": …}` would only ever
 * give the declaration file. So each of them present in `conditions` gets its own pass, together with every
 * other condition (`node`, `default`, custom ones like `source`); with none of them there is a single `default`
 * pass. Results of all passes are united, so a test reaches the file it loads whichever way it loads it.
 *
 * - `import`: main fields `source`, `module`, `main`; runtime extension order (`.js` before `.d.ts`).
 * - `require`: main fields `source`, `main`; runtime extension order.
 * - `types`: adds `import`, as TypeScript's `node16`/`bundler` resolution does for ES modules; main fields
 *   `source`, `types`, `typings`, `main`; declaration files before JavaScript, as TypeScript orders them.
 *
 * `source` comes first everywhere because it names a package's own source (Parcel, microbundle), the file a
 * change touches.
 *
 * @remarks O(conditions).
 * @see {@link https://nodejs.org/api/packages.html#conditional-exports}
 * @see {@link https://www.typescriptlang.org/docs/handbook/modules/reference.html#packagejson-exports}
 */
export function resolutionPasses(conditions: readonly string[]): ResolutionPass[] {
  const shared = [...new Set(conditions)].filter((name) => !EXCLUSIVE_CONDITIONS.includes(name));
  const has = (name: string): boolean => conditions.includes(name);
  const runtime = (
    name: string,
    conditionNames: string[],
    mainFields: string[],
  ): ResolutionPass => ({
    name,
    conditionNames,
    mainFields,
    extensions: RUNTIME_EXTENSIONS,
    extensionAlias: RUNTIME_EXTENSION_ALIAS,
  });
  const passes: ResolutionPass[] = [];
  if (has('import'))
    passes.push(runtime('import', [...shared, 'import'], ['source', 'module', 'main']));
  if (has('require')) passes.push(runtime('require', [...shared, 'require'], ['source', 'main']));
  if (has('types')) {
    passes.push({
      name: 'types',
      conditionNames: [...shared, 'types', 'import'],
      mainFields: ['source', 'types', 'typings', 'main'],
      extensions: TYPES_EXTENSIONS,
      extensionAlias: TYPES_EXTENSION_ALIAS,
    });
  }
  if (passes.length === 0) passes.push(runtime('default', shared, ['source', 'module', 'main']));
  return passes;
}
