import type { Build, BuildOutcome } from './types.js';

/** Details an executor may give with a build's outcome; stored on the build record. */
export interface BuildReport {
  /** Link to the build, e.g. the failing CI run. */
  readonly url?: string;
  /** One line on why it failed, e.g. `#12 conflicts with the base`. */
  readonly reason?: string;
}

/** The callback through which an executor reports a build's outcome to the scheduler. */
export type BuildReporter = (outcome: BuildOutcome, details?: BuildReport) => Promise<void>;

/**
 * Runs speculative builds for the scheduler: the GitHub-CI executor, a local executor, or the
 * `SimulatedExecutor` of `simulate`.
 */
export interface Executor {
  /**
   * Starts testing the tree of `build.contents` (the base plus those PRs, merged in order).
   *
   * @param report - to be called once with the outcome when the build ends; never called after
   *   {@link Executor.cancel}, and never from within `start` itself
   */
  start(build: Build, report: BuildReporter): Promise<void>;
  /** Stops a running build; its outcome is no longer reported. Unknown or finished ids are ignored. */
  cancel(buildId: string): Promise<void>;
  /**
   * Reconnects to a build that an earlier process started with {@link Executor.start} and that is still
   * running as far as the queue's store knows, so its outcome reaches this process (see
   * `MergeQueueScheduler.resume`).
   *
   * @remarks
   * Optional. An executor without it cannot deliver the results of builds started by another process, so
   * on resume the scheduler cancels those builds (through {@link Executor.cancel}) and queues their entries
   * again: the builds restart, in queue order. An executor whose build was lost may report `failed`;
   * otherwise the scheduler's build timeout, counted from `build.startedAt`, ends it.
   *
   * @param build - the build as stored: same id, contents, targets and start time
   * @param report - as for {@link Executor.start}: called once with the outcome, never after
   *   {@link Executor.cancel}, never from within `attach` itself; a result the executor had already
   *   delivered to the earlier process may be delivered again, which changes nothing
   * @returns `false` when the build is lost (e.g. the process that started it died before its start
   *   completed): the scheduler then cancels it and restarts it, with every build behind it
   */
  attach?(build: Build, report: BuildReporter): Promise<boolean>;
  /**
   * Lands a passed build: moves the base branch to exactly the tree the build tested. Called by the
   * scheduler when the build's group is at the head of the queue, before the merge is recorded; the
   * scheduler records the merge only after it returns.
   *
   * @remarks
   * Optional: without it (the simulated executor) a merge is only recorded. Must be idempotent: after a crash
   * between this call and the record, it is called again for the same build.
   *
   * @throws `BaseNotFastForwardError` when the base branch moved outside the queue, or
   *   `SpeculativeRefMissingError` when the build's commit is unknown; the scheduler then rebuilds every group
   *   on the current base
   */
  merge?(build: Build): Promise<void>;
}
