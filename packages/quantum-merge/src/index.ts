/**
 * Quantum Merge: a speculative merge queue. This slice holds the scheduler, its Redis store and the
 * `simulate` command.
 *
 * @module
 */
export { main } from './cli.js';
export {
  AlreadyQueuedError,
  RedisServerError,
  SimulationOptionsError,
  TransitionConflictError,
} from './errors.js';
export type { Clock, TimerHandle } from './scheduler/clock.js';
export type { Executor } from './scheduler/executor.js';
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
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
  WebhookPayloadError,
  WebhookSignatureError,
} from './github/errors.js';
export {
  GitHubSpeculativeMerger,
  REPORT_STATES,
  SPECULATIVE_REF_PREFIX,
} from './github/speculative-merger.js';
export type {
  CommentResult,
  GitHubSpeculativeMergerOptions,
  PullRequestInfo,
  ReportState,
  ReportStatusResult,
  SpeculativeHead,
  SpeculativeRefResult,
} from './github/speculative-merger.js';
export { parseMergeCommand, parseWebhookEvent, verifyWebhookDelivery } from './github/webhooks.js';
export type { MergeCommand, QuantumMergeEvent, WebhookDelivery } from './github/webhooks.js';
