import type { ChildProcess } from 'node:child_process';
import type { Logger } from '@velocity/core';
import type { AgentEventBus } from '../events/index.js';
import { SYSTEM_CLOCK, settlesWithin, type Clock } from './clock.js';
import {
  AppNotRunningError,
  AppStopError,
  ReloadConfigError,
  SignalDeliveryError,
  errnoOf,
} from './errors.js';
import {
  USE_PROCESS_GROUPS,
  signalProcessGroup,
  spawnInProcessGroup,
  waitForProcessGroup,
} from './process-group.js';

/**
 * When the supervisor starts the app again after it exited on its own (never after a stop it asked
 * for): `on-failure` after a non-zero exit or a signal, `always` after any exit, `never`.
 */
export const RESTART_POLICIES = ['on-failure', 'always', 'never'] as const;

/** One of {@link RESTART_POLICIES}. */
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** Crash-loop backoff: the delay before the n-th restart in a row is `min(maxDelayMs, initialDelayMs × factor^(n-1))`. */
export interface BackoffOptions {
  /** Delay before the first automatic restart, in ms. @defaultValue 500 */
  initialDelayMs?: number;
  /** Longest delay, in ms. @defaultValue 30000 */
  maxDelayMs?: number;
  /** Growth per exit in a row, at least 1. @defaultValue 2 */
  factor?: number;
  /** An app that ran at least this long before exiting starts the count again, in ms. @defaultValue 10000 */
  resetAfterMs?: number;
}

/** Options of {@link AppSupervisor}. */
export interface AppSupervisorOptions {
  /** The app's argument list (`livepatch-agent --restart -- CMD ...`), run without a shell. */
  command: readonly string[];
  /** Receives the app's stdout and stderr (scrubbed there) and the supervisor's events. */
  events: AgentEventBus;
  /** The app's working directory. @defaultValue the agent's */
  cwd?: string;
  /** The app's environment. @defaultValue the agent's */
  env?: NodeJS.ProcessEnv;
  /** How long a stop waits after SIGTERM before SIGKILL, in ms. @defaultValue 10000 */
  stopTimeoutMs?: number;
  /** @defaultValue `'on-failure'` */
  restartPolicy?: RestartPolicy;
  /** See {@link BackoffOptions}. */
  backoff?: BackoffOptions;
  /** @defaultValue no-op */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** @defaultValue {@link SYSTEM_CLOCK} */
  clock?: Clock;
}

/** How one run of the app ended. */
export interface AppExit {
  /** The app's pid, which is also its process group id. */
  readonly pid: number;
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
  /** True when the supervisor stopped it (stop, restart); false when it exited on its own. */
  readonly requested: boolean;
  /** How long it ran, in ms. */
  readonly uptimeMs: number;
  /**
   * Set when the supervisor scheduled a start of its own after this many ms (crash-loop backoff); an
   * exit listener that calls {@link AppSupervisor.restart} at once cancels it.
   */
  readonly restartDelayMs?: number;
}

/** Receives every exit of the app, synchronously, as it is reaped. */
export type AppExitListener = (exit: AppExit) => void;

/** Options of {@link AppSupervisor.stop}. */
export interface StopOptions {
  /** How long to wait after SIGTERM before SIGKILL, in ms. @defaultValue the supervisor's `stopTimeoutMs` */
  timeoutMs?: number;
}

/** Options of {@link AppSupervisor.restart}. */
export interface RestartOptions {
  /**
   * Runs after the app has stopped and before it starts again (e.g. restoring a batch's files). If it
   * throws, the app is still started, then the error is thrown.
   */
  beforeStart?: () => Promise<void> | void;
  /** Says why, in the `restart` event, e.g. `batch "b1"`. */
  reason?: string;
}

/** What {@link AppSupervisor.restart} did. */
export interface AppRestartResult {
  /** The new app's pid. */
  pid: number;
  /** How the previous run ended, when one was running. */
  stopped?: AppExit;
  /** From the call to the new app's start, in ms, including the wait for earlier operations. */
  durationMs: number;
}

