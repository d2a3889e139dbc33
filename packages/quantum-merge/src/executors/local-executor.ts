/**
 * An executor for self-hosted queues: each speculative build runs a command in a git worktree of the
 * speculative commit, on this machine.
 *
 * @module
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { VelocityError, type Logger, type VelocityErrorOptions } from '@velocity/core';
import { SpeculativeRefMissingError } from '../errors.js';
import { HeadNotAppliedError } from '../github/errors.js';
import type { LocalClone } from '../git/local-clone.js';
import type { SpeculativeMerger, SpeculativeRefResult } from '../merge/speculative-merger.js';
import type { BuildPlanner } from '../scheduler/build-plan.js';
import type { BuildReport, BuildReporter, Executor } from '../scheduler/executor.js';
import type { Build, BuildOutcome, QueueId } from '../scheduler/types.js';
import type { BuildRefStore } from '../state/build-refs.js';

/** Options of {@link LocalExecutor}. */
export interface LocalExecutorOptions {
  /** The repository and base branch this executor builds for. */
  readonly queue: QueueId;
  /** Creates each build's speculative commit and lands passed builds. */
  readonly merger: SpeculativeMerger;
  /** Resolves a build into the base tip and PR heads to merge. */
  readonly planner: BuildPlanner;
  /** Where each build's speculative commit is recorded, for {@link LocalExecutor.merge}. */
  readonly refs: BuildRefStore;
  /**
   * The clone builds are checked out from; the speculative commit is fetched into it when missing (it is
   * already there when this is the clone of a `LocalGitSpeculativeMerger`).
   */
  readonly clone: LocalClone;
  /**
   * The build command as an argument list, run without a shell, e.g. `['npm', 'test']`; for shell syntax
   * pass `['sh', '-c', 'npm ci && npm test']`. Exit code 0 passes the build; anything else fails it.
   */
  readonly command: readonly [string, ...string[]];
  /** Directory (absolute) under which each build gets its worktree, `<workDir>/<buildId>`. */
  readonly workDir: string;
  /** Receives each output line of a build as an `info` record of a child logger `{ build: <id> }`. */
  readonly logger: Logger;
  /**
   * The command's environment, to which `QM_BUILD_ID`, `QM_BUILD_SHA` (the speculative commit) and
   * `QM_BUILD_PRS` (`build.contents`, comma-separated) are added. @defaultValue `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time between SIGTERM and SIGKILL when a build is cancelled, in ms. @defaultValue 10000 */
  readonly killGraceMs?: number;
}

/** A build command could not be started (not found, not executable, bad working directory). */
export class BuildCommandStartError extends VelocityError {
  constructor(details: { program: string; errno: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_BUILD_COMMAND_START',
      `Build command "${details.program}" could not be started (${details.errno}). Check the executor's command and the PATH it runs with.`,
      options,
    );
  }
}

/** One build this process started. */
interface BuildRun {
  /** Set by {@link LocalExecutor.cancel}: the outcome is no longer reported. */
  cancelled: boolean;
  /** Settles when `start` has settled. */
  started: Promise<void>;
  /** The command, once spawned: the leader of its own process group. */
  child: ChildProcessByStdio<null, Readable, Readable> | undefined;
  /** Settles when the build is over and cleaned up, and its outcome reported or dropped. */
  finished: Promise<void>;
  /** The SIGKILL that follows a cancel's SIGTERM. */
  killTimer: NodeJS.Timeout | undefined;
  /** The cancel in progress. */
  stopping: Promise<void> | undefined;
}

/** How long output may lag the command's exit (a process that left the group may hold the pipes), in ms. */
const OUTPUT_WAIT_MS = 1000;

/**
 * An {@link Executor} that runs a command on this machine for each speculative build.
 *
 * @remarks
 * `start`: plan the build, create its speculative ref with the merger, record it in the
 * {@link BuildRefStore}, check it out with `git worktree add --detach` at `<workDir>/<buildId>`, and spawn
 * the command there as the leader of a new process group (POSIX only). `start` throws when any of that
 * fails, except a head that does not apply, which is reported as `failed` once `start` has returned. When the
 * command exits, whatever is left of its process group is killed (SIGKILL), the worktree is removed, a
 * failed build's speculative ref is deleted, and the outcome is reported. Output goes to the logger, one
 * record per line, so the logger's scrubbing applies.
 *
 * `cancel` sends SIGTERM to the process group, SIGKILL after `killGraceMs`, and removes the worktree
 * and the speculative ref. `attach` answers whether this process runs the build: a build dies with the
 * process that started it, and the scheduler restarts such builds; `cancel` of a build this process does not
 * know removes a worktree it may have left behind.
 *
 * @see {@link https://man7.org/linux/man-pages/man2/kill.2.html | kill(2)}: a negative pid signals a
 *   process group.
 */
