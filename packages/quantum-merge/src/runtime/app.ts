import type { DeepReadonly, Logger, VelocityConfig } from '@velocity/core';
import { join, resolve } from 'node:path';
import { UsageError } from '@velocity/core';
import { LocalExecutor } from '../executors/local-executor.js';
import { LocalClone } from '../git/local-clone.js';
import { LocalGitSpeculativeMerger } from '../git/local-speculative-merger.js';
import type { SpeculativeMerger } from '../merge/speculative-merger.js';
import { GitHubClientFactory } from '../github/auth.js';
import { readCiResult } from '../github/ci-result.js';
import { checkPullRequestRequirements } from '../github/requirements.js';
import { GitHubSpeculativeMerger } from '../github/speculative-merger.js';
import { parseWebhookEvent } from '../github/webhooks.js';
import { GitHubCiExecutor } from '../executors/github-ci-executor.js';
import type { Executor } from '../scheduler/executor.js';
import type { QueueId } from '../scheduler/types.js';
import { BuildRefStore } from '../state/build-refs.js';
import { RedisQueueStore } from '../state/redis-store.js';
import { createBuildPlanner } from './build-planner.js';
import { EventRouter, type RepositoryGitHub } from './event-router.js';
import { JobQueues, type OrchestrationJobData, type WebhookJobData } from './job-queues.js';
import { PullRequestReporter } from './pull-request-reporter.js';
import { QueueLock } from './queue-lock.js';
import { QueueRegistry } from './queue-registry.js';
import { QueueRunner, type QueueBackend } from './queue-runner.js';
import type { RedisClient } from './redis-connection.js';
import type { JobHandlers } from './workers.js';

/** The `quantumMerge` section of the configuration. */
export type QuantumMergeConfig = DeepReadonly<VelocityConfig['quantumMerge']>;

/** What a {@link QuantumMergeApp} works with. */
export interface QuantumMergeAppOptions {
  readonly config: QuantumMergeConfig;
  /** A connection created with `maxRetriesPerRequest: null` (shared with BullMQ). */
  readonly redis: RedisClient;
  readonly logger: Logger;
  /** Where `quantumMerge.workDir` is resolved from. */
  readonly cwd: string;
  /** Environment of the local executor's build commands. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Key prefix of the merge queues. @defaultValue `qm` */
  readonly prefix?: string;
}

/** How long a queue's lock lives without renewal (a crashed holder's expires), ms. */
const LOCK_TTL_MS = 30_000;
/** How long a job waits for a busy queue before it fails and is retried, ms. */
const LOCK_WAIT_MS = 60_000;

/**
 * Quantum Merge as a GitHub App, wired from the configuration: the BullMQ queues, the job handlers the
 * workers run, and per repository the GitHub client, the speculative merger and the executor.
 */
export class QuantumMergeApp {
  /** Producers of the BullMQ queues. */
  readonly jobs: JobQueues;
  /** What the workers run. */
  readonly handlers: JobHandlers;
  readonly #options: QuantumMergeAppOptions;
  readonly #prefix: string;
  readonly #clients: GitHubClientFactory;
  readonly #runner: QueueRunner;
  readonly #router: EventRouter;
  readonly #mergers = new Map<string, Promise<GitHubSpeculativeMerger>>();
  readonly #clones = new Map<string, LocalClone>();
  readonly #backends = new Map<string, QueueBackend>();

