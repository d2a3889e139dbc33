import type { Logger } from '@velocity/core';
import { HeadNotAppliedError } from '../github/errors.js';
import type { SpeculativeMerger } from '../merge/speculative-merger.js';
import type { BuildPlanner } from '../scheduler/build-plan.js';
import type { BuildReporter, Executor } from '../scheduler/executor.js';
import type { Build, QueueId } from '../scheduler/types.js';
import type { CiResult } from '../runtime/event-router.js';
import type { BuildRefStore } from '../state/build-refs.js';
import { SpeculativeRefMissingError } from '../errors.js';

/** What a {@link GitHubCiExecutor} works with. */
export interface GitHubCiExecutorOptions {
  readonly queue: QueueId;
  /** Creates the speculative commits (GitHub API or a local clone) and moves the base branch. */
  readonly merger: SpeculativeMerger;
  /** Resolves a build into its base tip and PR heads. */
  readonly planner: BuildPlanner;
  /** Where each build's speculative commit is recorded, so CI results can be matched to builds. */
  readonly refs: BuildRefStore;
  /** Reads the required checks of a commit (`readCiResult`). */
  readonly ciResult: (sha: string) => Promise<CiResult>;
  readonly logger: Logger;
}

/**
 * The executor of a GitHub App: a build is a speculative branch `velocity-mq/<base>/<id>` that the
 * repository's own CI tests. Its result comes back through `check_run`, `check_suite` or `status` webhooks,
 * which the worker matches to the build through the {@link BuildRefStore} and hands to the scheduler; this
 * executor only reports merge conflicts itself.
 *
 * @remarks
 * Holds no state: any process (a restarted worker, another machine's worker) can carry on with a build that
 * another one started.
 */
export class GitHubCiExecutor implements Executor {
  readonly #options: GitHubCiExecutorOptions;

  constructor(options: GitHubCiExecutorOptions) {
    this.#options = options;
  }

  /**
   * Creates the build's speculative commit, records it, and reads its required checks once (CI may have
   * reported before the record existed). A PR that does not apply (a merge conflict, or not a fast-forward
   * with `mergeMethod: fast-forward`) fails the build; either result is reported right after `start`
   * returns.
   *
   * @throws `GitHubApiError` (or `GitCommandError`) when GitHub cannot be reached; the job is retried
   */
  async start(build: Build, report: BuildReporter): Promise<void> {
    const { queue, merger, planner, refs, logger } = this.#options;
    const plan = await planner(build);
    try {
      const result = await merger.createSpeculativeRef(queue, build.id, plan.baseSha, plan.heads);
      await refs.set(build.id, result);
      // CI may have reported before the commit was recorded, when its webhook could not be matched to
      // this build: read the checks once now. Any later result arrives by webhook and finds the record.
      const early = await this.#options.ciResult(result.sha);
      if (early.outcome !== 'pending') {
        const { outcome, ...details } = early;
        queueMicrotask(() => void report(outcome, details));
      }
      logger.info('Speculative build started', {
        build: build.id,
        ref: result.ref,
        sha: result.sha,
      });
    } catch (error) {
      if (!(error instanceof HeadNotAppliedError)) throw error;
      const reason = error.summary;
      queueMicrotask(() => void report('failed', { reason }));
    }
  }

  /**
   * A build started by another process is alive when its speculative commit was recorded; otherwise that
   * process died while creating it, and the build must restart. Its result arrives by webhook.
   */
  async attach(build: Build): Promise<boolean> {
    return (await this.#options.refs.get(build.id)) !== undefined;
  }

  /** Deletes the build's speculative branch (so its CI run can be skipped or cancelled). */
  async cancel(buildId: string): Promise<void> {
    await this.#options.merger.deleteSpeculativeRef(this.#options.queue, buildId);
  }

  /**
   * Fast-forwards the base branch to exactly the build's speculative commit, then deletes its branch.
   *
   * @throws `BaseNotFastForwardError` when the base moved outside the queue
   * @throws {@link SpeculativeRefMissingError} when no commit was recorded for the build
   */
  async merge(build: Build): Promise<void> {
    const { queue, merger, refs } = this.#options;
    const ref = await refs.get(build.id);
    if (ref === undefined) throw new SpeculativeRefMissingError(build.id);
    await merger.fastForwardBase(queue, ref.sha);
    await merger.deleteSpeculativeRef(queue, build.id);
  }
}
