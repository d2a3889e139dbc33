import type { Logger } from '@velocity/core';
import type { AgentEventBus } from '../events/index.js';
import { SYSTEM_CLOCK, type Clock } from './clock.js';
import { ReloadConfigError, ReloaderClosedError } from './errors.js';
import { execCommand } from './exec.js';
import {
  createReloadPlanner,
  type PlannedReload,
  type ReloadAction,
  type ReloadRule,
} from './rules.js';
import { sendSignal } from './signal.js';
import { describeExit, type AppExit, type AppSupervisor } from './supervisor.js';

/** The outcome of one reload action, as the proto's `ReloadReport`. */
export interface ReloadReport {
  action: ReloadAction;
  /** What was done, scrubbed, e.g. `SIGHUP to pid 42` or `"npm install" exited 0 in 5210 ms`. */
  detail: string;
  ok: boolean;
}

/** A batch that was just applied, as the reloader needs it. */
export interface ReloadBatch {
  /** The CLI's batch id, echoed in events. */
  batchId: string;
  /** The paths the batch wrote, removed or renamed (both names), root-relative POSIX. */
  changedPaths: readonly string[];
  /** Restores every file the batch changed to its content before the batch. */
  undo: () => Promise<void>;
  /** Called once the batch can no longer be rolled back (e.g. to delete its backups). */
  release?: () => Promise<void> | void;
}

/** Options of {@link createReloader}. */
export interface ReloaderOptions {
  /** Tried in order; see {@link createReloadPlanner}. */
  rules: readonly ReloadRule[];
  /** The app run by `--restart -- CMD`; required by `restart` rules and by `signal` rules without a pidFile. */
  supervisor?: AppSupervisor;
  /** Receives `reload` and `rollback` events (and exec output). */
  events: AgentEventBus;
  /** @defaultValue no-op */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /**
   * After a restart caused by a batch: an exit of the new app with a non-zero code or by a signal
   * within this many ms rolls the batch back. 0 turns rollback off. @defaultValue 5000
   */
  rollbackWindowMs?: number;
  /** Resolves relative pid files, and is the working directory of exec commands. @defaultValue the agent's */
  root?: string;
  /** Environment of exec commands. @defaultValue the agent's */
  env?: NodeJS.ProcessEnv;
  /** Most time an exec command may run, in ms. @defaultValue 300000 */
  execTimeoutMs?: number;
  /** @defaultValue {@link SYSTEM_CLOCK} */
  clock?: Clock;
}

/** Runs the reload rules after each batch and rolls back batches that crash the app; see {@link createReloader}. */
export interface Reloader {
  /**
   * Runs the actions `batch` triggers, after the reloads of earlier batches.
   *
   * @returns one report per action, in the order run; an empty list when the batch triggers nothing
   * @throws {@link ReloaderClosedError} after {@link Reloader.close}
   */
  afterBatch(batch: ReloadBatch): Promise<ReloadReport[]>;
  /**
   * Ends the open rollback window now (releasing its batch) and waits for reloads and rollbacks in
   * progress. Call it before applying a batch, so that a rollback never interleaves with the apply.
   */
  settle(): Promise<void>;
  /** {@link Reloader.settle}, then stops watching the app and waits for pending releases. */
  close(): Promise<void>;
}

interface Watch {
  readonly batch: ReloadBatch;
  readonly pid: number;
  readonly cancelTimer: () => void;
}

const NOOP_LOGGER: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatCommand(command: readonly string[]): string {
  return `"${command.join(' ')}"`;
}

