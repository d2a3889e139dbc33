/**
 * The data model of a merge queue: entries, builds and the strategy settings.
 *
 * @module
 */

/** States of a {@link QueueEntry}, as stored. */
export const ENTRY_STATES = [
  'queued',
  'building',
  'passed',
  'merged',
  'failed',
  'dequeued',
] as const;

/**
 * State of a queue entry.
 *
 * @remarks
 * `queued`: waiting, no valid build. `building`: its speculative build is running, or failed while entries
 * ahead of it are still unmerged (the failure is not yet conclusive). `passed`: its build passed and waits
 * for the entries ahead to merge. `merged`, `failed` and `dequeued` are final.
 */
export type EntryState = (typeof ENTRY_STATES)[number];

/** Priorities, most urgent first. */
export const PRIORITIES = ['high', 'normal'] as const;

/** Priority of a queue entry: `high` entries are taken before `normal` ones, FIFO within a priority. */
export type Priority = (typeof PRIORITIES)[number];

/** One pull request in the merge queue of a repository's base branch. */
export interface QueueEntry {
  /** Pull request number. */
  readonly pr: number;
  /** The PR head commit that was enqueued (40 hex digits). */
  readonly headSha: string;
  readonly priority: Priority;
  /** When it was enqueued, ms since the epoch of the scheduler's clock. */
  readonly enqueuedAt: number;
  state: EntryState;
  /** PR title, when the enqueuer gave one. */
  readonly title?: string;
}

/** States of a {@link Build}. */
export type BuildState = 'running' | 'passed' | 'failed' | 'cancelled';

/** How a finished build ended, as the executor reports it. `timeout` counts as a failure. */
export type BuildOutcome = 'passed' | 'failed' | 'timeout';

/** One speculative build: the tree of the base branch plus some entries, tested together. */
export interface Build {
  /** Unique within the queue: `b<sequence>`. */
  readonly id: string;
  /**
   * The PRs whose changes make up the tested tree, in merge order: the base's merged PRs at start time, the
   * entries ahead that were assumed to pass, then {@link Build.targets}.
   */
  readonly contents: readonly number[];
  /** The entries this build decides (one entry, or a batch), in queue order; the tail of `contents`. */
  readonly targets: readonly number[];
  /** When it started, ms. */
  readonly startedAt: number;
  state: BuildState;
}

/** The merge-queue strategies. */
export const STRATEGIES = ['serial', 'speculative', 'batch'] as const;

/** A merge-queue strategy; see {@link SchedulerOptions}. */
export type Strategy = (typeof STRATEGIES)[number];

/** Identifies one queue: a repository and its base branch. */
export interface QueueId {
  /** `owner/name`. */
  readonly repo: string;
  /** Base branch name, e.g. `main`. */
  readonly base: string;
}
