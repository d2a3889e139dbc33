/**
 * Error classes of Quantum Merge's local git layer (besides `GitCommandError`, next to its runner).
 * Remotes are named with their passwords scrubbed.
 *
 * @module
 */
import { VelocityError, type VelocityErrorOptions } from '@velocity/core';

/** A commit the merge queue needs (a base tip, a PR head, a tested commit) is not on the remote. */
export class CommitNotFoundError extends VelocityError {
  /** The missing commit; 40 hex digits. */
  readonly sha: string;

  constructor(details: { sha: string; remote: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_GIT_COMMIT_NOT_FOUND',
      `Commit "${details.sha}" was found neither by its sha nor under refs/heads/* or refs/pull/*/head on "${details.remote}". Check that the pull request's head was pushed and not force-pushed away, then enqueue it again.`,
      options,
    );
    this.sha = details.sha;
  }
}

/** A branch the merge queue reads (the base branch) does not exist on the remote. */
export class BranchNotFoundError extends VelocityError {
  /** The branch name, without `refs/heads/`. */
  readonly branch: string;

  constructor(details: { branch: string; remote: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_GIT_BRANCH_NOT_FOUND',
      `Branch "${details.branch}" does not exist on "${details.remote}". Check the queue's base branch name and the remote URL.`,
      options,
    );
    this.branch = details.branch;
  }
}
