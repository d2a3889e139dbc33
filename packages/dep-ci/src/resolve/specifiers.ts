/**
 * Classifying JavaScript module specifiers and naming the package a bare specifier belongs to.
 *
 * @module
 */

/** A relative (`./x`, `../x`, `.`, `..`) or absolute (`/x`) specifier: a path, never a package. */
export function isPathSpecifier(specifier: string): boolean {
  return (
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier.startsWith('/') ||
    specifier === '.' ||
    specifier === '..'
  );
}

/**
 * The package a bare specifier names: `@scope/pkg` for `@scope/pkg/sub/x`, `pkg` for `pkg/sub`; the whole
 * specifier for anything else (`virtual:x`, `https://…`).
 */
export function packageNameOf(specifier: string): string {
  const firstSlash = specifier.indexOf('/');
  if (firstSlash === -1) return specifier;
  if (!specifier.startsWith('@')) return specifier.slice(0, firstSlash);
  const secondSlash = specifier.indexOf('/', firstSlash + 1);
  return secondSlash === -1 ? specifier : specifier.slice(0, secondSlash);
}

/**
 * The package a path inside a `node_modules` directory belongs to (`@scope/pkg` for
 * `node_modules/@scope/pkg/dist/x.js`, the innermost `node_modules` winning), or `undefined` when no
 * `node_modules` segment is present. `path` is POSIX.
 */
export function packageNameInNodeModules(path: string): string | undefined {
  const marker = 'node_modules/';
  const inner = path.lastIndexOf(`/${marker}`);
  if (inner === -1 && !path.startsWith(marker)) return undefined;
  const rest = path.slice(inner + 1 + marker.length);
  return rest === '' ? undefined : packageNameOf(rest);
}
