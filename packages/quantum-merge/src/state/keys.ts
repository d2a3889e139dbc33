import type { QueueId } from '../scheduler/types.js';

/** The Redis keys of one queue. */
export interface QueueKeys {
  /** Hash: PR number → entry record (JSON). */
  readonly entries: string;
  /** Hash: build id → build record (JSON). */
  readonly builds: string;
  /** List: PR numbers in the order they were merged into the base branch (the base's history). */
  readonly merged: string;
  /** Hash: operation id → time it was applied (ms); makes operations idempotent. */
  readonly ops: string;
  /** Hash: build id → its speculative commit (JSON `BuildRef`). */
  readonly refs: string;
  /** Hash: speculative commit sha → build id. */
  readonly shas: string;
  /** Hash: PR number → the last report written on its check run. */
  readonly reports: string;
  /** String: the lock held while one job changes the queue. */
  readonly lock: string;
}

/**
 * The keys of a queue, all under the hash tag `{owner/repo:base}` so they map to one Redis Cluster slot and
 * one Lua script may touch them together.
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 */
export function queueKeys(queue: QueueId, prefix = 'qm'): QueueKeys {
  const tag = `${prefix}:{${queue.repo}:${queue.base}}`;
  return {
    entries: `${tag}:entries`,
    builds: `${tag}:builds`,
    merged: `${tag}:merged`,
    ops: `${tag}:ops`,
    refs: `${tag}:refs`,
    shas: `${tag}:shas`,
    reports: `${tag}:reports`,
    lock: `${tag}:lock`,
  };
}
