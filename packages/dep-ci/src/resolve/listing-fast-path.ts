/**
 * Answering the commonest relative specifiers from the repository listing, without enhanced-resolve.
 *
 * @module
 */
import { joinRepositoryPath } from './file-references.js';
import type { RepositoryIndex } from './repository-index.js';

/**
 * The extensions enhanced-resolve tries first for a JavaScript extension, identical in every resolution pass
 * (see `resolutionPasses`): `./x.js` is `x.ts`, then `x.tsx`.
 */
const FIRST_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/** Results a different extension order could have passed over, so only enhanced-resolve may decide them. */
const ORDER_DEPENDENT = /\.(?:d\.[mc]?ts|[mc]?js|jsx)$/;

/**
 * The repository file (root-relative POSIX) a relative specifier names, when the listing alone decides it; else
 * `undefined`, and enhanced-resolve has to answer.
 *
 * It answers only where enhanced-resolve, as `createNodeResolution` configures it, is bound to agree: the file
 * system it sees holds exactly the listed files, and in every pass a relative request is first tried with the
 * TypeScript extensions of its extension alias (`./x.js` → `x.ts`, `x.tsx`), or else as written and then with
 * `.ts` and `.tsx` appended. So the fast path covers `./x.js` → `x.ts`, `./x` → `x.ts`/`x.tsx`, and exact names
 * (`./data.json`), and leaves to enhanced-resolve anything with a query or fragment, leaving the repository or
 * entering `node_modules`, directories (index files, `package.json` main fields), and every result whose
 * extension order differs between passes (`.js`, `.d.ts`).
 *
 * The caller must not use it where tsconfig `paths` could rewrite a relative specifier (keys starting with `.`
 * or `*`): enhanced-resolve applies those, TypeScript does not.
 *
 * @remarks Up to three set lookups.
 */
export function resolveRelativeFromListing(
  index: RepositoryIndex,
  directory: string,
  specifier: string,
): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  if (specifier.endsWith('/') || /[?#\\\0]/.test(specifier)) return undefined;
  const target = joinRepositoryPath(directory, specifier);
  if (target === undefined || target === '' || /(?:^|\/)node_modules(?:\/|$)/.test(target))
    return undefined;
  const extension = /\.[cm]?jsx?$/.exec(target)?.[0];
  const aliases = extension === undefined ? undefined : FIRST_ALIASES[extension];
  const candidates =
    aliases === undefined || extension === undefined
      ? [target, `${target}.ts`, `${target}.tsx`]
      : aliases.map((alias) => target.slice(0, -extension.length) + alias);
  const found = candidates.find((candidate) => index.files.has(candidate));
  return found === undefined || ORDER_DEPENDENT.test(found) ? undefined : found;
}