  /**
   * @throws `GitHubCredentialsMissingError` when neither a token nor App credentials are configured
   * @throws `MergeMethodUnsupportedError` for `mergeMethod: rebase` with `speculativeCommits: api`
   * @throws `UsageError` when a local clone is needed (`speculativeCommits: git`, `executor: local`) with
   *   App credentials: its installation token would expire after an hour
   */
  constructor(options: QuantumMergeAppOptions) {
    const { config, redis, logger } = options;
    if (
      (config.speculativeCommits === 'git' || config.executor === 'local') &&
      config.githubToken === undefined
    ) {
      throw new UsageError(
        'speculativeCommits: git and executor: local need quantumMerge.githubToken (a token that can push); with App credentials use speculativeCommits: api and executor: github.',
      );
    }
    this.#options = options;
    this.#prefix = options.prefix ?? 'qm';
    this.jobs = new JobQueues(redis, this.#prefix);
    this.#clients = new GitHubClientFactory({
      baseUrl: config.apiUrl,
      logger,
      ...(config.githubToken === undefined ? {} : { token: config.githubToken }),
      ...(config.appId === undefined ? {} : { appId: config.appId }),
      ...(config.privateKey === undefined ? {} : { privateKey: config.privateKey }),
    });
    const registry = new QueueRegistry(redis, this.#prefix);
    this.#runner = new QueueRunner({
      redis,
      lock: new QueueLock(redis, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS }),
      scheduler: {
        strategy: config.strategy,
        concurrency: config.concurrency,
        batchSize: config.batchSize,
        buildTimeoutMs: config.buildTimeoutMinutes * 60_000,
        buildRetries: config.buildRetries,
        pendingFailureDepth: config.pendingFailureDepth,
      },
      logger,
      prefix: this.#prefix,
      backend: (queue) => this.#backend(queue),
      relay: (queue) => (buildId, outcome, details) =>
        this.jobs.addResult(queue, buildId, outcome, details),
      scheduleTick: (queue, due) => this.jobs.addTick(queue, due),
      pollIntervalMs: config.ciPollSeconds * 1000,
    });
    this.#router = new EventRouter({
      runner: this.#runner,
      registry,
      label: config.label,
      github: (repo) => this.#repositoryGitHub(repo),
      refs: (queue) => new BuildRefStore(redis, queue, this.#prefix),
      logger,
    });
    this.handlers = {
      webhook: (data) => this.#webhook(data),
      orchestration: (data) => this.#orchestration(data),
    };
  }

  /** Closes the BullMQ producers (not the Redis connection). */
  async close(): Promise<void> {
    await this.jobs.close();
  }

  async #webhook(data: WebhookJobData): Promise<void> {
    const event = parseWebhookEvent(data.event, data.payload);
    if (event === undefined) return;
    this.#options.logger.info('Webhook event', {
      deliveryId: data.deliveryId,
      kind: event.kind,
      repo: event.repo,
    });
    await this.#router.handle(event);
  }

  async #orchestration(data: OrchestrationJobData): Promise<void> {
    const queue = { repo: data.repo, base: data.base };
    if (data.kind === 'tick') {
      await this.#runner.tick(queue);
      return;
    }
    await this.#runner.run(queue, (_scheduler, executor) =>
      executor.deliver(data.buildId, data.outcome, data.details),
    );
  }

  /** The local clone of `repo` under `workDir`, for `speculativeCommits: git` and the local executor. */
  #clone(repo: string): LocalClone {
    let clone = this.#clones.get(repo);
    if (clone === undefined) {
      const { config, cwd, env, logger } = this.#options;
      clone = new LocalClone({
        workDir: join(resolve(cwd, config.workDir), repo.replace('/', '__')),
        remote: cloneUrl(config, repo),
        env,
        logger,
        ...(config.githubToken === undefined ? {} : { token: config.githubToken }),
      });
      this.#clones.set(repo, clone);
    }
    return clone;
  }

  /** What makes speculative commits and moves the base: the GitHub API, or a local clone that pushes. */
  async #speculativeMerger(repo: string): Promise<SpeculativeMerger> {
    const { config, logger } = this.#options;
    if (config.speculativeCommits === 'api') return this.#merger(repo);
    return new LocalGitSpeculativeMerger({
      clone: this.#clone(repo),
      repo,
      mergeMethod: config.mergeMethod,
      logger,
    });
  }

  /** The GitHub client of `repo` for pull requests, reports and comments. */
  #merger(repo: string): Promise<GitHubSpeculativeMerger> {
    let merger = this.#mergers.get(repo);
    if (merger === undefined) {
      merger = this.#clients.getOctokit(repo).then(
        (octokit) =>
          new GitHubSpeculativeMerger({
            octokit,
            repo,
            mergeMethod: this.#options.config.mergeMethod,
            logger: this.#options.logger,
          }),
      );
      merger.catch(() => this.#mergers.delete(repo));
      this.#mergers.set(repo, merger);
    }
    return merger;
  }

  async #repositoryGitHub(repo: string): Promise<RepositoryGitHub> {
    const { config, logger } = this.#options;
    const octokit = await this.#clients.getOctokit(repo);
    const merger = await this.#merger(repo);
    return {
      getPullRequest: (pr) => merger.getPullRequest(pr),
      comment: (pr, body) => merger.comment(pr, body),
      canCommand: (login) => merger.hasWriteAccess(login),
      admission: (pull) =>
        checkPullRequestRequirements(
          octokit,
          repo,
          { number: pull.number, headSha: pull.headSha },
          { requiredApprovals: config.requiredApprovals, requiredChecks: config.pullRequestChecks },
          { logger },
        ),
      // The local executor decides its builds itself; CI results on its commits are not its verdict.
      ciResult: (sha) =>
        config.executor === 'local'
          ? Promise.resolve({ outcome: 'pending' as const })
          : readCiResult(octokit, repo, sha, config.requiredChecks, { logger }),
    };
  }

  async #backend(queue: QueueId): Promise<QueueBackend> {
    const key = `${queue.repo}:${queue.base}`;
    const cached = this.#backends.get(key);
    if (cached !== undefined) return cached;
    const { redis, logger, config, cwd, env } = this.#options;
    const store = new RedisQueueStore(redis, queue, { prefix: this.#prefix });
    const merger = await this.#speculativeMerger(queue.repo);
    const refs = new BuildRefStore(redis, queue, this.#prefix);
    const planner = createBuildPlanner(queue, store, merger);
    const executor: Executor =
      config.executor === 'local' && config.buildCommand !== undefined
        ? new LocalExecutor({
            queue,
            merger,
            planner,
            refs,
            clone: this.#clone(queue.repo),
            command: config.buildCommand as [string, ...string[]],
            workDir: join(resolve(cwd, config.workDir), 'builds'),
            logger,
            env,
          })
        : new GitHubCiExecutor({
            queue,
            merger,
            planner,
            refs,
            logger,
            ciResult: async (sha) => (await this.#repositoryGitHub(queue.repo)).ciResult(sha),
          });
    const backend: QueueBackend = {
      store,
      executor,
      merger,
      refs,
      ...(config.executor === 'local'
        ? {}
        : {
            pollResult: async (buildId: string) => {
              const ref = await refs.get(buildId);
              if (ref === undefined) return { outcome: 'pending' as const };
              return (await this.#repositoryGitHub(queue.repo)).ciResult(ref.sha);
            },
          }),
      reporter: new PullRequestReporter(redis, queue, await this.#merger(queue.repo), logger, {
        closeMerged: config.mergeMethod === 'squash' || config.mergeMethod === 'rebase',
        label: config.label,
        refs,
        prefix: this.#prefix,
      }),
    };
    this.#backends.set(key, backend);
    return backend;
  }
}

/**
 * The git URL of `repo`: `quantumMerge.cloneUrl` with `{repo}` replaced, or the web host of `apiUrl`
 * (`https://api.github.com` → `https://github.com/owner/name.git`; GitHub Enterprise Server's
 * `https://HOST/api/v3` → `https://HOST/owner/name.git`).
 */
function cloneUrl(config: QuantumMergeConfig, repo: string): string {
  if (config.cloneUrl !== undefined) return config.cloneUrl.replaceAll('{repo}', repo);
  const api = new URL(config.apiUrl);
  const host = api.hostname === 'api.github.com' ? 'github.com' : api.host;
  return `${api.protocol}//${host}/${repo}.git`;
}
