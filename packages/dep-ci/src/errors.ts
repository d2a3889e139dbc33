/**
 * Error classes dep-ci throws on purpose: git, the test runner, sharding and CI output.
 *
 * Every class extends core's {@link VelocityError} with a stable `code` (`DEPCI_…`) and a message of one
 * sentence followed by a remedy, the offending value in double quotes.
 *
 * @module
 */
import { EXIT_CODES, UsageError, VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/** The runner names, for messages (kept in step with `TEST_RUNNER_NAMES`, which a test checks). */
const RUNNER_LIST = 'jest, vitest, node, tap, pytest, mocha, playwright';

/** The remedy for a commit missing from a shallow clone: fetch all of history, or deepen it. */
function shallowRemedy(ref: string): string {
  return `Fetch full history (actions/checkout with fetch-depth: 0) or deepen it (git fetch --deepen=50 origin ${remoteBranch(ref)})`;
}

/** The name to fetch for `ref`: `origin/main` → `main`; anything else as is. */
function remoteBranch(ref: string): string {
  return ref.startsWith('origin/') ? ref.slice('origin/'.length) : ref;
}

/** Why {@link BaseRefNotFoundError} was thrown. */
export type BaseRefProblem =
  /** No commit of that name exists locally. */
  | 'missing'
  /** The base and head commits exist but share no ancestor here (typically a shallow clone). */
  | 'no-merge-base';

/** Options of {@link BaseRefNotFoundError}. */
export interface BaseRefNotFoundErrorOptions extends VelocityErrorOptions {
  /** Whether the repository is a shallow clone (`git rev-parse --is-shallow-repository`). */
  shallow: boolean;
  /** @defaultValue `'missing'` */
  problem?: BaseRefProblem;
  /** The head ref, named in the `no-merge-base` message. @defaultValue `'HEAD'` */
  head?: string;
}

/**
 * The base commit to compare against is not in the local repository.
 *
 * @remarks
 * Code `DEPCI_BASE_REF_NOT_FOUND`; exit code 1. In a shallow clone (the `actions/checkout` default is one
 * commit) the message says so and names both remedies: `fetch-depth: 0`, or `git fetch --deepen=50`.
 */
export class BaseRefNotFoundError extends VelocityError {
  /** The base as named (`origin/main`, a sha, `main`). */
  readonly ref: string;
  /** Whether the repository is a shallow clone. */
  readonly shallow: boolean;
  /** Whether the ref is missing or has no merge base with head. */
  readonly problem: BaseRefProblem;

  /**
   * @param ref - the base as named
   * @param options - see {@link BaseRefNotFoundErrorOptions}
   */
  constructor(ref: string, options: BaseRefNotFoundErrorOptions) {
    const problem = options.problem ?? 'missing';
    const head = options.head ?? 'HEAD';
    let message: string;
    if (problem === 'missing') {
      message = options.shallow
        ? `Base ref "${ref}" not found in this shallow clone. ${shallowRemedy(ref)}, or pass --base.`
        : `Base ref "${ref}" not found. Fetch it (git fetch origin ${remoteBranch(ref)}) or pass --base.`;
    } else {
      message = options.shallow
        ? `No merge base of "${ref}" and "${head}" in this shallow clone. ${shallowRemedy(ref)}, or pass --base.`
        : `No merge base of "${ref}" and "${head}": their histories are unrelated. Pass --base with the commit to compare against.`;
    }
    super('DEPCI_BASE_REF_NOT_FOUND', message, options);
    this.ref = ref;
    this.shallow = options.shallow;
    this.problem = problem;
  }
}

/** The head commit (`--head`) is not in the local repository. Code `DEPCI_HEAD_REF_NOT_FOUND`; exit code 1. */
export class HeadRefNotFoundError extends VelocityError {
  /** The head as named. */
  readonly ref: string;

  /**
   * @param ref - the head as named
   * @param options - the cause, if any
   */
  constructor(ref: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_HEAD_REF_NOT_FOUND',
      `Head ref "${ref}" not found. Check --head, or fetch it (git fetch origin ${remoteBranch(ref)}).`,
      options,
    );
    this.ref = ref;
  }
}

