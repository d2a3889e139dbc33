import type { QueueSnapshot, StoredBuild, StoredEntry } from '../state/redis-store.js';

/** An active entry with its place in the queue, as reports and the JSON API show it. */
export interface PositionedEntry {
  readonly entry: StoredEntry;
  /** 1 for the head of the queue. */
  readonly position: number;
  /** The live build deciding it, if any. */
  readonly build: StoredBuild | undefined;
}

const ACTIVE = new Set(['queued', 'building', 'passed']);
const PRIORITY_RANK: Readonly<Record<string, number>> = { high: 0, normal: 1 };

/**
 * The active entries of a stored queue in queue order: first the targets of live builds (running, or
 * finished but not yet decided) in build start order, then the waiting entries by priority, enqueue time and
 * PR number — the order the scheduler keeps in memory.
 *
 * @remarks O(E log E + B·T) for E entries and B builds of up to T targets.
 */
export function queueOrder(snapshot: QueueSnapshot): PositionedEntry[] {
  const entries = new Map(snapshot.entries.map((entry) => [entry.pr, entry]));
  const latest = new Map<number, StoredBuild>();
  for (const build of snapshot.builds) for (const pr of build.targets) latest.set(pr, build);
  const ordered: PositionedEntry[] = [];
  const placed = new Set<number>();
  for (const build of snapshot.builds) {
    if (build.decided !== undefined || build.state === 'cancelled') continue;
    for (const pr of build.targets) {
      const entry = entries.get(pr);
      if (entry === undefined || !ACTIVE.has(entry.state) || entry.state === 'queued') continue;
      if (latest.get(pr) !== build || placed.has(pr)) continue;
      placed.add(pr);
      ordered.push({ entry, position: ordered.length + 1, build });
    }
  }
  const waiting = snapshot.entries
    .filter((entry) => ACTIVE.has(entry.state) && !placed.has(entry.pr))
    .sort(
      (a, b) =>
        (PRIORITY_RANK[a.priority] ?? 1) - (PRIORITY_RANK[b.priority] ?? 1) ||
        a.enqueuedAt - b.enqueuedAt ||
        a.pr - b.pr,
    );
  for (const entry of waiting) {
    ordered.push({ entry, position: ordered.length + 1, build: undefined });
  }
  return ordered;
}

/** The latest build whose targets include `pr`, or `undefined`. */
export function latestBuildOf(snapshot: QueueSnapshot, pr: number): StoredBuild | undefined {
  let found: StoredBuild | undefined;
  for (const build of snapshot.builds) if (build.targets.includes(pr)) found = build;
  return found;
}
