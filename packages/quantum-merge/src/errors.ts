/**
 * Error classes of Quantum Merge. Each has a stable `code` and an actionable one-sentence message.
 *
 * @module
 */
import { EXIT_CODES, VelocityError, type VelocityErrorOptions } from '@velocity/core';

/**
 * A compare-and-set transition was refused: a record was not in the state the operation expected (another
 * worker moved it first, or the operation is out of order).
 */
export class TransitionConflictError extends VelocityError {
  /** `entry` or `build`. */
  readonly kind: string;
  /** The PR number (entries) or build id (builds). */
  readonly id: string;
  /** The state the operation required; `""` means "absent". */
  readonly expected: string;
  /** The state found; `""` means "absent". */
  readonly actual: string;

  constructor(
    details: { kind: string; id: string; expected: string; actual: string; opId: string },
    options: VelocityErrorOptions = {},
  ) {
    super(
      'QM_TRANSITION_CONFLICT',
      `Operation "${details.opId}" expected ${details.kind} "${details.id}" to be "${details.expected || 'absent'}" but it is "${details.actual || 'absent'}". Reload the queue state and retry; nothing was changed.`,
      options,
    );
    this.kind = details.kind;
    this.id = details.id;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

/** A PR was enqueued twice while still active in the queue. */
export class AlreadyQueuedError extends VelocityError {
  /** The PR number. */
  readonly pr: number;

  constructor(pr: number, options: VelocityErrorOptions = {}) {
    super(
      'QM_ALREADY_QUEUED',
      `Pull request "#${pr}" is already in the merge queue. Dequeue it first (or push a new head) to enqueue it again.`,
      options,
    );
    this.pr = pr;
  }
}

/** `redis-server` could not be started for `simulate` (missing binary, or it did not answer PING). */
export class RedisServerError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('QM_REDIS_SERVER', message, options);
  }
}

/** A `simulate` option is out of range (exit code 2). */
export class SimulationOptionsError extends VelocityError {
  constructor(message: string, options: VelocityErrorOptions = {}) {
    super('QM_SIMULATION_OPTIONS', message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/** A merge queue's lock stayed busy: another worker holds it for longer than expected. */
export class QueueLockTimeoutError extends VelocityError {
  constructor(key: string, waitMs: number, options: VelocityErrorOptions = {}) {
    super(
      'QM_QUEUE_LOCK_TIMEOUT',
      `The lock "${key}" stayed busy for ${waitMs} ms. Another worker is handling this queue; the job is retried. If this repeats, check for a stuck worker.`,
      options,
    );
  }
}

/** A passed build has no recorded speculative commit, so there is no tested commit to merge. */
export class SpeculativeRefMissingError extends VelocityError {
  constructor(buildId: string, options: VelocityErrorOptions = {}) {
    super(
      'QM_SPECULATIVE_REF_MISSING',
      `Build "${buildId}" has no recorded speculative commit, so it cannot be merged. Its entries are rebuilt; if this repeats, check the Redis data of the queue.`,
      options,
    );
  }
}

/** Redis could not be reached when a server or worker started. */
export class RedisUnavailableError extends VelocityError {
  constructor(url: string, options: VelocityErrorOptions = {}) {
    const cause = options.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(
      'QM_REDIS_UNAVAILABLE',
      `Cannot connect to Redis at ${url}${cause}. Start Redis or set quantumMerge.redisUrl (VELOCITY_QUANTUM_MERGE_REDIS_URL) to a reachable one.`,
      options,
    );
  }
}

/** `quantumMerge.redisUrl` lists Redis Cluster nodes in a form that cannot be used (exit code 2). */
export class RedisUrlError extends VelocityError {
  /**
   * @param url - the node list, with any password already masked
   * @param problem - what is wrong, as a clause (`node 2 ("") has no host`)
   */
  constructor(url: string, problem: string, options: VelocityErrorOptions = {}) {
    super(
      'QM_REDIS_URL',
      `Redis node list "${url}" is not usable: ${problem}. Set quantumMerge.redisUrl to nodes separated by commas, credentials on the first only (e.g. redis://:password@10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000).`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
  }
}