/**
 * Creates the reloader: the agent's hot reload after each applied batch, with rollback on crash.
 *
 * @remarks
 * **Per batch** ({@link Reloader.afterBatch}), one batch at a time in call order: plan the actions
 * ({@link createReloadPlanner}), run every `exec` (in order), then the `restart`, then the `signal`s,
 * and report each. When an exec fails (non-zero exit, timeout, not found) the batch's restart and
 * signals are skipped and reported as failed: the app keeps running the code it has rather than
 * reloading into a half-installed tree. A signal to a pid file costs one file read and one kill(2),
 * nothing else is awaited.
 *
 * **Rollback.** After a restart the batch's window opens for `rollbackWindowMs`. If the app started by
 * that restart exits on its own with a non-zero code or by a signal inside the window, the reloader
 * restarts the app through the supervisor with the batch's `undo()` between stop and start, and
 * records a `rollback` event (batch id and reason) for `livepatch logs` and the dashboard. The
 * restart is requested synchronously from the exit listener, which cancels the supervisor's own
 * backoff restart; if the restored app crashes as well, the supervisor's crash-loop backoff takes
 * over. A rolled-back batch is never released.
 *
 * **Release.** A batch is released (its `release()` called, not awaited by `afterBatch`) when its window
 * passes without a crash, when the next batch arrives or {@link Reloader.settle} is called (a later
 * batch makes the crash no longer the earlier batch's alone, and undo must stay last-in first-out), or
 * right after its reload when it caused no restart.
 *
 * @param options - see {@link ReloaderOptions}
 * @returns the reloader
 * @throws {@link ReloadConfigError} when a rule is invalid, or a rule needs the supervised app and there
 *   is none
 */
