/**
 * The `exec` reload action: run a command (e.g. `npm install` when `package.json` changed).
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AgentEventBus } from '../events/index.js';
import { SYSTEM_CLOCK, settlesWithin, type Clock } from './clock.js';
import { ReloadConfigError } from './errors.js';
import { USE_PROCESS_GROUPS, signalProcessGroup, spawnInProcessGroup } from './process-group.js';

/** Options of {@link execCommand}. */
export interface ExecCommandOptions {
  /** Receives the command's output, scrubbed, as `stdout`/`stderr` records of kind `exec`. */
  events: AgentEventBus;
  /** The command's working directory. @defaultValue the agent's */
  cwd?: string;
  /** The command's environment. @defaultValue the agent's */
  env?: NodeJS.ProcessEnv;
  /** Most time the command may run before it is stopped (SIGTERM to its group), in ms. @defaultValue 300000 */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when the command is stopped, in ms. @defaultValue 5000 */
  killGraceMs?: number;
  /** Set on the output records. */
  batchId?: string;
  /** Stops the command as a timeout does; the result then has `aborted`. */
  signal?: AbortSignal;
  /** @defaultValue {@link SYSTEM_CLOCK} */
  clock?: Clock;
}

/** How an exec command ended. */
export interface ExecResult {
  /** The argument list run. */
  command: readonly string[];
  /** Exit code, or null when a signal ended the command (or it never ran: aborted before the start). */
  exitCode: number | null;
  /** The signal that ended the command, or null. */
  signal: NodeJS.Signals | null;
  /** Whether it ran out of time and was stopped. */
  timedOut: boolean;
  /** Whether `options.signal` stopped it. */
  aborted: boolean;
  /** Exit code 0, in time, not aborted. */
  ok: boolean;
  /** From start to exit, in ms. */
  durationMs: number;
}

/** How long the output may lag the exit (a background process may hold the pipes), in ms. */
const OUTPUT_WAIT_MS = 1000;

/**
 * Runs `command` without a shell in its own process group, records its output, and reports how it
 * ended.
 *
 * @remarks
 * On timeout or abort, SIGTERM goes to the command's process group (so `npm install`'s scripts stop
 * too), SIGKILL after `killGraceMs`, and SIGKILL again to what is left of the group once the command
 * exited. Output lines are recorded as they arrive; a pipe still held open by a background process 1 s
 * after the exit is closed.
 *
 * @param command - the argument list, e.g. `['npm', 'install']`
 * @param options - see {@link ExecCommandOptions}
 * @returns how it ended; a non-zero exit is a result, not an error
 * @throws {@link CommandStartError} when the command cannot be started (not found, not executable)
 * @throws {@link ReloadConfigError} when `command` is empty
 */
export async function execCommand(
  command: readonly string[],
  options: ExecCommandOptions,
): Promise<ExecResult> {
  const [program, ...args] = command;
  if (program === undefined || program === '') {
    throw new ReloadConfigError(
      'The exec command is empty. Give it as an argument list, e.g. ["npm", "install"].',
    );
  }
  const clock = options.clock ?? SYSTEM_CLOCK;
  const began = clock.now();
  const finish = (partial: Pick<ExecResult, 'exitCode' | 'signal' | 'timedOut' | 'aborted'>) => ({
    command: [...command],
    ...partial,
    ok: partial.exitCode === 0 && !partial.timedOut && !partial.aborted,
    durationMs: Math.round(clock.now() - began),
  });
  if (options.signal?.aborted === true) {
    return finish({ exitCode: null, signal: null, timedOut: false, aborted: true });
  }
  const child = await spawnInProcessGroup(program, args, { cwd: options.cwd, env: options.env });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const pipeOptions = {
    kind: 'exec' as const,
    ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
  };
  const output = Promise.all([
    options.events.pipe(child.stdout, 'stdout', pipeOptions),
    options.events.pipe(child.stderr, 'stderr', pipeOptions),
  ]);
  let timedOut = false;
  let aborted = false;
  let cancelKill: (() => void) | undefined;
  const stop = () => {
    if (cancelKill !== undefined) return;
    kill(child, 'SIGTERM');
    cancelKill = clock.setTimer(() => kill(child, 'SIGKILL'), options.killGraceMs ?? 5000);
  };
  const cancelTimeout = clock.setTimer(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs ?? 300_000);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [exitCode, signal] = await exited;
    if (cancelKill !== undefined) kill(child, 'SIGKILL');
    if (!(await settlesWithin(output, OUTPUT_WAIT_MS, clock))) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    return finish({ exitCode, signal, timedOut, aborted });
  } finally {
    cancelTimeout();
    cancelKill?.();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Signals the command's process group; ignores a group already gone. */
function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  /* c8 ignore next 4 -- Windows has no process groups */
  if (!USE_PROCESS_GROUPS || child.pid === undefined) {
    child.kill(signal);
    return;
  }
  try {
    signalProcessGroup(child.pid, signal);
  } catch {
    // EPERM: a member changed its user (setuid); nothing more the agent can do.
  }
}