interface Run {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startedAt: number;
  readonly exited: Promise<AppExit>;
  readonly output: Promise<unknown>;
  stopRequested: boolean;
  exit: AppExit | undefined;
}

/** How long a stop waits after SIGKILL before giving up, in ms. */
const KILL_WAIT_MS = 5000;
/** How long a stop waits for the app's last output lines after it exited, in ms. */
const OUTPUT_WAIT_MS = 200;

const NOOP_LOGGER: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

function checkNumber(option: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new ReloadConfigError(
      `Supervisor option ${option} is "${value}", but must be a number >= ${min}. Fix the value or leave it unset.`,
    );
  }
  return value;
}

/** `exit code 1`, `signal SIGKILL`. */
export function describeExit(exit: Pick<AppExit, 'code' | 'signal'>): string {
  return exit.signal === null ? `exit code ${exit.code ?? 'unknown'}` : `signal ${exit.signal}`;
}

/**
 * Runs the app for `livepatch-agent --restart -- CMD ...`: starts it in its own process group, records
 * its output, stops and restarts it one operation at a time, and restarts it with backoff when it keeps
 * exiting on its own.
 *
 * @remarks
 * - **Process group.** On POSIX the app is spawned detached, so it leads a new session and process group
 *   (its pid is the group id). A stop sends SIGTERM to the whole group, waits up to `stopTimeoutMs` for
 *   the leader to exit and the group to empty, then sends SIGKILL to the group. So `npm start`'s
 *   `node server.js` stops too, and the port it held is free before the next start. Being in another
 *   session, the app does not get the terminal's SIGINT: the agent stops it on shutdown.
 * - **Serialized.** {@link AppSupervisor.start}, {@link AppSupervisor.stop},
 *   {@link AppSupervisor.restart} and automatic restarts run one after another, in call order; two
 *   copies of the app never run at once.
 * - **Crash loops.** After an exit the supervisor did not ask for, the restart policy decides whether it
 *   starts the app again, after `min(maxDelayMs, initialDelayMs × factor^(n-1))` for the n-th such exit
 *   in a row; a run of `resetAfterMs` or longer starts the count again. A call to start, stop or
 *   restart cancels a pending automatic restart, so an exit listener may take over (as the reloader's
 *   rollback does) by calling {@link AppSupervisor.restart} synchronously.
 * - **Events.** `restart` when the app starts or is stopped, `crash` when it exits on its own with an
 *   error; stdout and stderr lines as `stdout`/`stderr` records.
 *
 * @privateRemarks
 * When the agent is pid 1 of its container, orphans of the app are reparented to it and Node does not
 * reap them; they stay zombies (harmless, but counted by kill(2)). Run the container with an init
 * (`docker run --init`, tini). {@link isProcessGroupAlive} ignores zombies for that reason.
 */
export class AppSupervisor {
  readonly #command: readonly string[];
  readonly #events: AgentEventBus;
  readonly #cwd: string | undefined;
  readonly #env: NodeJS.ProcessEnv | undefined;
  readonly #stopTimeoutMs: number;
  readonly #policy: RestartPolicy;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #factor: number;
  readonly #resetAfterMs: number;
  readonly #logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly #clock: Clock;
  readonly #exitListeners = new Set<AppExitListener>();
  #run: Run | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #cancelAutoRestart: (() => void) | undefined;
  #wanted = false;
  #exitsInARow = 0;

