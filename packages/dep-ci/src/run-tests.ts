/**
 * Running the test command: a child process whose output is scrubbed of secrets, stopped on abort.
 *
 * @module
 */
import type { ChildProcess, ChildProcessByStdio } from 'node:child_process';
import spawn from 'cross-spawn';
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import type { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createScrubStream, InternalError, type OutputStream, type Scrubber } from '@velocity/core';
import { CommandNotFoundError, CommandStartError } from './errors.js';

/** Options of {@link runTests}. */
export interface RunTestsOptions {
  /** The command to run: executable then arguments (from `TestRunner.buildCommand`). Run without a shell. */
  argv: readonly string[];
  /** Working directory of the command (absolute). */
  cwd: string;
  /** The command's whole environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Removes secrets from the command's output, line by line (see core's `createScrubStream`). */
  scrubber: Scrubber;
  /** Receives the command's scrubbed stdout. */
  stdout: OutputStream;
  /** Receives the command's scrubbed stderr. */
  stderr: OutputStream;
  /**
   * Stops the command: on abort it is sent SIGTERM when the abort reason is the string `'SIGTERM'`, else
   * SIGINT (core's `processIo` aborts on SIGINT); then SIGKILL if still running after `killAfterMs`.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds between forwarding the abort signal and SIGKILL.
   * @defaultValue 10000
   */
  killAfterMs?: number;
}

type ForwardedSignal = 'SIGINT' | 'SIGTERM';

/** The signal an abort forwards. */
function forwardedSignal(signal: AbortSignal): ForwardedSignal {
  return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}

/** The shell convention for a process ended by `signal`: 128 + its number (SIGINT → 130). */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/**
 * Sends `signal` to the child's whole process group on POSIX (the child leads it: see `detached`), so
 * `npm test` → `sh` → `jest` all get it; to the child alone on Windows.
 */
function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group ended between the check and the kill.
  }
}

/** Writes `source`'s chunks to `target`, pausing while `target` is full; resolves when `source` ends. */
function forward(source: Transform, target: OutputStream): Promise<void> {
  source.on('data', (chunk: Buffer) => {
    if (!target.write(chunk)) {
      source.pause();
      target.once('drain', () => source.resume());
    }
  });
  return finished(source);
}

/** The error for a command that could not be started. */
async function startError(executable: string, cwd: string, error: NodeJS.ErrnoException) {
  if (error.code !== 'ENOENT') {
    return new CommandStartError(executable, error.code ?? error.message, { cause: error });
  }
  // Node reports a missing working directory as ENOENT too, like a missing executable.
  const cwdExists = await stat(cwd).then(
    () => true,
    () => false,
  );
  return cwdExists
    ? new CommandNotFoundError(executable, { cause: error })
    : new CommandStartError(executable, `no working directory "${cwd}"`, { cause: error });
}

/**
 * Runs the test command and resolves with its exit code.
 *
 * @remarks
 * The command is spawned without a shell, stdin ignored, stdout and stderr each piped through its own
 * `createScrubStream(scrubber)` into `options.stdout` / `options.stderr` (so a secret split across
 * writes is still caught); the promise settles once both are fully written.
 *
 * On POSIX the child leads a new process group (`detached`), and signals go to the whole group, so
 * grandchildren (`npm` → `sh` → the runner) stop too and a terminal's Ctrl-C reaches the runner once,
 * through dep-ci, not twice. If dep-ci itself is killed with SIGKILL the group keeps running.
 *
 * Windows: `.cmd` shims (`npm`, `npx`, `yarn`, `node_modules/.bin/*`) cannot be started without a shell
 * since Node's fix for CVE-2024-27980; cross-spawn finds them through `PATHEXT` and runs them through
 * `cmd.exe` with every argument escaped, so `dep-ci run -- npm test` works there too.
 *
 * @see {@link https://nodejs.org/en/blog/vulnerability/april-2024-security-releases-2}
 * @see {@link https://github.com/moxystudio/node-cross-spawn}
 * @param options - see {@link RunTestsOptions}
 * @returns the command's exit code, or 128 + the signal's number when a signal ended it (130 for SIGINT);
 *   130 (143 for a `'SIGTERM'` reason) without starting anything when `signal` is already aborted
 * @throws {@link CommandNotFoundError} when the executable does not exist
 * @throws {@link CommandStartError} when it cannot be started otherwise (not executable, no such `cwd`)
 * @throws {@link InternalError} when `argv` is empty
 */
export async function runTests(options: RunTestsOptions): Promise<number> {
  const [executable, ...args] = options.argv;
  if (executable === undefined) {
    throw new InternalError('runTests was called with an empty argv. Pass the command to run.');
  }
  const { signal } = options;
  if (signal?.aborted === true) return signalExitCode(forwardedSignal(signal));

  const child = spawn(executable, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  // Piped above, so both exist; cross-spawn's type does not carry that over.
  const { stdout, stderr } = child as ChildProcessByStdio<null, Readable, Readable>;
  const outputs = [
    forward(stdout.pipe(createScrubStream(options.scrubber)), options.stdout),
    forward(stderr.pipe(createScrubStream(options.scrubber)), options.stderr),
  ];

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    signalTree(child, forwardedSignal(signal as AbortSignal));
    killTimer = setTimeout(() => signalTree(child, 'SIGKILL'), options.killAfterMs ?? 10_000);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined)
          startError(executable, options.cwd, error).then(reject, reject);
      });
      child.once('close', (code, killedBy) => {
        if (child.pid === undefined) return;
        resolve(code ?? signalExitCode(killedBy as NodeJS.Signals));
      });
    });
    await Promise.all(outputs);
    return exitCode;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(killTimer);
  }
}