export class LocalExecutor implements Executor {
  readonly #queue: QueueId;
  readonly #merger: SpeculativeMerger;
  readonly #planner: BuildPlanner;
  readonly #refs: BuildRefStore;
  readonly #clone: LocalClone;
  readonly #command: readonly [string, ...string[]];
  readonly #workDir: string;
  readonly #logger: Logger;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #killGraceMs: number;
  readonly #runs = new Map<string, BuildRun>();
  /** Every build this process started and did not cancel; a finished one's result may still be on its way. */
  readonly #started = new Set<string>();

  constructor(options: LocalExecutorOptions) {
    this.#queue = options.queue;
    this.#merger = options.merger;
    this.#planner = options.planner;
    this.#refs = options.refs;
    this.#clone = options.clone;
    this.#command = options.command;
    this.#workDir = options.workDir;
    this.#logger = options.logger;
    this.#env = options.env ?? process.env;
    this.#killGraceMs = options.killGraceMs ?? 10_000;
  }

  /**
   * Creates the build's speculative commit, checks it out and starts the command; resolves once it runs.
   *
   * @param report - called once when the command exits (`passed` on exit code 0, else `failed`), or with
   *   `failed` when a head does not apply (a conflict, or not a fast-forward with merge method
   *   `fast-forward`); never from within `start`, never after {@link LocalExecutor.cancel}
   * @throws what the planner, the merger (except for a head that does not apply), the ref store or git
   *   throw; nothing is left running then
   * @throws {@link BuildCommandStartError} when the command cannot be started
   */
  start(build: Build, report: BuildReporter): Promise<void> {
    const run: BuildRun = {
      cancelled: false,
      started: Promise.resolve(),
      child: undefined,
      finished: Promise.resolve(),
      killTimer: undefined,
      stopping: undefined,
    };
    this.#runs.set(build.id, run);
    this.#started.add(build.id);
    const launched = this.#launch(build, run, report).catch((error: unknown) => {
      this.#runs.delete(build.id);
      throw error;
    });
    run.started = launched.catch(() => {});
    return launched;
  }

  /**
   * A build started earlier is alive only when this process started it (it runs, or its result is on its
   * way): a build dies with the process that started it, so after a restart the scheduler restarts it. Run
   * one worker with the local executor.
   */
  attach(build: Build): Promise<boolean> {
    return Promise.resolve(this.#started.has(build.id));
  }

  /**
   * Stops a build: kills its process group, removes its worktree and deletes its speculative ref (a
   * failure to delete is logged). Resolves when all of that is done; its outcome is never reported.
   * Finished or unknown ids only get a leftover worktree removed.
   */
  async cancel(buildId: string): Promise<void> {
    this.#started.delete(buildId);
    const run = this.#runs.get(buildId);
    if (run === undefined) {
      await this.#removeWorktree(buildId, this.#logger);
      return;
    }
    run.stopping ??= this.#stop(buildId, run);
    await run.stopping;
  }

  /**
   * Lands a passed build: fast-forwards the base branch to exactly the recorded speculative commit, then
   * deletes the speculative ref (a failure to delete is logged). Idempotent.
   *
   * @throws `BaseNotFastForwardError` when the base branch moved outside the queue
   * @throws {@link SpeculativeRefMissingError} when no speculative commit was recorded for the build
   */
  async merge(build: Build): Promise<void> {
    const ref = await this.#refs.get(build.id);
    if (ref === undefined) throw new SpeculativeRefMissingError(build.id);
    await this.#merger.fastForwardBase(this.#queue, ref.sha);
    await this.#deleteRef(build.id, this.#logger);
  }

  async #launch(build: Build, run: BuildRun, report: BuildReporter): Promise<void> {
    const plan = await this.#planner(build);
    let created: SpeculativeRefResult;
    try {
      created = await this.#merger.createSpeculativeRef(
        this.#queue,
        build.id,
        plan.baseSha,
        plan.heads,
      );
    } catch (error) {
      if (!(error instanceof HeadNotAppliedError)) throw error;
      run.finished = this.#deliver(build.id, run, report, 'failed', { reason: error.summary });
      return;
    }
    const { sha } = created;
    await this.#refs.set(build.id, created);
    const dir = join(this.#workDir, build.id);
    await this.#clone.exclusive(async (session) => {
      await session.ensureCommits([sha]);
      await session.addWorktree(dir, sha);
    });
    const logger = this.#logger.child({ build: build.id });
    let spawned: SpawnedCommand;
    try {
      spawned = await spawnInProcessGroup(this.#command, dir, {
        ...this.#env,
        QM_BUILD_ID: build.id,
        QM_BUILD_SHA: sha,
        QM_BUILD_PRS: build.contents.join(','),
      });
    } catch (error) {
      await this.#removeWorktree(build.id, logger);
      throw error;
    }
    run.child = spawned.child;
    logger.info('Build started', { sha, prs: build.contents, dir });
    run.finished = this.#supervise(build.id, run, spawned, report, logger);
  }

  async #supervise(
    buildId: string,
    run: BuildRun,
    { child, exited }: SpawnedCommand,
    report: BuildReporter,
    logger: Logger,
  ): Promise<void> {
    const output = Promise.all([
      forEachLine(child.stdout, (line) => logger.info(line, { stream: 'stdout' })),
      forEachLine(child.stderr, (line) => logger.info(line, { stream: 'stderr' })),
    ]);
    const [exitCode, signal] = await exited;
    clearTimeout(run.killTimer);
    // What the command left running in its group (a server, a watcher) ends with it.
    signalProcessGroup(child, 'SIGKILL');
    if (!(await settlesWithin(output, OUTPUT_WAIT_MS))) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    await this.#removeWorktree(buildId, logger);
    const outcome: BuildOutcome = exitCode === 0 ? 'passed' : 'failed';
    logger.info('Build finished', { outcome, exitCode, signal, cancelled: run.cancelled });
    if (run.cancelled) return;
    if (outcome === 'failed') await this.#deleteRef(buildId, logger);
    const reason = signal === null ? `exit code ${exitCode}` : `killed by ${signal}`;
    await this.#deliver(
      buildId,
      run,
      report,
      outcome,
      outcome === 'failed' ? { reason: `Build command ended with ${reason}` } : undefined,
    );
  }

  /** Reports an outcome on a later turn of the event loop (never within `start`), unless cancelled. */
  async #deliver(
    buildId: string,
    run: BuildRun,
    report: BuildReporter,
    outcome: BuildOutcome,
    details: BuildReport | undefined,
  ): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#runs.delete(buildId);
    if (run.cancelled) return;
    try {
      await report(outcome, details);
    } catch (error) {
      this.#logger.error('Reporting a build outcome failed', {
        build: buildId,
        outcome,
        error: String(error),
      });
    }
  }

  async #stop(buildId: string, run: BuildRun): Promise<void> {
    run.cancelled = true;
    await run.started;
    const child = run.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      signalProcessGroup(child, 'SIGTERM');
      run.killTimer = setTimeout(() => signalProcessGroup(child, 'SIGKILL'), this.#killGraceMs);
    }
    await run.finished;
    await this.#deleteRef(buildId, this.#logger);
  }

  async #removeWorktree(buildId: string, logger: Logger): Promise<void> {
    const dir = join(this.#workDir, buildId);
    try {
      await this.#clone.exclusive((session) => session.removeWorktree(dir));
    } catch (error) {
      logger.warn('Could not remove a build worktree', { dir, error: String(error) });
    }
  }

  async #deleteRef(buildId: string, logger: Logger): Promise<void> {
    try {
      await this.#merger.deleteSpeculativeRef(this.#queue, buildId);
    } catch (error) {
      logger.warn('Could not delete a speculative ref', {
        build: buildId,
        error: String(error),
      });
    }
  }
}

