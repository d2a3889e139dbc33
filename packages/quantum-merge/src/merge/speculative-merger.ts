/**
 * The interface through which the merge queue creates speculative commits and moves the base branch, with
 * two implementations: the GitHub REST API (`GitHubSpeculativeMerger`) and a local git clone that pushes
 * (`LocalGitSpeculativeMerger`).
 *
 * @module
 */
import type { QueueId } from '../scheduler/types.js';

/** How a PR's changes land on the base branch, as in GitHub's merge button. */
export const MERGE_METHODS = ['merge', 'squash', 'rebase', 'fast-forward'] as const;

/**
 * One of {@link MERGE_METHODS}: `merge` (a merge commit per PR), `squash` (one single-parent commit with the
 * PR's changes), `rebase` (the PR's commits replayed onto the tip), `fast-forward` (the PR head itself; only
 * possible when it already descends from the tip).
 */
export type MergeMethod = (typeof MERGE_METHODS)[number];

/** One PR to apply onto a speculative ref. */
export interface SpeculativeHead {
  /** PR number. */
  readonly pr: number;
  /** The exact PR head commit that was queued (not the branch, which may move); 40 hex digits. */
  readonly headSha: string;
  /** PR title, used in squash commit messages (`<title> (#<pr>)`). @defaultValue `PR #<pr>` */
  readonly title?: string;
}

/** What {@link SpeculativeMerger.createSpeculativeRef} produced. */
export interface SpeculativeRefResult {
  /** Branch name, without `refs/heads/`: `velocity-mq/<base>/<buildId>`. */
  readonly ref: string;
  /** The commit CI must test: the base plus every head, applied in order; 40 hex digits. */
  readonly sha: string;
}

/** Prefix of every speculative branch; a branch protection rule may exempt `velocity-mq/**`. */
export const SPECULATIVE_REF_PREFIX = 'velocity-mq';

/** The branch name of a build's speculative ref: `velocity-mq/<base>/<buildId>`. */
export function speculativeRefName(queue: QueueId, buildId: string): string {
  return `${SPECULATIVE_REF_PREFIX}/${queue.base}/${buildId}`;
}

/**
 * Creates speculative commits on temporary branches and fast-forwards the base branch to tested commits,
 * for one repository.
 */
export interface SpeculativeMerger {
  /** The merge method this merger applies heads with. */
  readonly mergeMethod: MergeMethod;
  /**
   * The current tip of the base branch.
   *
   * @throws `GitHubApiError` (or `GitCommandError` for a local clone) when it cannot be read
   */
  baseSha(queue: QueueId): Promise<string>;
  /**
   * Creates (or resets) `refs/heads/velocity-mq/<base>/<buildId>` at `baseSha` with each head applied in
   * order by {@link SpeculativeMerger.mergeMethod}. Idempotent: calling it again for the same build gives a
   * commit with the same tree.
   *
   * @throws `SpeculativeMergeConflictError` naming the first head that does not apply (nothing left behind)
   */
  createSpeculativeRef(
    queue: QueueId,
    buildId: string,
    baseSha: string,
    heads: readonly SpeculativeHead[],
  ): Promise<SpeculativeRefResult>;
  /**
   * Moves the base branch to exactly `testedSha` if that is a fast-forward; never creates a commit. Moving
   * it to where it already is succeeds.
   *
   * @throws `BaseNotFastForwardError` when `testedSha` does not descend from the base tip (nothing changed)
   */
  fastForwardBase(queue: QueueId, testedSha: string): Promise<void>;
  /**
   * Deletes a build's speculative ref.
   *
   * @returns `false` when it did not exist, so calling twice is safe
   */
  deleteSpeculativeRef(queue: QueueId, buildId: string): Promise<boolean>;
}
