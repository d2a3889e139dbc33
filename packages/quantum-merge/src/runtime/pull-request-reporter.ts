import type { Logger } from '@velocity/core';
import type { ReportState } from '../github/speculative-merger.js';
import type { QueueId } from '../scheduler/types.js';
import type { QueueSnapshot, StoredBuild, StoredEntry } from '../state/redis-store.js';
import type { BuildRefStore } from '../state/build-refs.js';
import { queueKeys } from '../state/keys.js';
import { latestBuildOf, queueOrder } from './queue-view.js';
import type { RedisClient } from './redis-connection.js';

/** Where reports go: GitHub through `GitHubSpeculativeMerger`, which implements this. */
export interface PullRequestChannel {
  /** Writes a check run (or commit status) on a PR head. */
  reportStatus(
    sha: string,
    state: ReportState,
    description: string,
    targetUrl?: string,
  ): Promise<unknown>;
  /** Comments on a PR. */
  comment(pr: number, body: string): Promise<unknown>;
  /** Closes a PR whose changes landed as `mergedSha` without its head (squash, rebase), with a comment. */
  closeAsMerged(pr: number, mergedSha: string): Promise<void>;
  /** Removes a label from a PR; a label it does not have is not an error. */
  removeLabel(pr: number, name: string): Promise<unknown>;
}

/** Options of {@link PullRequestReporter}. */
export interface PullRequestReporterOptions {
  /**
   * Whether merged PRs must be closed by the App: `squash` and `rebase` land new commits, so GitHub does not
   * see the PR's head on the base and would leave it open.
   */
  readonly closeMerged: boolean;
  /**
   * The label that enqueues PRs: removed when a PR leaves the queue (merged, failed, dequeued), so adding it
   * again enqueues the PR again.
   */
  readonly label: string;
  /** Where the merged build's commit is read from, for the closing comment. */
  readonly refs: BuildRefStore;
  /** Key prefix. @defaultValue `qm` */
  readonly prefix?: string;
}

const FINAL_STATES: ReadonlySet<string> = new Set(['merged', 'failed', 'dequeued']);

/** One report: what a PR's check run says. */
interface Report {
  readonly state: ReportState;
  readonly description: string;
  readonly url: string | undefined;
  /** A comment posted once, when the report is first written. */
  readonly comment: string | undefined;
}

/**
 * Keeps each queued PR's check run in step with the queue: its position, the speculative build running for
 * it and what that build contains, and the outcome (merged, failed with a link to the failing build, or
 * removed). Called after every job that changed a queue.
 *
 * @remarks
 * The last report written per PR is kept in the queue's `reports` hash (PR → head sha, state and text), so
 * only changes are written, whichever process writes them, and a final outcome is reported (and commented)
 * once. A PR that leaves the queue loses the queue label, so adding it again enqueues it again. With
 * `closeMerged` (squash, rebase) a merged PR is also closed with a comment naming its commit. Cost:
 * one HGETALL plus one API call per changed PR.
 */
export class PullRequestReporter {
  readonly #redis: RedisClient;
  readonly #queue: QueueId;
  readonly #channel: PullRequestChannel;
  readonly #logger: Logger;
  readonly #key: string;
  readonly #options: PullRequestReporterOptions;

  constructor(
    redis: RedisClient,
    queue: QueueId,
    channel: PullRequestChannel,
    logger: Logger,
    options: PullRequestReporterOptions,
  ) {
    this.#redis = redis;
    this.#queue = queue;
    this.#channel = channel;
    this.#logger = logger;
    this.#options = options;
    this.#key = queueKeys(queue, options.prefix).reports;
  }

  /**
   * Writes every report that differs from the last one written.
   *
   * @throws `GitHubApiError` when GitHub refuses a report; the reports written before it are kept
   */
  async sync(snapshot: QueueSnapshot): Promise<void> {
    const written = await this.#redis.hgetall(this.#key);
    const positions = new Map(queueOrder(snapshot).map((item) => [item.entry.pr, item]));
    for (const entry of snapshot.entries) {
      const placed = positions.get(entry.pr);
      const placedBuild = placed?.build ?? latestBuildOf(snapshot, entry.pr);
      const report = this.#reportFor(entry, placed?.position, placedBuild, snapshot);
      const key = `${entry.headSha}|${report.state}|${report.description}`;
      if (written[String(entry.pr)] === key) continue;
      await this.#channel.reportStatus(entry.headSha, report.state, report.description, report.url);
      if (report.comment !== undefined) await this.#channel.comment(entry.pr, report.comment);
      if (entry.state === 'merged' && this.#options.closeMerged)
        await this.#close(entry.pr, placedBuild);
      if (FINAL_STATES.has(entry.state))
        await this.#channel.removeLabel(entry.pr, this.#options.label);
      await this.#redis.hset(this.#key, String(entry.pr), key);
      this.#logger.debug('Reported', { pr: entry.pr, state: report.state });
    }
  }

  async #close(pr: number, build: StoredBuild | undefined): Promise<void> {
    const ref = build === undefined ? undefined : await this.#options.refs.get(build.id);
    if (ref === undefined) {
      this.#logger.warn('Merged PR not closed: its build commit is unknown', { pr });
      return;
    }
    await this.#channel.closeAsMerged(pr, ref.sha);
  }

  #reportFor(
    entry: StoredEntry,
    position: number | undefined,
    build: StoredBuild | undefined,
    snapshot: QueueSnapshot,
  ): Report {
    const base = this.#queue.base;
    const place = `Position ${position ?? '?'} in the ${base} merge queue`;
    const url = build?.url;
    switch (entry.state) {
      case 'queued':
        return {
          state: 'queued',
          description: `${place}, waiting for a build`,
          url,
          comment: undefined,
        };
      case 'building': {
        if (build?.state === 'failed') {
          return {
            state: 'in_progress',
            description: `${place}: build ${build.id} failed; waiting for the PRs ahead to show whether this PR broke it`,
            url,
            comment: undefined,
          };
        }
        const merged = new Set(snapshot.merged);
        const tested = (build?.contents ?? []).filter((pr) => !merged.has(pr));
        return {
          state: 'in_progress',
          description: `${place}: build ${build?.id ?? '?'} is testing ${base} + ${tested.map((pr) => `#${pr}`).join(' + ')}`,
          url,
          comment: undefined,
        };
      }
      case 'passed':
        return {
          state: 'in_progress',
          description: `${place}: build ${build?.id ?? '?'} passed; merges once the PRs ahead merge`,
          url,
          comment: undefined,
        };
      case 'merged':
        return {
          state: 'success',
          description: `Merged into ${base}, tested by build ${build?.id ?? '?'}`,
          url,
          comment: undefined,
        };
      case 'failed': {
        const why = build?.reason ?? (build?.outcome === 'timeout' ? 'timed out' : 'CI failed');
        return {
          state: 'failure',
          description: `Build ${build?.id ?? '?'} failed: ${why}`,
          url,
          comment: `Removed from the ${base} merge queue: build ${build?.id ?? '?'} failed (${why})${url === undefined ? '' : `: ${url}`}. Fix it and enqueue again.`,
        };
      }
      case 'dequeued':
        return {
          state: 'cancelled',
          description: `Removed from the ${base} merge queue`,
          url: undefined,
          comment: undefined,
        };
    }
  }
}
