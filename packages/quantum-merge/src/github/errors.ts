/**
 * Error classes of Quantum Merge's GitHub layer. Each has a stable `code` and a one-sentence message
 * followed by a remedy; none carries a token (octokit's `RequestError` already redacts `authorization`).
 *
 * @module
 */
import { EXIT_CODES, VelocityError, type VelocityErrorOptions } from '@velocity/core';

/** Where a PR head failed to apply onto a speculative ref. */
export interface HeadNotAppliedDetails {
  /** The PR number. */
  readonly pr: number;
  /** The PR head that was being applied. */
  readonly headSha: string;
  /** The speculative branch name, e.g. `velocity-mq/main/b1`. */
  readonly ref: string;
  /** Base branch name. */
  readonly base: string;
}

/**
 * A PR head could not be applied onto a speculative ref (the subclasses say why); the speculative ref has
 * been deleted. The build fails, so the PR leaves the queue once the failure is conclusive.
 */
export class HeadNotAppliedError extends VelocityError {
  /** The PR number. */
  readonly pr: number;
  /** The PR head that was being applied. */
  readonly headSha: string;
  /** The speculative branch name, e.g. `velocity-mq/main/b1`. */
  readonly ref: string;
  /** One line for the PR's report, e.g. `#12 does not merge cleanly onto main and the PRs ahead of it`. */
  readonly summary: string;

  protected constructor(
    code: string,
    message: string,
    summary: string,
    details: HeadNotAppliedDetails,
    options: VelocityErrorOptions,
  ) {
    super(code, message, options);
    this.pr = details.pr;
    this.headSha = details.headSha;
    this.ref = details.ref;
    this.summary = summary;
  }
}

/**
 * A PR's head could not be merged onto a speculative ref: it conflicts with the base plus the entries ahead
 * of it. The speculative ref has been deleted.
 */
export class SpeculativeMergeConflictError extends HeadNotAppliedError {
  constructor(details: HeadNotAppliedDetails, options: VelocityErrorOptions = {}) {
    super(
      'QM_SPECULATIVE_MERGE_CONFLICT',
      `Pull request "#${details.pr}" (head "${details.headSha}") conflicts with "${details.base}" plus the entries ahead of it on "${details.ref}". Rebase it on "${details.base}" and push, or dequeue it; the speculative ref was deleted.`,
      `#${details.pr} does not merge cleanly onto ${details.base} and the PRs ahead of it`,
      details,
      options,
    );
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

/**
 * With merge method `fast-forward`, a PR head does not descend from the base plus the entries ahead of it, so
 * the speculative ref cannot move to it. The speculative ref has been deleted.
 */
export class HeadNotFastForwardError extends HeadNotAppliedError {
  constructor(details: HeadNotAppliedDetails, options: VelocityErrorOptions = {}) {
    super(
      'QM_HEAD_NOT_FAST_FORWARD',
      `Pull request "#${details.pr}" (head "${details.headSha}") does not descend from "${details.base}" plus the entries ahead of it on "${details.ref}", so merge method "fast-forward" cannot land it. Rebase it on "${details.base}" and push, or dequeue it; the speculative ref was deleted.`,
      `#${details.pr} is not a fast-forward of ${details.base} and the PRs ahead of it; rebase it`,
      details,
      options,
    );
  }
}

/**
 * The configured merge method cannot be done through the GitHub REST API (`rebase`: the API cannot replay
 * commits). Exit code 2.
 */
export class MergeMethodUnsupportedError extends VelocityError {
  /** The refused merge method, e.g. `rebase`. */
  readonly mergeMethod: string;

  constructor(mergeMethod: string, options: VelocityErrorOptions = {}) {
    super(
      'QM_MERGE_METHOD_UNSUPPORTED',
      `Merge method "${mergeMethod}" cannot be done through the GitHub REST API. Set quantumMerge.speculativeCommits: git (a local git clone does rebases), or choose another quantumMerge.mergeMethod.`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
    this.mergeMethod = mergeMethod;
  }
}

/** Neither a GitHub token nor complete GitHub App credentials are configured. Exit code 2. */
export class GitHubCredentialsMissingError extends VelocityError {
  /** The `quantumMerge.*` keys that are missing, e.g. `['quantumMerge.privateKey']`. */
  readonly missingKeys: readonly string[];

  constructor(missingKeys: readonly string[], options: VelocityErrorOptions = {}) {
    super(
      'QM_GITHUB_CREDENTIALS_MISSING',
      `No usable GitHub credentials: ${missingKeys.map((key) => `"${key}"`).join(', ')} ${missingKeys.length === 1 ? 'is' : 'are'} not set. Set quantumMerge.appId and quantumMerge.privateKey (GitHub App), or quantumMerge.githubToken (a token).`,
      { ...options, exitCode: EXIT_CODES.usage },
    );
    this.missingKeys = missingKeys;
  }
}

/** The GitHub App has no installation on a repository (GitHub answered 404). */
export class GitHubAppNotInstalledError extends VelocityError {
  /** `owner/name`. */
  readonly repo: string;
  /** The App ID. */
  readonly appId: number;

  constructor(details: { repo: string; appId: number }, options: VelocityErrorOptions = {}) {
    super(
      'QM_GITHUB_APP_NOT_INSTALLED',
      `GitHub App "${details.appId}" is not installed on repository "${details.repo}". Install the App on it (the App's page on GitHub, Install App or Configure, Repository access) and retry.`,
      options,
    );
    this.repo = details.repo;
    this.appId = details.appId;
  }
}
