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
}
