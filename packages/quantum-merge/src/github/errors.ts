/**
 * Error classes of Quantum Merge's GitHub layer. Each has a stable `code` and a one-sentence message
 * followed by a remedy; none carries a token (octokit's `RequestError` already redacts `authorization`).
 *
 * @module
 */
import { VelocityError, type VelocityErrorOptions } from '@velocity/core';

/**
 * A PR's head could not be merged onto a speculative ref: it conflicts with the base plus the entries ahead
 * of it. The speculative ref has been deleted.
 */
export class SpeculativeMergeConflictError extends VelocityError {
  /** The conflicting PR number. */
  readonly pr: number;
  /** The PR head that was being merged. */
  readonly headSha: string;
  /** The speculative branch name, e.g. `velocity-mq/main/b1`. */
  readonly ref: string;

  constructor(
    details: { pr: number; headSha: string; ref: string; base: string },
    options: VelocityErrorOptions = {},
  ) {
    super(
      'QM_SPECULATIVE_MERGE_CONFLICT',
      `Pull request "#${details.pr}" (head "${details.headSha}") conflicts with "${details.base}" plus the entries ahead of it on "${details.ref}". Rebase it on "${details.base}" and push, or dequeue it; the speculative ref was deleted.`,
      options,
    );
    this.pr = details.pr;
    this.headSha = details.headSha;
    this.ref = details.ref;
  }
}

/**
 * The base branch could not be fast-forwarded to a tested commit because that commit does not descend from
 * the current tip (the base moved since the speculative build started). The base was not changed.
 */
export class BaseNotFastForwardError extends VelocityError {
  /** Base branch name. */
  readonly base: string;
  /** The tested commit the base was to move to. */
  readonly testedSha: string;

  constructor(details: { base: string; testedSha: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_BASE_NOT_FAST_FORWARD',
      `Base branch "${details.base}" cannot be fast-forwarded to "${details.testedSha}" because it is not a descendant of the current tip. Rebuild the queue on the new tip of "${details.base}"; the base branch was not changed.`,
      options,
    );
    this.base = details.base;
    this.testedSha = details.testedSha;
  }
}

/** A GitHub REST call failed for a reason the merge queue cannot handle itself (auth, permissions, 5xx). */
export class GitHubApiError extends VelocityError {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** What was being done, e.g. `create ref "velocity-mq/main/b1"`. */
  readonly operation: string;

  constructor(
    details: { operation: string; status: number; repo: string; reason: string },
    options: VelocityErrorOptions = {},
  ) {
    super(
      'QM_GITHUB_API',
      `GitHub request to ${details.operation} in "${details.repo}" failed with HTTP ${details.status} ("${details.reason}"). Check the token or installation permissions (contents, checks, statuses, pull requests: write) and that the repository exists.`,
      options,
    );
    this.status = details.status;
    this.operation = details.operation;
  }
}

/** A queue of another repository was passed to a merger bound to one repository. */
export class RepositoryMismatchError extends VelocityError {
  constructor(details: { expected: string; actual: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_REPOSITORY_MISMATCH',
      `Queue repository "${details.actual}" does not match the merger's repository "${details.expected}". Create one merger per repository.`,
      options,
    );
  }
}

/** A webhook delivery's `X-Hub-Signature-256` is missing or does not match the payload and secret. */
export class WebhookSignatureError extends VelocityError {
  /** The `X-GitHub-Delivery` id, when known. */
  readonly deliveryId: string | undefined;

  constructor(deliveryId: string | undefined, options: VelocityErrorOptions = {}) {
    super(
      'QM_WEBHOOK_SIGNATURE',
      `Webhook delivery "${deliveryId ?? 'unknown'}" has a missing or invalid X-Hub-Signature-256 signature. Check that the GitHub App's webhook secret matches the configured secret; the delivery was ignored.`,
      options,
    );
    this.deliveryId = deliveryId;
  }
}

/** A verified webhook payload is not JSON, or lacks a field its event always has. */
export class WebhookPayloadError extends VelocityError {
  constructor(details: { event: string; problem: string }, options: VelocityErrorOptions = {}) {
    super(
      'QM_WEBHOOK_PAYLOAD',
      `Webhook "${details.event}" payload is malformed: ${details.problem}. Redeliver it from the GitHub App's advanced settings; it was ignored.`,
      options,
    );
  }
}
