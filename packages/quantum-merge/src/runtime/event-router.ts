import type { Logger } from '@velocity/core';
import { AlreadyQueuedError } from '../errors.js';
import type { PullRequestInfo } from '../github/speculative-merger.js';
import type { QuantumMergeEvent } from '../github/webhooks.js';
import type { BuildReport } from '../scheduler/executor.js';
import type { BuildOutcome, Priority, QueueId } from '../scheduler/types.js';
import type { BuildRefStore } from '../state/build-refs.js';
import type { QueueRegistry } from './queue-registry.js';
import type { QueueRunner } from './queue-runner.js';

/** The result of a speculative build's required checks, as read from GitHub. */
export type CiResult =
  | { readonly outcome: 'pending' }
  | ({ readonly outcome: Exclude<BuildOutcome, 'timeout'> } & BuildReport);

/** Whether a PR may enter the queue. */
export type Admission =
  { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

/** What the router needs from GitHub for one repository. */
export interface RepositoryGitHub {
  getPullRequest(pr: number): Promise<PullRequestInfo>;
  comment(pr: number, body: string): Promise<unknown>;
  /** Whether `login` may use `/merge` commands (write access to the repository). */
  canCommand(login: string): Promise<boolean>;
  /** Checks the required approvals and PR checks on the PR's current head. */
  admission(pull: PullRequestInfo): Promise<Admission>;
  /** Reads the required checks of a speculative commit. */
  ciResult(sha: string): Promise<CiResult>;
}

/** What an {@link EventRouter} works with. */
export interface EventRouterOptions {
  readonly runner: QueueRunner;
  readonly registry: QueueRegistry;
  /** The label that enqueues a PR, e.g. `merge-queue`. */
  readonly label: string;
  readonly github: (repo: string) => Promise<RepositoryGitHub>;
  readonly refs: (queue: QueueId) => BuildRefStore;
  readonly logger: Logger;
}

/**
 * Turns webhook events into merge-queue changes: the label or `/merge` (from someone with write access)
 * enqueues (once the PR's required
 * approvals and checks hold; otherwise it says why, on the PR), removing the label, `/merge cancel`, a push
 * or closing dequeues, `/merge priority` reorders, and CI results on speculative commits finish builds.
 *
 * @remarks
 * Every change runs through the {@link QueueRunner} and is idempotent, so a redelivered event changes
 * nothing.
 */
export class EventRouter {
  readonly #options: EventRouterOptions;

  constructor(options: EventRouterOptions) {
    this.#options = options;
  }

  /**
   * Handles one event.
   *
   * @throws `GitHubApiError` when GitHub cannot be read, `QueueLockTimeoutError`, or a store error; the job
   *   is retried
   */
  async handle(event: QuantumMergeEvent): Promise<void> {
    switch (event.kind) {
      case 'pull_request':
        if (event.action === 'labeled' && event.label === this.#options.label) {
          return this.#enqueue(event.repo, event.pr, 'normal');
        }
        if (event.action === 'unlabeled' && event.label === this.#options.label) {
          return this.#dequeue(
            event.repo,
            event.pr,
            event.base,
            'the merge-queue label was removed',
          );
        }
        if (event.action === 'synchronize') {
          return this.#dequeue(
            event.repo,
            event.pr,
            event.base,
            'new commits were pushed; enqueue it again to test them',
            event.headSha,
          );
        }
        if (event.action === 'closed') {
          return this.#dequeue(event.repo, event.pr, event.base, 'the pull request was closed');
        }
        return;
      case 'merge_command': {
        const { command } = event;
        const github = await this.#options.github(event.repo);
        if (!(await github.canCommand(event.author))) {
          await github.comment(
            event.pr,
            `@${event.author}: \`/merge\` commands need write access to this repository.`,
          );
          return;
        }
        if (command.action === 'merge') return this.#enqueue(event.repo, event.pr, 'normal');
        if (command.action === 'priority')
          return this.#prioritize(event.repo, event.pr, command.priority);
        const pull = await github.getPullRequest(event.pr);
        return this.#dequeue(event.repo, event.pr, pull.base, `@${event.author} cancelled it`);
      }
      case 'check':
        if (event.conclusion === null) return;
        return this.#ciResult(event.repo, event.sha);
      case 'status':
        if (event.state === 'pending') return;
        return this.#ciResult(event.repo, event.sha);
    }
  }

  async #enqueue(repo: string, pr: number, priority: Priority): Promise<void> {
    const github = await this.#options.github(repo);
    const pull = await github.getPullRequest(pr);
    if (pull.state !== 'open') return;
    const admission = await github.admission(pull);
    if (!admission.ok) {
      await github.comment(
        pr,
        `Cannot enter the ${pull.base} merge queue yet:\n${admission.reasons.map((reason) => `- ${reason}`).join('\n')}\n\nEnqueue it again once this is fixed.`,
      );
      this.#options.logger.info('Pull request refused by the queue', {
        repo,
        pr,
        reasons: admission.reasons,
      });
      return;
    }
    await this.#options.runner.run({ repo, base: pull.base }, async (scheduler) => {
      const entry = scheduler.entry(pr);
      if (entry !== undefined && entry.headSha !== pull.headSha) await scheduler.dequeue(pr);
      try {
        await scheduler.enqueue({ pr, headSha: pull.headSha, priority, title: pull.title });
      } catch (error) {
        // c8 ignore next -- the dequeue above makes the head match
        if (!(error instanceof AlreadyQueuedError)) throw error;
      }
    });
  }

  async #dequeue(
    repo: string,
    pr: number,
    base: string,
    why: string,
    newHead?: string,
  ): Promise<void> {
    const removed = await this.#options.runner.run({ repo, base }, async (scheduler) => {
      const entry = scheduler.entry(pr);
      if (entry === undefined || (newHead !== undefined && entry.headSha === newHead)) return false;
      return scheduler.dequeue(pr);
    });
    if (removed) {
      const github = await this.#options.github(repo);
      await github.comment(pr, `Removed from the ${base} merge queue: ${why}.`);
    }
  }

  async #prioritize(repo: string, pr: number, priority: Priority): Promise<void> {
    const github = await this.#options.github(repo);
    const pull = await github.getPullRequest(pr);
    const changed = await this.#options.runner.run({ repo, base: pull.base }, (scheduler) =>
      scheduler.setPriority(pr, priority),
    );
    if (!changed) await this.#enqueue(repo, pr, priority);
  }

  async #ciResult(repo: string, sha: string): Promise<void> {
    for (const queue of await this.#options.registry.list(repo)) {
      const buildId = await this.#options.refs(queue).buildForSha(sha);
      if (buildId === undefined) continue;
      const github = await this.#options.github(repo);
      const result = await github.ciResult(sha);
      if (result.outcome === 'pending') return;
      const { outcome, ...details } = result;
      await this.#options.runner.run(queue, (_scheduler, executor) =>
        executor.deliver(buildId, outcome, details),
      );
      return;
    }
  }
}
