/**
 * Error classes of hot reload: reload rules, pid files, signals, the supervised app and exec commands.
 *
 * Every class extends core's {@link VelocityError} with a stable `code` (`LIVEPATCH_…`) and a message of
 * one sentence followed by a remedy, the offending value in double quotes. Command arguments and file
 * contents never appear in messages: they may hold secrets.
 *
 * @module
 */
import { EXIT_CODES, VelocityError } from '@velocity/core';
import type { VelocityErrorOptions } from '@velocity/core';

/**
 * A reload rule or a reload option is invalid (a `signal` rule without a signal, an unknown signal, a
 * `restart` rule without a supervised app …).
 *
 * @remarks Code `LIVEPATCH_RELOAD_CONFIG_INVALID`; exit code 2. The message names the rule as
 * `livepatch.reload[i]`, the way velocity.yaml spells it.
 */
export class ReloadConfigError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('LIVEPATCH_RELOAD_CONFIG_INVALID', message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/** Why a {@link PidFileError} was thrown. */
export type PidFileProblem =
  /** The file does not exist. */
  | 'missing'
  /** The file exists but cannot be read (permissions, a directory …). */
  | 'unreadable'
  /** The content is not a process id: digits only, surrounding whitespace allowed, at least 1. */
  | 'invalid'
  /** The file holds the agent's own pid; signalling it would stop the agent. */
  | 'self';

const PID_FILE_REMEDIES: Record<PidFileProblem, string> = {
  missing: "Start the app so that it writes its pid there, or fix the rule's pidFile",
  unreadable: "Make it readable by the agent's user, or fix the rule's pidFile",
  invalid: "Make the app write its pid there, digits only, or fix the rule's pidFile",
  self: "Point the rule's pidFile at the app's pid file, not the agent's",
};

const PID_FILE_PROBLEMS: Record<PidFileProblem, string> = {
  missing: 'does not exist',
  unreadable: 'cannot be read',
  invalid: 'does not hold a process id',
  self: "holds the agent's own pid",
};

/**
 * A pid file is missing, unreadable, or does not hold a usable process id.
 *
 * @remarks Code `LIVEPATCH_PID_FILE_INVALID`. The file's content is never quoted: a misconfigured
 * `pidFile` may point at a file of secrets.
 */
export class PidFileError extends VelocityError {
  /** The pid file, as resolved. */
  readonly pidFile: string;
  /** What is wrong with it. */
  readonly problem: PidFileProblem;

  /**
   * @param pidFile - the pid file, as resolved
   * @param problem - what is wrong with it
   * @param options - `cause`: the file system error, if any
   */
  constructor(pidFile: string, problem: PidFileProblem, options: VelocityErrorOptions = {}) {
    super(
      'LIVEPATCH_PID_FILE_INVALID',
      `Pid file "${pidFile}" ${PID_FILE_PROBLEMS[problem]}. ${PID_FILE_REMEDIES[problem]}.`,
      options,
    );
    this.pidFile = pidFile;
    this.problem = problem;
  }
}

/**
 * A signal could not be delivered: no such process (a stale pid file), or not permitted.
 *
 * @remarks Code `LIVEPATCH_SIGNAL_FAILED`.
 */
export class SignalDeliveryError extends VelocityError {
  /** The process id, or the process group id, signalled. */
  readonly pid: number;
  readonly signal: NodeJS.Signals;
  /** `ESRCH` (no such process) or `EPERM` (not permitted), or another errno code. */
  readonly errno: string;

  /**
   * @param target - how the message names the process, e.g. `pid 42 (from pid file "/run/app.pid")` or
   *   `the app (process group 42)`
   * @param pid - the process or group id
   * @param signal - the signal
   * @param errno - the error code of kill(2)
   * @param options - `cause`: the error of `process.kill`
   */
  constructor(
    target: string,
    pid: number,
    signal: NodeJS.Signals,
    errno: string,
    options: VelocityErrorOptions = {},
  ) {
    const subject = target.charAt(0).toUpperCase() + target.slice(1);
    const message =
      errno === 'ESRCH'
        ? `${subject} is gone, so ${signal} was not sent. Check that the app runs; a stale pid file needs the app restarted.`
        : errno === 'EPERM'
          ? `Not permitted to send ${signal} to ${target}. Run the agent as the app's user (or root).`
          : `Sending ${signal} to ${target} failed (${errno}). Check that the process still runs.`;
    super('LIVEPATCH_SIGNAL_FAILED', message, options);
    this.pid = pid;
    this.signal = signal;
    this.errno = errno;
  }
}

/**
 * The supervised app is not running, so it cannot be signalled.
 *
 * @remarks Code `LIVEPATCH_APP_NOT_RUNNING`.
 */
export class AppNotRunningError extends VelocityError {
  /** @param signal - the signal that could not be sent */
  constructor(signal: NodeJS.Signals) {
    super(
      'LIVEPATCH_APP_NOT_RUNNING',
      `The app is not running, so ${signal} cannot be sent to it. Wait for the agent to restart it, and check its output with "livepatch logs".`,
    );
  }
}

/**
 * A command (the supervised app, or an `exec` rule's command) could not be started.
 *
 * @remarks Code `LIVEPATCH_COMMAND_START_FAILED`. Only the program (`argv[0]`) is named: arguments may
 * hold secrets.
 */
export class CommandStartError extends VelocityError {
  /** `argv[0]`. */
  readonly program: string;
  /** The errno code from spawn, e.g. `ENOENT`, or `UNKNOWN`. */
  readonly errno: string;

  /**
   * @param program - `argv[0]`
   * @param options - `cause`: the spawn error
   */
  constructor(program: string, options: VelocityErrorOptions = {}) {
    const errno = errnoOf(options.cause) ?? 'UNKNOWN';
    super(
      'LIVEPATCH_COMMAND_START_FAILED',
      `Command "${program}" could not be started (${errno}). Check that it is installed in the container, on PATH, and executable.`,
      options,
    );
    this.program = program;
    this.errno = errno;
  }
}

/**
 * The supervised app's process group was still there after SIGKILL and a grace period (a process stuck
 * in the kernel, uninterruptible).
 *
 * @remarks Code `LIVEPATCH_APP_STOP_FAILED`. The agent does not start a second copy of the app while it
 * remains.
 */
export class AppStopError extends VelocityError {
  /** The app's process group id (its pid). */
  readonly pid: number;

  /**
   * @param pid - the app's process group id
   * @param waitedMs - how long the agent waited after SIGKILL
   */
  constructor(pid: number, waitedMs: number) {
    super(
      'LIVEPATCH_APP_STOP_FAILED',
      `The app's process group "${pid}" was still running ${waitedMs} ms after SIGKILL. Check for processes stuck in uninterruptible I/O (ps -o pid,stat,cmd -g ${pid}).`,
    );
    this.pid = pid;
  }
}

/**
 * A reloader was used after {@link Reloader.close}.
 *
 * @remarks Code `LIVEPATCH_RELOADER_CLOSED`: a bug in the caller.
 */
export class ReloaderClosedError extends VelocityError {
  constructor() {
    super(
      'LIVEPATCH_RELOADER_CLOSED',
      'The reloader is closed, so it cannot reload another batch. Create a new reloader.',
    );
  }
}

/** The errno code of a Node.js system error, if `error` is one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
