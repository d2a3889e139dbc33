/**
 * Command-line flags of the benchmark scripts.
 *
 * @module
 */

/** The value after `name` on the command line (`--edits 50` → `'50'`), or `undefined` when absent. */
export function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}
