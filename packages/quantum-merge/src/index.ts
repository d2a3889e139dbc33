/**
 * Quantum Merge: a speculative merge queue as a GitHub App, on Redis and BullMQ — the scheduler, its Redis
 * store, the GitHub layer, the executors, the job runtime, the webhook server and `simulate`.
 *
 * @module
 */
export { main } from './cli.js';
export {
  AlreadyQueuedError,
  QueueLockTimeoutError,
  RedisServerError,
  RedisUnavailableError,
  RedisUrlError,
  SimulationOptionsError,
  SpeculativeRefMissingError,
  TransitionConflictError,
} from './errors.js';
export type { Clock, TimerHandle } from './scheduler/clock.js';
export type { BuildPlan, BuildPlanner } from './scheduler/build-plan.js';
export type { BuildReport, BuildReporter, Executor } from './scheduler/executor.js';
export { MergeQueueScheduler } from './scheduler/merge-queue-scheduler.js';
export type {
  EnqueueInput,
  SchedulerContext,
  SchedulerOptions,
} from './scheduler/merge-queue-scheduler.js';
export { strategyLimits } from './scheduler/strategy.js';
export type { StrategyLimits } from './scheduler/strategy.js';
export { ENTRY_STATES, PRIORITIES, STRATEGIES } from './scheduler/types.js';
export type {
  Build,
  BuildOutcome,
  BuildState,
  EntryState,
  Priority,
  QueueEntry,
  QueueId,
  Strategy,
} from './scheduler/types.js';
export { queueKeys } from './state/keys.js';
export type { QueueKeys } from './state/keys.js';
export { BuildRefStore } from './state/build-refs.js';
export type { BuildRef } from './state/build-refs.js';
export { RedisQueueStore } from './state/redis-store.js';
export type {
  QueueSnapshot,
  StoreChange,
  StoreOperation,
  StoredBuild,
  StoredEntry,
} from './state/redis-store.js';
export { isBadPr, poissonArrivals } from './simulate/arrivals.js';
export { perPrBound } from './simulate/per-pr-bound.js';
export type { PerPrBound } from './simulate/per-pr-bound.js';
export { keyedRandom } from './simulate/prng.js';
export { startRedisServer } from './simulate/redis-server.js';
export type { RedisServerHandle, StartRedisServerOptions } from './simulate/redis-server.js';
export { runSimulation } from './simulate/run-simulation.js';
export type {
  SimulationContext,
  SimulationOptions,
  SimulationOutcome,
  SimulationSummary,
} from './simulate/run-simulation.js';
export { SimulatedExecutor } from './simulate/simulated-executor.js';
export { VirtualClock } from './simulate/virtual-clock.js';
export {
  BaseNotFastForwardError,
  GitHubApiError,
  GitHubAppNotInstalledError,
  GitHubCredentialsMissingError,
  HeadNotAppliedError,
  HeadNotFastForwardError,
  MergeMethodUnsupportedError,
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
  WebhookPayloadError,
  WebhookSignatureError,
} from './github/errors.js';
export type { HeadNotAppliedDetails } from './github/errors.js';
export { GITHUB_API_URL, GitHubClientFactory } from './github/auth.js';
export type { GitHubClientFactoryOptions, RepositoryName } from './github/auth.js';
export { readCiResult } from './github/ci-result.js';
export { checkPullRequestRequirements, readCheckStates } from './github/requirements.js';
export type {
  CheckState,
  PullRequestRequirements,
  ReadCheckStatesOptions,
  RequirementsPullRequest,
  RequirementsResult,
} from './github/requirements.js';
export { GitHubSpeculativeMerger, REPORT_STATES } from './github/speculative-merger.js';
export type {
  CommentResult,
  GitHubSpeculativeMergerOptions,
  PullRequestInfo,
  ReportState,
  ReportStatusResult,
} from './github/speculative-merger.js';
export {
  MERGE_METHODS,
  SPECULATIVE_REF_PREFIX,
  speculativeRefName,
} from './merge/speculative-merger.js';
export type {
  MergeMethod,
  SpeculativeHead,
  SpeculativeMerger,
  SpeculativeRefResult,
} from './merge/speculative-merger.js';
export { GitHubCiExecutor } from './executors/github-ci-executor.js';
export { BuildCommandStartError, LocalExecutor } from './executors/local-executor.js';
export type { LocalExecutorOptions } from './executors/local-executor.js';
export { BranchNotFoundError, CommitNotFoundError } from './git/errors.js';
export { DEFAULT_GIT_IDENTITY, GitCommandError, GitRunner } from './git/git-runner.js';
export type { GitIdentity, GitResult, GitRunOptions, GitRunnerOptions } from './git/git-runner.js';
export { LocalClone } from './git/local-clone.js';
export type {
  CloneGitOptions,
  CloneSession,
  LocalCloneOptions,
  PushResult,
} from './git/local-clone.js';
export { LocalGitSpeculativeMerger } from './git/local-speculative-merger.js';
export type { LocalGitSpeculativeMergerOptions } from './git/local-speculative-merger.js';
export type { GitHubCiExecutorOptions } from './executors/github-ci-executor.js';
export { QuantumMergeApp } from './runtime/app.js';
export type { QuantumMergeAppOptions, QuantumMergeConfig } from './runtime/app.js';
export { createBuildPlanner } from './runtime/build-planner.js';
export { EventRouter } from './runtime/event-router.js';
export type {
  Admission,
  CiResult,
  EventRouterOptions,
  RepositoryGitHub,
} from './runtime/event-router.js';
export { JobClock } from './runtime/job-clock.js';
export {
  BULLMQ_PREFIX,
  JobQueues,
  ORCHESTRATION_QUEUE,
  WEBHOOK_QUEUE,
} from './runtime/job-queues.js';
export type { OrchestrationJobData, WebhookJobData } from './runtime/job-queues.js';
export { PullRequestReporter } from './runtime/pull-request-reporter.js';
export type {
  PullRequestChannel,
  PullRequestReporterOptions,
} from './runtime/pull-request-reporter.js';
export { QueueLock } from './runtime/queue-lock.js';
export type { QueueLockOptions } from './runtime/queue-lock.js';
export { QueueRegistry } from './runtime/queue-registry.js';
export { QueueRunner } from './runtime/queue-runner.js';
export type { QueueBackend, QueueRunnerOptions } from './runtime/queue-runner.js';
export { latestBuildOf, queueOrder } from './runtime/queue-view.js';
export type { PositionedEntry } from './runtime/queue-view.js';
export { connectRedis } from './runtime/redis-connection.js';
export type { ConnectRedisOptions, RedisClient } from './runtime/redis-connection.js';
export { RelayExecutor } from './runtime/relay-executor.js';
export type { ResultRelay } from './runtime/relay-executor.js';
export { startWorkers } from './runtime/workers.js';
export type { JobHandlers, RunningWorkers, StartWorkersOptions } from './runtime/workers.js';
export { createQuantumMergeServer } from './server/http-server.js';
export type { QuantumMergeServerOptions } from './server/http-server.js';
export { QueueApi } from './server/queue-api.js';
export type {
  MetricsBucket,
  QueueDetail,
  QueueEntryView,
  QueueHistory,
  QueueMetrics,
  QueueSummary,
} from './server/queue-api.js';
export { parseMergeCommand, parseWebhookEvent, verifyWebhookDelivery } from './github/webhooks.js';
export type { MergeCommand, QuantumMergeEvent, WebhookDelivery } from './github/webhooks.js';
