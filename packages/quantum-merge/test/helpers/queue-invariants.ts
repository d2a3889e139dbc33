/**
 * Assertions on a stored queue that every scheduler test shares.
 *
 * @module
 */
import type { Test } from 'tap';
import type { QueueSnapshot } from '../../src/state/redis-store.js';

/**
 * The queue's promise: every merge is backed by a passed build whose tree is exactly the base's history up
 * to and including the merged entries, and the last merge covers the whole history.
 */
export function assertOnlyTestedMerges(t: Test, snapshot: QueueSnapshot): void {
  const merging = snapshot.builds.filter((build) => build.decided === 'merge');
  let covered = 0;
  for (const build of merging) {
    t.equal(build.state, 'passed', `${build.id} passed`);
    const end = snapshot.merged.indexOf(build.targets.at(-1) ?? -1) + 1;
    t.strictSame(
      build.contents,
      snapshot.merged.slice(0, end),
      `${build.id} tested the merged prefix`,
    );
    // A build that merged past a flaky failure ahead of it covers that failure's PRs too.
    covered = Math.max(covered, end);
  }
  t.equal(covered, snapshot.merged.length, 'every merged PR came from a passed build');
}

/** PR number → entry state. */
export function entryStates(snapshot: QueueSnapshot): Record<number, string> {
  return Object.fromEntries(snapshot.entries.map((entry) => [entry.pr, entry.state]));
}