/** A command started by {@link spawnInProcessGroup}. */
interface SpawnedCommand {
  /** The command: the leader of its own process group. */
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves with its exit code and signal when it exits. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * Starts `command` in `cwd` as the leader of a new process group, no stdin, output piped, and waits until
 * it runs.
 *
 * @throws {@link BuildCommandStartError} when it cannot be started
 */
async function spawnInProcessGroup(
  command: readonly [string, ...string[]],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SpawnedCommand> {
  const [program, ...args] = command;
  const child = spawn(program, args, {
    cwd,
    // Needed where `ProcessEnv` declares a required `NODE_ENV` (Next's types, in the dashboard's tests).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, signal) => resolve([code, signal])),
  );
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new BuildCommandStartError({
      program,
      errno: (error as NodeJS.ErrnoException).code ?? 'unknown',
    });
  }
  return { child, exited };
}

/** Sends `signal` to the process group `child` leads; a group already gone is fine. */
function signalProcessGroup(
  child: ChildProcessByStdio<null, Readable, Readable>,
  signal: NodeJS.Signals,
): void {
  /* c8 ignore next -- a spawned child always has a pid; without one, -0 would signal our own group */
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone. EPERM: a member changed its user; nothing more can be done.
  }
}

/** Calls `onLine` for each line of `stream`; resolves when it ends. */
async function forEachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  await once(lines, 'close');
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
