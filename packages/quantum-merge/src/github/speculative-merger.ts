/**
 * Speculative merges on GitHub through the git and merges REST APIs.
 *
 * @module
 */
import type { Logger } from '@velocity/core';
import type { Octokit } from '@octokit/rest';
import type { QueueId } from '../scheduler/types.js';
import {
  BaseNotFastForwardError,
  GitHubApiError,
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
} from './errors.js';

/** States {@link GitHubSpeculativeMerger.reportStatus} can report for a queued PR's head or a build. */
export const REPORT_STATES = ['queued', 'in_progress', 'success', 'failure', 'cancelled'] as const;

/** One of {@link REPORT_STATES}: `queued`/`in_progress` are pending; the rest are final. */
export type ReportState = (typeof REPORT_STATES)[number];

/** One PR to merge onto a speculative ref. */
export interface SpeculativeHead {
  /** PR number. */
  readonly pr: number;
  /** The exact PR head commit that was approved and queued (not the branch, which may move). */
  readonly headSha: string;
}

/** What {@link GitHubSpeculativeMerger.createSpeculativeRef} produced. */
export interface SpeculativeRefResult {
  /** Branch name, without `refs/heads/`: `velocity-mq/<base>/<buildId>`. */
  readonly ref: string;
  /** The commit CI must test: base plus every head, merged in order. */
  readonly sha: string;
}

/** Where {@link GitHubSpeculativeMerger.reportStatus} wrote. */
export type ReportStatusResult =
  | { readonly kind: 'check_run'; readonly id: number }
  | { readonly kind: 'status'; readonly id: number };

/** What {@link GitHubSpeculativeMerger.comment} created. */
export interface CommentResult {
  readonly id: number;
  /** Link to the comment on github.com. */
  readonly url: string;
}

/** A PR as the merge queue needs it. */
export interface PullRequestInfo {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly headSha: string;
  /** Base branch name. */
  readonly base: string;
  /** Label names. */
  readonly labels: readonly string[];
}

/** Options of {@link GitHubSpeculativeMerger}. */
export interface GitHubSpeculativeMergerOptions {
  /**
   * An authenticated client for this repository (installation token or PAT). Its `baseUrl` decides which
   * GitHub is used (GHES, or a fake in tests).
   */
  readonly octokit: Octokit;
  /** `owner/name` of the repository every call goes to. */
  readonly repo: string;
  /** Name of the check run (and commit-status context) used for reports. @defaultValue `'Quantum Merge'` */
  readonly checkName?: string;
  /** Logger. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug' | 'warn'>;
}

/** Prefix of every speculative branch; a branch protection rule may exempt `velocity-mq/**`. */
export const SPECULATIVE_REF_PREFIX = 'velocity-mq';

/** GitHub's limit on a commit status description, in characters. */
const STATUS_DESCRIPTION_MAX = 140;

interface RequestErrorLike {
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly data?: unknown };
}

function asRequestError(error: unknown): RequestErrorLike | undefined {
  if (error instanceof Error && typeof (error as Partial<RequestErrorLike>).status === 'number') {
    return error as unknown as RequestErrorLike;
  }
  return undefined;
}

/** The API's own `message` (e.g. `Update is not a fast forward`), without octokit's documentation suffix. */
function reasonOf(error: RequestErrorLike): string {
  const data = error.response?.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { message?: unknown }).message === 'string'
  ) {
    return (data as { message: string }).message;
  }
  return error.message;
}

const noop = (): void => {};

/**
 * Creates speculative merge commits on temporary branches, fast-forwards the base branch to tested
 * commits, and reports progress on PRs, for one repository.
 *
 * @remarks
 * A speculative build for entry k is base + entries 1..k merged in queue order, created with one
 * `POST /repos/{owner}/{repo}/git/refs` plus one `POST /repos/{owner}/{repo}/merges` per entry, so k + 1
 * write requests. The base branch only ever moves by a `force: false` ref update to the exact tested
 * commit, so GitHub itself refuses any move that is not a fast-forward.
 *
 * @see {@link https://docs.github.com/en/rest/branches/branches#merge-a-branch | Merge a branch}
 * @see {@link https://docs.github.com/en/rest/git/refs#update-a-reference | Update a reference}
 */
export class GitHubSpeculativeMerger {
  readonly #octokit: Octokit;
  readonly #repo: string;
  readonly #owner: string;
  readonly #name: string;
  readonly #checkName: string;
  readonly #logger: Pick<Logger, 'debug' | 'warn'>;
  /** Check run id per commit sha, so later reports update the same run. */
  readonly #checkRuns = new Map<string, number>();
  #checkRunsUnavailable = false;

  constructor(options: GitHubSpeculativeMergerOptions) {
    const [owner, name, extra] = options.repo.split('/');
    if (
      owner === undefined ||
      owner === '' ||
      name === undefined ||
      name === '' ||
      extra !== undefined
    ) {
      throw new RepositoryMismatchError({ expected: 'owner/name', actual: options.repo });
    }
    this.#octokit = options.octokit;
    this.#repo = options.repo;
    this.#owner = owner;
    this.#name = name;
    this.#checkName = options.checkName ?? 'Quantum Merge';
    this.#logger = options.logger ?? { debug: noop, warn: noop };
  }