export function createReloader(options: ReloaderOptions): Reloader {
  const { events, supervisor } = options;
  const logger = options.logger ?? NOOP_LOGGER;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const rollbackWindowMs = options.rollbackWindowMs ?? 5000;
  if (!Number.isFinite(rollbackWindowMs) || rollbackWindowMs < 0) {
    throw new ReloadConfigError(
      `livepatch.rollbackWindowMs is "${rollbackWindowMs}", but must be a number >= 0. Fix it or leave it unset.`,
    );
  }
  const plan = createReloadPlanner(options.rules);
  if (supervisor === undefined) {
    options.rules.forEach((rule, index) => {
      if (rule.action === 'restart' || (rule.action === 'signal' && rule.pidFile === undefined)) {
        throw new ReloadConfigError(
          `livepatch.reload[${index}] ${rule.action === 'restart' ? 'restarts' : 'signals'} the app, but the agent supervises none. Start the agent with --restart -- CMD, or give the rule a pidFile.`,
        );
      }
    });
  }

  let queue: Promise<unknown> = Promise.resolve();
  let watch: Watch | undefined;
  let closed = false;
  const releases = new Set<Promise<void>>();
  /** Batches whose reload opened a rollback window, until their reload returns. */
  const windowed = new Set<ReloadBatch>();

  const release = (batch: ReloadBatch) => {
    if (batch.release === undefined) return;
    const releasing = (async () => {
      try {
        await batch.release?.();
      } catch (error) {
        logger.warn('Releasing a batch failed.', { batchId: batch.batchId, error });
      }
    })();
    releases.add(releasing);
    void releasing.finally(() => releases.delete(releasing));
  };

  const endWatch = () => {
    const ended = watch;
    if (ended === undefined) return;
    watch = undefined;
    ended.cancelTimer();
    release(ended.batch);
  };

  const openWatch = (batch: ReloadBatch, pid: number) => {
    if (rollbackWindowMs === 0) return;
    windowed.add(batch);
    const watched: Watch = {
      batch,
      pid,
      cancelTimer: clock.setTimer(() => {
        if (watch === watched) endWatch();
      }, rollbackWindowMs),
    };
    watch = watched;
  };

  const enqueue = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  };

  const rollback = (batch: ReloadBatch, exit: AppExit, restarter: AppSupervisor) => {
    const { batchId } = batch;
    const reason = `the app exited with ${describeExit(exit)} ${exit.uptimeMs} ms after the restart`;
    logger.warn('Rolling back a batch: the app crashed after its restart.', {
      batchId,
      code: exit.code,
      signal: exit.signal,
      uptimeMs: exit.uptimeMs,
    });
    // Called synchronously from the exit listener, so the supervisor's backoff restart is cancelled.
    const restarting = restarter.restart({
      beforeStart: () => batch.undo(),
      reason: `rollback of batch "${batchId}"`,
    });
    void enqueue(async () => {
      try {
        const { pid } = await restarting;
        events.event(
          'rollback',
          `rolled back batch "${batchId}": ${reason}; restored its previous files and restarted the app (pid ${pid})`,
          batchId,
        );
      } catch (error) {
        logger.error('Rolling back a batch failed.', { batchId, error });
        events.event(
          'rollback',
          `rollback of batch "${batchId}" failed (${reason}): ${messageOf(error)}`,
          batchId,
        );
      }
    });
  };

  const unsubscribe = supervisor?.onExit((exit) => {
    const watched = watch;
    if (watched === undefined || exit.requested || exit.pid !== watched.pid) return;
    if (exit.code === 0 && exit.signal === null) return;
    watch = undefined;
    watched.cancelTimer();
    rollback(watched.batch, exit, supervisor);
  });

  const run = async (planned: PlannedReload, batch: ReloadBatch): Promise<ReloadReport> => {
    const { batchId } = batch;
    switch (planned.action) {
      case 'exec': {
        const result = await execCommand(planned.command, {
          events,
          batchId,
          ...(options.root === undefined ? {} : { cwd: options.root }),
          ...(options.env === undefined ? {} : { env: options.env }),
          ...(options.execTimeoutMs === undefined ? {} : { timeoutMs: options.execTimeoutMs }),
          clock,
        });
        const how = result.timedOut
          ? `timed out after ${result.durationMs} ms`
          : `exited ${result.exitCode ?? result.signal ?? 'unknown'} in ${result.durationMs} ms`;
        return {
          action: 'exec',
          detail: `${formatCommand(planned.command)} ${how}`,
          ok: result.ok,
        };
      }
      case 'restart': {
        // Rules were checked at creation: a restart rule implies a supervisor.
        const restarter = supervisor as AppSupervisor;
        const result = await restarter.restart({ reason: `batch "${batchId}"` });
        // Before anything else is awaited, so that no exit of the new app can be missed.
        openWatch(batch, result.pid);
        const was = result.stopped === undefined ? '' : ` (was ${result.stopped.pid})`;
        return {
          action: 'restart',
          detail: `restarted the app: pid ${result.pid}${was} in ${result.durationMs} ms`,
          ok: true,
        };
      }
      case 'signal': {
        const sent = await sendSignal(planned.target, planned.signal, {
          ...(options.root === undefined ? {} : { root: options.root }),
          ...(supervisor === undefined ? {} : { supervisor }),
        });
        return {
          action: 'signal',
          detail: sent.group
            ? `${sent.signal} to the app (process group ${sent.pid})`
            : `${sent.signal} to pid ${sent.pid}`,
          ok: true,
        };
      }
      case 'sync':
        return {
          action: 'sync',
          detail: `${planned.paths.length} file${planned.paths.length === 1 ? '' : 's'}; the app reloads itself`,
          ok: true,
        };
    }
  };

  const reload = async (batch: ReloadBatch): Promise<ReloadReport[]> => {
    const { batchId } = batch;
    const reports: ReloadReport[] = [];
    let failedExec: string | undefined;
    for (const planned of plan(batch.changedPaths)) {
      let report: ReloadReport;
      if (
        failedExec !== undefined &&
        (planned.action === 'restart' || planned.action === 'signal')
      ) {
        report = { action: planned.action, detail: `skipped: ${failedExec} failed`, ok: false };
      } else {
        try {
          report = await run(planned, batch);
        } catch (error) {
          report = { action: planned.action, detail: messageOf(error), ok: false };
        }
        if (planned.action === 'exec' && !report.ok) failedExec ??= formatCommand(planned.command);
      }
      report.detail = events.scrub(report.detail);
      reports.push(report);
      events.event(
        'reload',
        `${report.action}: ${report.detail}${report.ok ? '' : ' (failed)'}`,
        batchId,
      );
      logger.debug('Reload action done.', { batchId, ...report });
    }
    // A batch with a window is released when the window ends, and never when it was rolled back.
    if (!windowed.delete(batch)) release(batch);
    return reports;
  };

  const settle = async (): Promise<void> => {
    endWatch();
    for (let waited = queue; ; waited = queue) {
      await waited;
      if (waited === queue) return;
    }
  };

  return {
    afterBatch(batch) {
      if (closed) return Promise.reject(new ReloaderClosedError());
      endWatch();
      return enqueue(() => reload(batch));
    },
    settle,
    async close() {
      closed = true;
      await settle();
      unsubscribe?.();
      await Promise.all(releases);
    },
  };
}
