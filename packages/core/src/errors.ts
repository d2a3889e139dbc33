/**
 * Error classes shared by every Velocity package.
 *
 * @module
 */

/** Process exit codes used by every Velocity binary (ncc's `src/cli.js` convention). */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** A failure, or an unexpected error. */
  failure: 1,
  /** Bad usage or bad config: the user must change the command line or `velocity.yaml`. */
  usage: 2,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15), e.g. `docker stop`, after a graceful shutdown. */
  terminated: 143,
} as const;

/** One of {@link EXIT_CODES}' values. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Options accepted by every {@link VelocityError}. */
export interface VelocityErrorOptions {
  /** The error that caused this one; never one whose message holds a secret. */
  cause?: unknown;
}

/**
 * Base class of every error Velocity throws on purpose.
 *
 * @remarks
 * `code` is stable across releases (e.g. `'CONFIG_INVALID'`) so scripts can match on it; `message` is one
 * sentence followed by a remedy. `exitCode` is what a CLI exits with when this error reaches it.
 */
export class VelocityError extends Error {
  /** Stable machine-readable code, `UPPER_SNAKE`. */
  readonly code: string;
  /** Exit code a CLI uses for this error. */
  readonly exitCode: ExitCode;

  constructor(
    code: string,
    message: string,
    options: VelocityErrorOptions & { exitCode?: ExitCode } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_CODES.failure;
  }
}

/** The command line is wrong: unknown command or flag, missing or malformed argument. Exit code 2. */
export class UsageError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('USAGE', message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/** One problem found in a config source, with where it is. */
export interface ConfigIssue {
  /** File the problem is in, or `undefined` for env and flags. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** Dotted key path, e.g. `depCi.runner`. */
  path: string;
  /** What is wrong, e.g. `expected one of "jest" | "vitest", got "jset"`. */
  message: string;
}

/** Formats a {@link ConfigIssue} as `file:line:col path: message` (or `path: message` without a file). */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where =
    issue.file === undefined
      ? ''
      : `${issue.file}${issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`} `;
  return `${where}${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}

/**
 * The configuration is invalid: a YAML syntax error, a value the schema rejects, an unknown key, or a
 * `${env:X}` / `${file:X}` reference that cannot be read. Exit code 2.
 *
 * @remarks The message lists every issue, one per line, each as `file:line:col path: message`.
 */
export class ConfigError extends VelocityError {
  /** Every problem found, in source order. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: VelocityErrorOptions = {}) {
    super('CONFIG_INVALID', issues.map(formatConfigIssue).join('\n'), {
      ...options,
      exitCode: EXIT_CODES.usage,
    });
    this.issues = issues;
  }
}

/** A bug in Velocity itself; the CLI prints a link for filing it. Exit code 1. */
export class InternalError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('INTERNAL', message, options);
  }
}
