/**
 * Module aliases from dep-ci's config, in the spirit of Jest's `moduleNameMapper` and webpack's `alias`.
 *
 * @module
 */

/** Where an alias sent a specifier. */
export interface AliasTarget {
  /**
   * The rewritten specifier: a root-relative POSIX path (`src/utils/x`), or, when `pathOnly` is false, possibly a
   * bare specifier (`lodash-es`) if no such path exists.
   */
  target: string;
  /** The target was written as a path (`<rootDir>/…`, `./…`, `/…`), so it is never a package. */
  pathOnly: boolean;
}

/** Rewrites a specifier through the configured aliases; `undefined` when none matches. */
export type AliasMatcher = (specifier: string) => AliasTarget | undefined;

const ROOT_DIR_TOKEN = '<rootDir>';

/**
 * Compile `aliases` (key → target, tried in insertion order, first match wins) into a matcher.
 *
 * - A key starting with `^` or ending with `$` is a regular expression over the whole specifier, as in Jest's
 *   `moduleNameMapper`: `'^@app/(.*)$': 'src/$1'`. `$1`…`$9` in the target take the captured groups.
 * - Any other key is a prefix, as in webpack's `alias`: `'@app/': 'src/'` maps `@app/x` to `src/x`; a key
 *   without a trailing slash (`'@app': 'src'`) matches the specifier itself or the key followed by `/`, so
 *   `@app/x` maps to `src/x` but `@apple` does not match.
 *
 * Targets are relative to the repository root. A leading `<rootDir>` (Jest), `./` or `/` is dropped and marks
 * the target as a path; other targets are tried as a path first and then as a bare specifier, so
 * `'^lodash$': 'lodash-es'` still leads to the `lodash-es` package.
 *
 * @throws SyntaxError when a regular-expression key does not compile.
 * @remarks Matching costs one regular-expression test or string comparison per alias, O(aliases).
 */
export function compileAliases(aliases: Readonly<Record<string, string>>): AliasMatcher {
  const matchers = Object.entries(aliases).map(([key, target]): AliasMatcher => {
    if (key.startsWith('^') || key.endsWith('$')) {
      const pattern = new RegExp(key);
      return (specifier) => {
        const match = pattern.exec(specifier);
        if (match === null) return undefined;
        return toTarget(
          target.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? ''),
        );
      };
    }
    if (key.endsWith('/')) {
      return (specifier) =>
        specifier.startsWith(key) ? toTarget(target + specifier.slice(key.length)) : undefined;
    }
    return (specifier) => {
      if (specifier === key) return toTarget(target);
      if (specifier.startsWith(`${key}/`)) return toTarget(target + specifier.slice(key.length));
      return undefined;
    };
  });
  return (specifier) => {
    for (const matcher of matchers) {
      const target = matcher(specifier);
      if (target !== undefined) return target;
    }
    return undefined;
  };
}

function toTarget(written: string): AliasTarget {
  let target = written;
  let pathOnly = false;
  if (target.startsWith(ROOT_DIR_TOKEN)) {
    target = target.slice(ROOT_DIR_TOKEN.length);
    pathOnly = true;
  }
  while (target.startsWith('/') || target.startsWith('./')) {
    target = target.slice(target.startsWith('/') ? 1 : 2);
    pathOnly = true;
  }
  return { target, pathOnly };
}
