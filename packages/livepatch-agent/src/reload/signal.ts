/**
 * The `signal` reload action: a signal to the process named by a pid file, or to the supervised app.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { AppNotRunningError, PidFileError, SignalDeliveryError, errnoOf } from './errors.js';
import type { SignalTarget } from './rules.js';
import type { AppSupervisor } from './supervisor.js';

/** Options of {@link sendSignal}. */
export interface SendSignalOptions {
  /** Resolves a relative `pidFile`. @defaultValue the agent's working directory */
  root?: string;
  /** Required for the `app` target. */
  supervisor?: Pick<AppSupervisor, 'signal'>;
}

/** What {@link sendSignal} did. */
export interface SendSignalResult {
  signal: NodeJS.Signals;
  /** The process signalled, or for the `app` target its process group id. */
  pid: number;
  /** Whether a whole process group was signalled (the `app` target). */
  group: boolean;
  /** The pid file read, as resolved (the `pid-file` target). */
  pidFile?: string;
}

/** Bytes read from a pid file; a longer file is not a pid file. */
const MAX_PID_FILE_BYTES = 64;
/** Largest pid accepted: Linux's `pid_max` is at most 2^22, other systems stay below 2^31. */
const MAX_PID = 2 ** 31 - 1;

/**
 * Reads and validates a pid file.
 *
 * @remarks
 * The content must be a decimal process id, at least 1, with optional surrounding whitespace (a
 * trailing newline); at most 64 bytes are read. kill(2) gives 0 and negative pids special meanings
 * (the caller's group, every process), so they are refused, and so is the agent's own pid.
 *
 * @param pidFile - the file's path
 * @returns the pid
 * @throws {@link PidFileError} when the file is missing, unreadable or does not hold a usable pid
 */
export async function readPidFile(pidFile: string): Promise<number> {
  let text: string;
  try {
    const handle = await open(pidFile, 'r');
    try {
      const buffer = Buffer.alloc(MAX_PID_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_PID_FILE_BYTES) throw new PidFileError(pidFile, 'invalid');
      text = buffer.toString('latin1', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof PidFileError) throw error;
    throw new PidFileError(pidFile, errnoOf(error) === 'ENOENT' ? 'missing' : 'unreadable', {
      cause: error,
    });
  }
  const trimmed = text.trim();
  const pid = /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(pid >= 1 && pid <= MAX_PID)) throw new PidFileError(pidFile, 'invalid');
  if (pid === process.pid) throw new PidFileError(pidFile, 'self');
  return pid;
}

/**
 * Sends `signal` to a reload rule's target: the pid in a pid file (read afresh each time, so a
 * restarted app is found), or the supervised app's process group.
 *
 * @remarks On the `edit → app signalled` path: one small file read and one kill(2), nothing queued.
 *
 * @param target - see {@link SignalTarget}
 * @param signal - e.g. `SIGHUP`
 * @param options - see {@link SendSignalOptions}
 * @returns who was signalled
 * @throws {@link PidFileError} when the pid file is missing or invalid
 * @throws {@link SignalDeliveryError} when there is no such process (a stale pid file) or it may not be
 *   signalled
 * @throws {@link AppNotRunningError} for the `app` target when the app is not running, or no supervisor
 *   was given
 */
export async function sendSignal(
  target: SignalTarget,
  signal: NodeJS.Signals,
  options: SendSignalOptions = {},
): Promise<SendSignalResult> {
  if (target.kind === 'app') {
    if (options.supervisor === undefined) {
      throw new AppNotRunningError(signal);
    }
    return { signal, pid: options.supervisor.signal(signal), group: true };
  }
  const pidFile =
    options.root === undefined || isAbsolute(target.pidFile)
      ? target.pidFile
      : join(options.root, target.pidFile);
  const pid = await readPidFile(pidFile);
  try {
    process.kill(pid, signal);
  } catch (error) {
    throw new SignalDeliveryError(
      `pid ${pid} (from pid file "${pidFile}")`,
      pid,
      signal,
      errnoOf(error) ?? 'UNKNOWN',
      { cause: error },
    );
  }
  return { signal, pid, group: false, pidFile };
}