/** A directory is not inside a git work tree. Code `DEPCI_NOT_A_GIT_REPOSITORY`; exit code 1. */
export class NotAGitRepositoryError extends VelocityError {
  /** The directory git was run in (absolute). */
  readonly cwd: string;

  /**
   * @param cwd - the directory git was run in
   * @param options - the cause, if any
   */
  constructor(cwd: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_NOT_A_GIT_REPOSITORY',
      `Directory "${cwd}" is not inside a git repository. Run dep-ci from a clone (git clone, or actions/checkout in CI).`,
      options,
    );
    this.cwd = cwd;
  }
}

/** The `git` executable is not on `PATH`. Code `DEPCI_GIT_NOT_FOUND`; exit code 1. */
export class GitNotFoundError extends VelocityError {
  /** @param options - the spawn error, as cause */
  constructor(options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_GIT_NOT_FOUND',
      'Command "git" not found. Install git and put it on PATH.',
      options,
    );
  }
}

/**
 * A git command failed.
 *
 * @remarks
 * Code `DEPCI_GIT_FAILED`; exit code 1. The message names the command and git's first line of stderr; the
 * whole stderr is kept in {@link GitError.stderr}.
 */
export class GitError extends VelocityError {
  /** The arguments git ran with, without `git` itself. */
  readonly args: readonly string[];
  /** Git's exit code, or `null` when it was ended by a signal. */
  readonly exitStatus: number | null;
  /** Everything git wrote to stderr, trimmed. */
  readonly stderr: string;

  /**
   * @param args - the arguments git ran with
   * @param exitStatus - git's exit code, or `null` when ended by a signal
   * @param stderr - what git wrote to stderr
   * @param options - the cause, if any
   */
  constructor(
    args: readonly string[],
    exitStatus: number | null,
    stderr: string,
    options: VelocityErrorOptions = {},
  ) {
    const firstLine = stderr.trim().split('\n', 1)[0]?.trim() ?? '';
    const status = exitStatus === null ? 'was killed' : `exited with ${exitStatus}`;
    const detail = firstLine === '' ? '' : `: ${firstLine}`;
    super(
      'DEPCI_GIT_FAILED',
      `Command "git ${args.join(' ')}" ${status}${detail}. Check the repository with git status and git log.`,
      options,
    );
    this.args = args;
    this.exitStatus = exitStatus;
    this.stderr = stderr.trim();
  }
}

/**
 * The GitHub Actions event file (`GITHUB_EVENT_PATH`) cannot be read or is not the JSON expected.
 * Code `DEPCI_GITHUB_EVENT_INVALID`; exit code 1.
 */
export class GitHubEventError extends VelocityError {
  /** The event file's path. */
  readonly path: string;

  /**
   * @param path - the event file's path
   * @param problem - what is wrong, e.g. `not valid JSON`
   * @param options - the cause, if any
   */
  constructor(path: string, problem: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_GITHUB_EVENT_INVALID',
      `GitHub event file "${path}" is unusable (${problem}). Pass --base to choose the base commit yourself.`,
      options,
    );
    this.path = path;
  }
}

/**
 * `--shard I/N` is malformed or out of range.
 *
 * @remarks A {@link UsageError} (exit code 2) with its own code `DEPCI_SHARD_INVALID`.
 */
export class ShardError extends UsageError {
  override readonly code = 'DEPCI_SHARD_INVALID';
  /** The shard as given, e.g. `0/4`. */
  readonly value: string;

  /**
   * @param value - the shard as given
   * @param problem - what is wrong, e.g. `the index must be between 1 and 4`
   */
  constructor(value: string, problem: string) {
    super(
      `Shard "${value}" is invalid: ${problem}. Pass --shard I/N with 1 <= I <= N, e.g. --shard 1/4.`,
    );
    this.value = value;
  }
}

