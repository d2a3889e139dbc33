import type { Strategy } from './types.js';

/** The limits a strategy puts on the scheduler's shared algorithm. */
export interface StrategyLimits {
  /** Builds running at once, at most. */
  readonly capacity: number;
  /** Entries tested together in one build, at most. */
  readonly maxBatchSize: number;
}

/**
 * The three strategies as limits of one algorithm (see `MergeQueueScheduler`): a queue of groups, each
 * group built on the base plus every non-failing group ahead of it.
 *
 * @remarks
 * - `serial`: one build at a time and one entry per build, so entry k is always built alone on the current
 *   base. Throughput is at most one merge per build time.
 * - `speculative`: up to `concurrency` builds, one entry each; entry k is built on base + entries 1..k
 *   (Zuul's dependent pipeline). Throughput approaches `concurrency` merges per build time while failures
 *   are rare.
 * - `batch`: up to `concurrency` builds of up to `batchSize` entries each, formed only under backlog
 *   (more waiting entries than free build slots); a failed batch is bisected (bors-ng). Fewer builds per
 *   merge when failures are rare.
 *
 * @param concurrency - builds at once for `speculative` and `batch`, at least 1
 * @param batchSize - entries per build for `batch`, at least 1
 * @see https://zuul-ci.org/docs/zuul/latest/gating.html
 * @see https://github.com/bors-ng/bors-ng
 */
export function strategyLimits(
  strategy: Strategy,
  concurrency: number,
  batchSize: number,
): StrategyLimits {
  switch (strategy) {
    case 'serial':
      return { capacity: 1, maxBatchSize: 1 };
    case 'speculative':
      return { capacity: concurrency, maxBatchSize: 1 };
    case 'batch':
      return { capacity: concurrency, maxBatchSize: batchSize };
  }
}
