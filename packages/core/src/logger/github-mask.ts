/**
 * GitHub Actions workflow command that asks the runner to mask a value in the job log.
 *
 * @remarks
 * The runner masks whole lines of a multi-line value only when each line is masked on its own, so a value is
 * split on line breaks and one command is written per non-empty line.
 * @see {@link https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#masking-a-value-in-a-log}
 *
 * @param value - the secret to mask
 * @returns the command lines, each ending in `\n`; empty when the value has no non-blank line
 */
export function formatAddMask(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => `::add-mask::${line}\n`)
    .join('');
}