/**
 * No test runner could be detected from the command, `package.json` or config files.
 *
 * @remarks Code `DEPCI_RUNNER_NOT_FOUND`; exit code 2 (a config problem the user fixes).
 */
export class RunnerNotFoundError extends VelocityError {
  /** The command after `--`, as words. */
  readonly command: readonly string[];

  /** @param command - the command after `--` */
  constructor(command: readonly string[]) {
    super(
      'DEPCI_RUNNER_NOT_FOUND',
      `Could not detect the test runner of "${command.join(' ')}". Set depCi.runner in velocity.yaml (or --set depCi.runner=<name>) to one of ${RUNNER_LIST}.`,
      { exitCode: EXIT_CODES.usage },
    );
    this.command = command;
  }
}

/**
 * A runner name (`--runner`, `depCi.runner`) is not one dep-ci knows.
 *
 * @remarks A {@link UsageError} (exit code 2) with its own code `DEPCI_RUNNER_UNKNOWN`.
 */
export class UnknownRunnerError extends UsageError {
  override readonly code = 'DEPCI_RUNNER_UNKNOWN';
  /** The name as given. */
  readonly runner: string;

  /** @param runner - the name as given */
  constructor(runner: string) {
    super(
      `Unknown test runner "${runner}". Use one of ${RUNNER_LIST}, or leave it out to detect it.`,
    );
    this.runner = runner;
  }
}

/**
 * The test command's executable does not exist (`ENOENT` when spawning it).
 *
 * @remarks Code `DEPCI_COMMAND_NOT_FOUND`; exit code 2.
 */
export class CommandNotFoundError extends VelocityError {
  /** The executable as given, e.g. `vitestt`. */
  readonly executable: string;

  /**
   * @param executable - the executable as given
   * @param options - the spawn error, as cause
   */
  constructor(executable: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_COMMAND_NOT_FOUND',
      `Command "${executable}" not found. Check the command after --.`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
    this.executable = executable;
  }
}

/**
 * The test command could not be started for a reason other than a missing executable (`EACCES`,
 * `EINVAL`, …). Code `DEPCI_COMMAND_START_FAILED`; exit code 1.
 */
export class CommandStartError extends VelocityError {
  /** The executable as given. */
  readonly executable: string;

  /**
   * @param executable - the executable as given
   * @param reason - the system error code, e.g. `EACCES`
   * @param options - the spawn error, as cause
   */
  constructor(executable: string, reason: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_COMMAND_START_FAILED',
      `Command "${executable}" could not be started (${reason}). Check that it is an executable file and the command after --.`,
      options,
    );
    this.executable = executable;
  }
}

/** The GitHub step summary file cannot be written. Code `DEPCI_STEP_SUMMARY_FAILED`; exit code 1. */
export class StepSummaryError extends VelocityError {
  /** The summary file's path. */
  readonly path: string;

  /**
   * @param path - the summary file's path (`GITHUB_STEP_SUMMARY`)
   * @param reason - the system error code, e.g. `EACCES`
   * @param options - the write error, as cause
   */
  constructor(path: string, reason: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_STEP_SUMMARY_FAILED',
      `Could not append to the step summary "${path}" (${reason}). Check that GITHUB_STEP_SUMMARY names a writable file.`,
      options,
    );
    this.path = path;
  }
}

/**
 * A parse worker thread failed: it could not start, could not create its parser, crashed or exited early.
 *
 * @remarks
 * Code `DEPCI_PARSE_WORKER_FAILED`; exit code 1. Never reaches the user as a failure: the files the
 * workers had not answered for are parsed in the main thread, and this error is logged as a warning.
 */
export class ParseWorkerError extends VelocityError {
  /**
   * @param reason - what happened, e.g. `exited with code 1` or the worker's error message
   * @param options - the worker's error, as cause
   */
  constructor(reason: string, options: VelocityErrorOptions = {}) {
    super(
      'DEPCI_PARSE_WORKER_FAILED',
      `A parse worker thread failed (${reason}). Files are parsed in the main thread instead; set depCi.threads to 1 to skip workers.`,
      options,
    );
  }
}
