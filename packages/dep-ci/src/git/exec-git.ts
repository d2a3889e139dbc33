import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { GitError, GitNotFoundError, NotAGitRepositoryError } from '../errors.js';

/** Options of every git function: how git is run. */
export interface GitOptions {
  /**
   * Environment git runs with (`PATH`, `HOME`, `GIT_*`). When left out, git inherits this process's
   * environment (Node's `child_process` default); the CLI passes its `io.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborts the git command (it is sent SIGTERM). */
  signal?: AbortSignal;
}

/** What a git command produced. */
export interface GitOutput {
  /** Exit code: 0 on success. */
  exitCode: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
  /** Standard error, decoded as UTF-8. */
  stderr: string;
}

/** Most stdout accepted from one git command, in bytes (`ls-files` of a very large repository). */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * Arguments put before every git command: paths are written as UTF-8 bytes, never C-quoted
 * (`core.quotepath=off`), and no pager, colour or external diff driver interferes with the output.
 */
const GIT_PREFIX = ['-c', 'core.quotepath=off', '-c', 'color.ui=false', '--no-pager'] as const;

/**
 * Runs git with `args` in `cwd` (no shell) and returns its output whatever its exit code.
 *
 * @param args - arguments after `git`, e.g. `['ls-files', '-z']`
 * @param cwd - the directory git runs in (absolute)
 * @param options - see {@link GitOptions}
 * @returns the exit code and both outputs
 * @throws {@link GitNotFoundError} when git is not installed
 * @throws {@link NotAGitRepositoryError} when `cwd` does not exist
 * @throws {@link GitError} when git cannot be run to the end (killed, output over 512 MiB)
 * @throws `AbortError` when `options.signal` is aborted
 */
export function tryGit(
  args: readonly string[],
  cwd: string,
  options: GitOptions = {},
): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...GIT_PREFIX, ...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ exitCode: 0, stdout, stderr });
        } else if (typeof error.code === 'number') {
          resolve({ exitCode: error.code, stdout, stderr });
        } else if (error.code === 'ENOENT') {
          // Node reports a missing cwd as ENOENT too, like a missing executable.
          stat(cwd).then(
            () => reject(new GitNotFoundError({ cause: error })),
            () => reject(new NotAGitRepositoryError(cwd, { cause: error })),
          );
        } else if (error.name === 'AbortError') {
          // Typed as Error: ExecFileException is built with Omit<>, which the lint rule does not see as one.
          const abort: Error = error;
          reject(abort);
        } else {
          reject(
            new GitError(args, null, stderr === '' ? error.message : stderr, { cause: error }),
          );
        }
      },
    );
  });
}

/**
 * Runs git with `args` in `cwd` and returns its stdout.
 *
 * @param args - arguments after `git`
 * @param cwd - the directory git runs in (absolute)
 * @param options - see {@link GitOptions}
 * @returns git's standard output, decoded as UTF-8
 * @throws {@link GitError} when git exits non-zero
 * @throws {@link GitNotFoundError} when git is not installed
 */
export async function git(
  args: readonly string[],
  cwd: string,
  options: GitOptions = {},
): Promise<string> {
  const output = await tryGit(args, cwd, options);
  if (output.exitCode !== 0) throw new GitError(args, output.exitCode, output.stderr);
  return output.stdout;
}

/**
 * Splits `-z` output into its NUL-terminated fields.
 *
 * @remarks Fields may hold any byte but NUL, including spaces, newlines and tabs.
 * @param output - git's stdout from a `-z` command
 * @returns the fields in order, without the empty string after the last NUL
 */
export function splitNul(output: string): string[] {
  if (output === '') return [];
  const fields = output.split('\0');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}
