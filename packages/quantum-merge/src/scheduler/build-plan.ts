import type { SpeculativeHead } from '../merge/speculative-merger.js';
import type { Build } from './types.js';

/** What a build must test: the base tip it starts from and the PR heads to apply onto it, in order. */
export interface BuildPlan {
  /** The base branch tip the speculative commit starts from; 40 hex digits. */
  readonly baseSha: string;
  /** The not-yet-merged PRs of `build.contents`, in merge order, with their queued heads. */
  readonly heads: readonly SpeculativeHead[];
}

/**
 * Resolves a build into a {@link BuildPlan}: reads the base tip and the queued head of each PR in
 * `build.contents` that is not merged yet. Passed to executors that create real commits.
 */
export type BuildPlanner = (build: Build) => Promise<BuildPlan>;