  /** The branch name of a build's speculative ref: `velocity-mq/<base>/<buildId>`. */
  static speculativeRefName(queue: QueueId, buildId: string): string {
    return `${SPECULATIVE_REF_PREFIX}/${queue.base}/${buildId}`;
  }

  /**
   * Creates `refs/heads/velocity-mq/<base>/<buildId>` at `baseSha` and merges each head onto it in order.
   *
   * @remarks
   * If the ref already exists (a retried job), it is reset to `baseSha` first, so the call is idempotent. A
   * head already contained in the ref (HTTP 204) adds no commit.
   *
   * @param heads - PRs in queue order; the first is merged directly onto `baseSha`
   * @returns the speculative branch and the commit whose tree CI must test
   * @throws {@link SpeculativeMergeConflictError} when a head conflicts; names the first conflicting PR and
   *   deletes the ref
   * @throws {@link GitHubApiError} on any other API failure
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  async createSpeculativeRef(
    queue: QueueId,
    buildId: string,
    baseSha: string,
    heads: readonly SpeculativeHead[],
  ): Promise<SpeculativeRefResult> {
    this.#checkQueue(queue);
    const ref = GitHubSpeculativeMerger.speculativeRefName(queue, buildId);
    await this.#createOrResetRef(ref, baseSha);
    let sha = baseSha;
    for (const head of heads) {
      let response;
      try {
        response = await this.#octokit.rest.repos.merge({
          owner: this.#owner,
          repo: this.#name,
          base: ref,
          head: head.headSha,
          commit_message: `Merge #${head.pr} (${head.headSha}) into ${ref}`,
        });
      } catch (error) {
        const requestError = asRequestError(error);
        if (requestError?.status === 409) {
          await this.#deleteRefQuietly(ref);
          throw new SpeculativeMergeConflictError({
            pr: head.pr,
            headSha: head.headSha,
            ref,
            base: queue.base,
          });
        }
        throw this.#apiError(`merge #${head.pr} into "${ref}"`, error);
      }
      // 204: the head is already contained in the ref, which does not move.
      if (response.status === 201) sha = response.data.sha;
      this.#logger.debug(`merged #${head.pr} into ${ref}: ${sha}`);
    }
    return { ref, sha };
  }

  /**
   * Moves the base branch to exactly `testedSha`, only if that is a fast-forward; never creates a commit.
   *
   * @throws {@link BaseNotFastForwardError} when `testedSha` does not descend from the base tip (nothing
   *   changed)
   * @throws {@link GitHubApiError} on any other API failure (e.g. a protected branch refusing the push)
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  async fastForwardBase(queue: QueueId, testedSha: string): Promise<void> {
    this.#checkQueue(queue);
    try {
      await this.#octokit.rest.git.updateRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${queue.base}`,
        sha: testedSha,
        force: false,
      });
    } catch (error) {
      const requestError = asRequestError(error);
      if (requestError?.status === 422 && /fast.forward/i.test(reasonOf(requestError))) {
        throw new BaseNotFastForwardError({ base: queue.base, testedSha });
      }
      throw this.#apiError(`fast-forward "${queue.base}" to "${testedSha}"`, error);
    }
  }

  /**
   * Deletes a build's speculative ref.
   *
   * @returns `false` when it did not exist (already deleted), so calling twice is safe
   * @throws {@link GitHubApiError} on any other API failure
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  async deleteSpeculativeRef(queue: QueueId, buildId: string): Promise<boolean> {
    this.#checkQueue(queue);
    const ref = GitHubSpeculativeMerger.speculativeRefName(queue, buildId);
    try {
      await this.#octokit.rest.git.deleteRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${ref}`,
      });
      return true;
    } catch (error) {
      const status = asRequestError(error)?.status;
      if (status === 422 || status === 404) return false;
      throw this.#apiError(`delete ref "${ref}"`, error);
    }
  }

  /**
   * Reports a state on a commit as a check run named after `checkName`, updating the run this merger
   * created earlier for the same sha.
   *
   * @remarks
   * Falls back to a commit status (context `checkName`) when check runs answer 403 or 404 (a classic token,
   * or an app without `checks:write`), and keeps using statuses afterwards. `queued`/`in_progress` map to
   * status `pending`, `cancelled` to `error`. Status descriptions are cut to 140 characters.
   *
   * @param description - one line shown next to the check, e.g. `Position 3 in the merge queue`
   * @param targetUrl - link to the build, e.g. the failing CI run
   * @throws {@link GitHubApiError} when both APIs fail
   *
   * @privateRemarks
   * The sha → check run id map is per process; after a restart a new run with the same name is created,
   * which GitHub shows in place of the older one.
   */
  async reportStatus(
    sha: string,
    state: ReportState,
    description: string,
    targetUrl?: string,
  ): Promise<ReportStatusResult> {
    if (!this.#checkRunsUnavailable) {
      try {
        return {
          kind: 'check_run',
          id: await this.#writeCheckRun(sha, state, description, targetUrl),
        };
      } catch (error) {
        const status = asRequestError(error)?.status;
        if (status !== 403 && status !== 404)
          throw this.#apiError(`report a check run on "${sha}"`, error);
        this.#logger.warn(
          `check runs unavailable (HTTP ${status}); falling back to commit statuses`,
        );
        this.#checkRunsUnavailable = true;
      }
    }
    const statusState =
      state === 'queued' || state === 'in_progress'
        ? 'pending'
        : state === 'cancelled'
          ? 'error'
          : state;
    try {
      const response = await this.#octokit.rest.repos.createCommitStatus({
        owner: this.#owner,
        repo: this.#name,
        sha,
        state: statusState,
        context: this.#checkName,
        description:
          description.length > STATUS_DESCRIPTION_MAX
            ? `${description.slice(0, STATUS_DESCRIPTION_MAX - 1)}…`
            : description,
        ...(targetUrl === undefined ? {} : { target_url: targetUrl }),
      });
      return { kind: 'status', id: response.data.id };
    } catch (error) {
      throw this.#apiError(`report a commit status on "${sha}"`, error);
    }
  }

  /**
   * Posts a comment on a PR, e.g. why it cannot enter the queue.
   *
   * @param body - GitHub-flavoured Markdown
   * @throws {@link GitHubApiError} when the API call fails
   */
  async comment(pr: number, body: string): Promise<CommentResult> {
    try {
      const response = await this.#octokit.rest.issues.createComment({
        owner: this.#owner,
        repo: this.#name,
        issue_number: pr,
        body,
      });
      return { id: response.data.id, url: response.data.html_url };
    } catch (error) {
      throw this.#apiError(`comment on #${pr}`, error);
    }
  }

  /**
   * Reads a PR's state, head and labels.
   *
   * @throws {@link GitHubApiError} when the API call fails (404 when there is no such PR)
   */
  async getPullRequest(pr: number): Promise<PullRequestInfo> {
    try {
      const { data } = await this.#octokit.rest.pulls.get({
        owner: this.#owner,
        repo: this.#name,
        pull_number: pr,
      });
      return {
        number: data.number,
        state: data.state === 'closed' ? 'closed' : 'open',
        merged: data.merged,
        headSha: data.head.sha,
        base: data.base.ref,
        labels: data.labels.map((label) => label.name),
      };
    } catch (error) {
      throw this.#apiError(`read pull request #${pr}`, error);
    }
  }

  async #writeCheckRun(
    sha: string,
    state: ReportState,
    description: string,
    targetUrl?: string,
  ): Promise<number> {
    const final = state === 'success' || state === 'failure' || state === 'cancelled';
    const fields = {
      owner: this.#owner,
      repo: this.#name,
      name: this.#checkName,
      output: { title: description, summary: description },
      ...(targetUrl === undefined ? {} : { details_url: targetUrl }),
      ...(final ? { status: 'completed' as const, conclusion: state } : { status: state }),
    };
    const existing = this.#checkRuns.get(sha);
    if (existing !== undefined) {
      await this.#octokit.rest.checks.update({ ...fields, check_run_id: existing });
      return existing;
    }
    const response = await this.#octokit.rest.checks.create({ ...fields, head_sha: sha });
    this.#checkRuns.set(sha, response.data.id);
    return response.data.id;
  }

  async #createOrResetRef(ref: string, sha: string): Promise<void> {
    try {
      await this.#octokit.rest.git.createRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `refs/heads/${ref}`,
        sha,
      });
      return;
    } catch (error) {
      const requestError = asRequestError(error);
      if (requestError?.status !== 422 || !/already exists/i.test(reasonOf(requestError))) {
        throw this.#apiError(`create ref "${ref}" at "${sha}"`, error);
      }
    }
    this.#logger.debug(`speculative ref ${ref} exists; resetting it to ${sha}`);
    try {
      await this.#octokit.rest.git.updateRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${ref}`,
        sha,
        force: true,
      });
    } catch (error) {
      throw this.#apiError(`reset ref "${ref}" to "${sha}"`, error);
    }
  }

  async #deleteRefQuietly(ref: string): Promise<void> {
    try {
      await this.#octokit.rest.git.deleteRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${ref}`,
      });
    } catch (error) {
      this.#logger.warn(
        `could not delete speculative ref ${ref}: ${String(asRequestError(error)?.status)}`,
      );
    }
  }

  #checkQueue(queue: QueueId): void {
    if (queue.repo !== this.#repo)
      throw new RepositoryMismatchError({ expected: this.#repo, actual: queue.repo });
  }

  #apiError(operation: string, error: unknown): GitHubApiError {
    const requestError = asRequestError(error);
    return new GitHubApiError(
      {
        operation,
        repo: this.#repo,
        status: requestError?.status ?? 0,
        reason: requestError === undefined ? String(error) : reasonOf(requestError),
      },
      { cause: error },
    );
  }
}