  /**
   * @param options - see {@link AppSupervisorOptions}
   * @throws {@link ReloadConfigError} when `command` is empty or an option is out of range
   */
  constructor(options: AppSupervisorOptions) {
    if (options.command.length === 0 || options.command[0] === '') {
      throw new ReloadConfigError(
        'The app command is empty. Name it after --restart --, e.g. livepatch-agent --restart -- node server.js.',
      );
    }
    const policy = options.restartPolicy ?? 'on-failure';
    if (!(RESTART_POLICIES as readonly string[]).includes(policy)) {
      throw new ReloadConfigError(
        `Restart policy "${String(policy)}" is unknown. Use one of ${RESTART_POLICIES.join(', ')}.`,
      );
    }
    this.#command = [...options.command];
    this.#events = options.events;
    this.#cwd = options.cwd;
    this.#env = options.env;
    this.#stopTimeoutMs = checkNumber('stopTimeoutMs', options.stopTimeoutMs ?? 10_000, 0);
    this.#policy = policy;
    const backoff = options.backoff ?? {};
    this.#initialDelayMs = checkNumber('backoff.initialDelayMs', backoff.initialDelayMs ?? 500, 0);
    this.#maxDelayMs = checkNumber('backoff.maxDelayMs', backoff.maxDelayMs ?? 30_000, 0);
    this.#factor = checkNumber('backoff.factor', backoff.factor ?? 2, 1);
    this.#resetAfterMs = checkNumber('backoff.resetAfterMs', backoff.resetAfterMs ?? 10_000, 0);
    this.#logger = options.logger ?? NOOP_LOGGER;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** The running app's pid (= its process group id), or undefined. */
  get pid(): number | undefined {
    const run = this.#run;
    return run === undefined || run.exit !== undefined ? undefined : run.pid;
  }

  /** Whether the app is running. */
  get running(): boolean {
    return this.pid !== undefined;
  }

  /**
   * Starts the app, unless it is running.
   *
   * @returns the app's pid
   * @throws {@link CommandStartError} when the command cannot be started
   */
  start(): Promise<number> {
    this.#wanted = true;
    this.#cancelPendingRestart();
    return this.#enqueue(async () => this.pid ?? (await this.#spawn('')));
  }

  /**
   * Stops the app's process group: SIGTERM, then SIGKILL after `timeoutMs`. The app stays stopped
   * until {@link AppSupervisor.start} or {@link AppSupervisor.restart}.
   *
   * @param options - see {@link StopOptions}
   * @returns how the app ended, or undefined when it was not running
   * @throws {@link AppStopError} when the group is still there 5 s after SIGKILL
   */
  stop(options: StopOptions = {}): Promise<AppExit | undefined> {
    this.#wanted = false;
    this.#cancelPendingRestart();
    const timeoutMs = checkNumber('timeoutMs', options.timeoutMs ?? this.#stopTimeoutMs, 0);
    return this.#enqueue(() => this.#stopRun(timeoutMs));
  }

  /**
   * Stops the app (as {@link AppSupervisor.stop}), runs `beforeStart`, and starts it again; after the
   * operations already queued.
   *
   * @param options - see {@link RestartOptions}
   * @returns the new pid and how the previous run ended
   * @throws {@link AppStopError} when the old app cannot be stopped (the new one is not started)
   * @throws {@link CommandStartError} when the command cannot be started
   * @throws whatever `beforeStart` throws, after the app was started
   */
  restart(options: RestartOptions = {}): Promise<AppRestartResult> {
    this.#wanted = true;
    this.#cancelPendingRestart();
    const began = this.#clock.now();
    return this.#enqueue(async () => {
      const stopped = await this.#stopRun(this.#stopTimeoutMs);
      let hookFailed = false;
      let hookError: unknown;
      if (options.beforeStart !== undefined) {
        try {
          await options.beforeStart();
        } catch (error) {
          hookFailed = true;
          hookError = error;
        }
      }
      const pid = await this.#spawn(options.reason === undefined ? '' : ` (${options.reason})`);
      if (hookFailed) throw hookError;
      return {
        pid,
        ...(stopped === undefined ? {} : { stopped }),
        durationMs: Math.round(this.#clock.now() - began),
      };
    });
  }

  /**
   * Sends `signal` to the app's process group; at once, not queued behind other operations.
   *
   * @param signal - e.g. `SIGHUP`
   * @returns the process group id signalled
   * @throws {@link AppNotRunningError} when the app is not running (also while it restarts)
   * @throws {@link SignalDeliveryError} when kill(2) fails
   */
  signal(signal: NodeJS.Signals): number {
    const run = this.#run;
    if (run === undefined || run.exit !== undefined) throw new AppNotRunningError(signal);
    const target = `the app (process group ${run.pid})`;
    let delivered: boolean;
    try {
      delivered = this.#signalRun(run, signal);
    } catch (error) {
      throw new SignalDeliveryError(target, run.pid, signal, errnoOf(error) ?? 'UNKNOWN', {
        cause: error,
      });
    }
    if (!delivered) throw new SignalDeliveryError(target, run.pid, signal, 'ESRCH');
    return run.pid;
  }

  /**
   * Calls `listener` with every exit of the app, requested or not, as soon as it is reaped (before any
   * automatic restart is due).
   *
   * @returns unsubscribes
   */
  onExit(listener: AppExitListener): () => void {
    const entry: AppExitListener = (exit) => listener(exit);
    this.#exitListeners.add(entry);
    return () => {
      this.#exitListeners.delete(entry);
    };
  }

  /** Settles when every operation queued so far has finished. */
  async idle(): Promise<void> {
    for (let queue = this.#queue; ; queue = this.#queue) {
      await queue;
      if (queue === this.#queue) return;
    }
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #cancelPendingRestart(): void {
    this.#cancelAutoRestart?.();
    this.#cancelAutoRestart = undefined;
  }

  /** @returns false when the group (or child) is already gone */
  #signalRun(run: Run, signal: NodeJS.Signals): boolean {
    /* c8 ignore next -- Windows has no process groups */
    if (!USE_PROCESS_GROUPS) return run.exit === undefined && run.child.kill(signal);
    return signalProcessGroup(run.pid, signal);
  }

  async #spawn(reason: string): Promise<number> {
    const [program = '', ...args] = this.#command;
    const child = await spawnInProcessGroup(program, args, { cwd: this.#cwd, env: this.#env });
    // After 'spawn', the pid is set.
    const pid = child.pid ?? 0;
    const startedAt = this.#clock.now();
    let resolveExit: (exit: AppExit) => void = () => {};
    const exited = new Promise<AppExit>((resolve) => {
      resolveExit = resolve;
    });
    const run: Run = {
      child,
      pid,
      startedAt,
      exited,
      output: Promise.all([
        this.#events.pipe(child.stdout, 'stdout'),
        this.#events.pipe(child.stderr, 'stderr'),
      ]),
      stopRequested: false,
      exit: undefined,
    };
    child.on('error', (error) => {
      this.#logger.warn('The supervised app reported an error.', { pid, error });
    });
    child.once('exit', (code, signal) => this.#onExit(run, code, signal, resolveExit));
    this.#run = run;
    this.#events.event('restart', `app started: pid ${pid}${reason}`);
    this.#logger.info('Started the app.', { pid });
    return pid;
  }

  #onExit(
    run: Run,
    code: number | null,
    signal: NodeJS.Signals | null,
    resolveExit: (exit: AppExit) => void,
  ): void {
    const uptimeMs = Math.round(this.#clock.now() - run.startedAt);
    const requested = run.stopRequested;
    const failed = code !== 0 || signal !== null;
    const autoRestart =
      !requested &&
      this.#wanted &&
      (this.#policy === 'always' || (this.#policy === 'on-failure' && failed));
    let restartDelayMs: number | undefined;
    if (autoRestart) {
      if (uptimeMs >= this.#resetAfterMs) this.#exitsInARow = 0;
      restartDelayMs = this.#scheduleAutoRestart();
    }
    const exit: AppExit = Object.freeze({
      pid: run.pid,
      code,
      signal,
      requested,
      uptimeMs,
      ...(restartDelayMs === undefined ? {} : { restartDelayMs }),
    });
    run.exit = exit;
    resolveExit(exit);
    if (!requested) {
      this.#events.event(
        failed ? 'crash' : 'restart',
        `app exited on its own: pid ${run.pid}, ${describeExit(exit)}, after ${uptimeMs} ms`,
      );
      this.#logger.warn('The app exited on its own.', { pid: run.pid, code, signal, uptimeMs });
    }
    for (const listener of this.#exitListeners) {
      try {
        listener(exit);
      } catch (error) {
        this.#logger.error('An app exit listener threw.', { error });
      }
    }
    // A listener may have taken over (restart() cancels the pending automatic restart).
    if (restartDelayMs !== undefined && this.#cancelAutoRestart !== undefined) {
      this.#events.event(
        'restart',
        `restarting the app in ${restartDelayMs} ms (exit ${this.#exitsInARow} in a row)`,
      );
    }
  }

  /** Counts one more exit in a row and schedules a start after the backoff delay; returns the delay. */
  #scheduleAutoRestart(): number {
    this.#exitsInARow += 1;
    const delayMs = Math.round(
      Math.min(this.#maxDelayMs, this.#initialDelayMs * this.#factor ** (this.#exitsInARow - 1)),
    );
    this.#cancelPendingRestart();
    this.#cancelAutoRestart = this.#clock.setTimer(() => {
      this.#cancelAutoRestart = undefined;
      this.#enqueue(() => this.#autoRestart(delayMs)).catch((error: unknown) => {
        this.#logger.error('Restarting the app failed.', { error });
      });
    }, delayMs);
    return delayMs;
  }

  async #autoRestart(delayMs: number): Promise<void> {
    if (!this.#wanted || this.pid !== undefined) return;
    // The leader is gone, but what it started may not be.
    await this.#stopRun(this.#stopTimeoutMs);
    try {
      await this.#spawn(` after a backoff of ${delayMs} ms`);
    } catch (error) {
      const nextMs = this.#scheduleAutoRestart();
      this.#events.event(
        'crash',
        `the app could not be restarted: ${error instanceof Error ? error.message : String(error)}; trying again in ${nextMs} ms`,
      );
    }
  }

  /**
   * Stops the current run's process group, or what is left of it when the leader already exited.
   *
   * @returns the run's exit when this call stopped it; undefined when nothing was running
   */
  async #stopRun(timeoutMs: number): Promise<AppExit | undefined> {
    const run = this.#run;
    if (run === undefined) return undefined;
    const alreadyExited = run.exit !== undefined;
    run.stopRequested ||= !alreadyExited;
    const began = this.#clock.now();
    const signalled = this.#trySignal(run, 'SIGTERM');
    let gone = !signalled && alreadyExited;
    gone ||= await waitForProcessGroup(run.pid, run.exited, timeoutMs, this.#clock);
    let killed = false;
    if (!gone) {
      killed = true;
      this.#trySignal(run, 'SIGKILL');
      gone = await waitForProcessGroup(run.pid, run.exited, KILL_WAIT_MS, this.#clock);
    }
    if (!gone) {
      this.#events.event('restart', `the app (pid ${run.pid}) did not exit after SIGKILL`);
      throw new AppStopError(run.pid, KILL_WAIT_MS);
    }
    this.#run = undefined;
    await settlesWithin(run.output, OUTPUT_WAIT_MS, this.#clock);
    if (alreadyExited) return undefined;
    const exit = await run.exited;
    const tookMs = Math.round(this.#clock.now() - began);
    this.#events.event(
      'restart',
      `app stopped: pid ${run.pid}, ${describeExit(exit)}, in ${tookMs} ms${killed ? ` (SIGKILL after ${timeoutMs} ms)` : ''}`,
    );
    return exit;
  }

  /** Signals the run's group, logging instead of throwing (a stop goes on whatever happens). */
  #trySignal(run: Run, signal: NodeJS.Signals): boolean {
    try {
      return this.#signalRun(run, signal);
    } catch (error) {
      this.#logger.warn(`Could not send ${signal} to the app.`, { pid: run.pid, error });
      return false;
    }
  }
}
