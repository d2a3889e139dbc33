import type { Build, BuildOutcome } from './types.js';

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
  start(build: Build, report: (outcome: BuildOutcome) => Promise<void>): Promise<void>;
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
   */
  attach?(build: Build, report: (outcome: BuildOutcome) => Promise<void>): Promise<void>;
}
