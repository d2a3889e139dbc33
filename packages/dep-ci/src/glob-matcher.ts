import picomatch from 'picomatch';

/**
 * One matcher for a list of globs (picomatch syntax, dotfiles included): true when any glob matches, as
 * `picomatch(globs)` answers, but as a single regular expression, which tests a path several times faster
 * than calling one matcher per glob (it matters when 50,000 paths are classified).
 *
 * @param globs - root-relative POSIX globs; an empty list matches nothing
 * @throws TypeError from picomatch for a glob that is not a string
 */
export function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const sources = globs.map((glob) => picomatch.makeRe(glob, { dot: true }).source);
  const pattern = new RegExp(sources.map((source) => `(?:${source})`).join('|'));
  return (path) => pattern.test(path);
}
