/**
 * Process groups: the supervised app and exec commands run in their own group, so that stopping them
 * also stops what they started (`npm start` → `node server.js`, `npm install` → its scripts).
 *
 * @see {@link https://man7.org/linux/man-pages/man2/kill.2.html | kill(2)}: a negative pid signals a
 *   process group.
 * @module
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { settlesWithin, sleep, type Clock } from './clock.js';
import { CommandStartError, errnoOf } from './errors.js';

/** Process groups exist on POSIX only; on Windows the agent signals the child alone. */
export const USE_PROCESS_GROUPS = process.platform !== 'win32';

/**
 * Starts `program` with `args` as the leader of a new process group (POSIX), no stdin, stdout and stderr
 * piped, and waits until it has started (its pid is set).
 *
 * @param options - working directory and environment of the child
 * @returns the running child
 * @throws {@link CommandStartError} when it cannot be started (not found, not executable)
 */
export async function spawnInProcessGroup(
  program: string,
  args: readonly string[],
  options: { cwd?: string | undefined; env?: NodeJS.ProcessEnv | undefined },
): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    detached: USE_PROCESS_GROUPS,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new CommandStartError(program, { cause: error });
  }
  return child;
}

/** How often a group is checked while waiting for it to empty, in ms. */
const POLL_MS = 10;

/**
 * Sends `signal` to every process in group `pgid`.
 *
 * @param pgid - the group id (the pid of its leader)
 * @param signal - the signal, or 0 to test whether the group exists
 * @returns false when the group no longer exists (ESRCH)
 * @throws the error of `process.kill` for anything but ESRCH (EPERM)
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ESRCH') return false;
    throw error;
  }
}

/** The state letter and process group of `/proc/<pid>/stat`, whose 2nd field (comm) may hold spaces and `)`. */
function parseStat(stat: string): { state: string; pgrp: number } | undefined {
  const close = stat.lastIndexOf(')');
  if (close === -1) return undefined;
  const [state, , pgrp] = stat.slice(close + 2).split(' ');
  return state === undefined ? undefined : { state, pgrp: Number(pgrp) };
}

/**
 * Whether group `pgid` has a member that is not a zombie, from `/proc` (Linux).
 *
 * @privateRemarks
 * kill(2) succeeds on a group whose only members are zombies: orphans reparented to a pid 1 that does
 * not reap them (a container whose init is the agent or another non-init program). They hold no
 * resources but their pid, so they count as gone.
 */
async function hasLiveMember(pgid: number): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    /* c8 ignore next -- Linux always has /proc; without it, trust kill(2) */
    return true;
  }
  const stats = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')),
  );
  return stats.some((stat) => {
    const parsed = parseStat(stat);
    return (
      parsed !== undefined && parsed.pgrp === pgid && parsed.state !== 'Z' && parsed.state !== 'X'
    );
  });
}

/**
 * Whether any live process is left in group `pgid`.
 *
 * @param pgid - the group id
 * @returns false when the group is gone, or (on Linux) holds only zombies
 */
export async function isProcessGroupAlive(pgid: number): Promise<boolean> {
  try {
    if (!signalProcessGroup(pgid, 0)) return false;
  } catch {
    // EPERM: it exists, owned by someone else.
    return true;
  }
  /* c8 ignore next -- macOS and the BSDs have no /proc, and their init reaps orphans */
  if (process.platform !== 'linux') return true;
  return hasLiveMember(pgid);
}

/**
 * Waits until `leaderExit` settles and group `pgid` has no live process, for at most `timeoutMs`.
 *
 * @param pgid - the group id
 * @param leaderExit - settles when the group's leader has exited (and been reaped)
 * @param timeoutMs - most time to wait, in ms
 * @param clock - timers
 * @returns true when everything exited in time
 */
export async function waitForProcessGroup(
  pgid: number,
  leaderExit: Promise<unknown>,
  timeoutMs: number,
  clock: Clock,
): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  if (!(await settlesWithin(leaderExit, timeoutMs, clock))) return false;
  if (!USE_PROCESS_GROUPS) return true;
  for (;;) {
    if (!(await isProcessGroupAlive(pgid))) return true;
    const left = deadline - clock.now();
    if (left <= 0) return false;
    await sleep(Math.min(POLL_MS, left), clock);
  }
}
