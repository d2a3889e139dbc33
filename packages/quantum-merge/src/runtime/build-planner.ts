import { InternalError } from '@velocity/core';
import type { SpeculativeMerger } from '../merge/speculative-merger.js';
import type { BuildPlanner } from '../scheduler/build-plan.js';
import type { QueueId } from '../scheduler/types.js';
import type { RedisQueueStore } from '../state/redis-store.js';

/**
 * The {@link BuildPlanner} of a live queue: the base tip as the merger reads it now, and the queued heads of
 * the build's PRs that are not merged yet (the merged ones are in the base tip already).
 *
 * @remarks Reads the whole queue from the store once per build: O(E) for E stored entries.
 * @throws `InternalError` when a PR of the build has no stored entry
 */
export function createBuildPlanner(
  queue: QueueId,
  store: RedisQueueStore,
  merger: SpeculativeMerger,
): BuildPlanner {
  return async (build) => {
    const [baseSha, snapshot] = await Promise.all([merger.baseSha(queue), store.load()]);
    const entries = new Map(snapshot.entries.map((entry) => [entry.pr, entry]));
    const merged = new Set(snapshot.merged);
    const heads = build.contents
      .filter((pr) => !merged.has(pr))
      .map((pr) => {
        const entry = entries.get(pr);
        if (entry === undefined) {
          throw new InternalError(`Build "${build.id}" names PR #${pr}, which has no queue entry.`);
        }
        return {
          pr,
          headSha: entry.headSha,
          ...(entry.title === undefined ? {} : { title: entry.title }),
        };
      });
    return { baseSha, heads };
  };
}
