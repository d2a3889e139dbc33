/**
 * Speculative merges on GitHub through the git and merges REST APIs.
 *
 * @module
 */
import type { Logger } from '@velocity/core';
import type { Octokit } from '@octokit/rest';
import {
  speculativeRefName,
  type MergeMethod,
  type SpeculativeHead,
  type SpeculativeMerger,
  type SpeculativeRefResult,
} from '../merge/speculative-merger.js';
import type { QueueId } from '../scheduler/types.js';
import {
  asRequestError,
  parseRepositoryName,
  requestErrorReason,
  toGitHubApiError,
} from './auth.js';
import {
  BaseNotFastForwardError,
  HeadNotFastForwardError,
  MergeMethodUnsupportedError,
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
  type GitHubApiError,
} from './errors.js';

/** States {@link GitHubSpeculativeMerger.reportStatus} can report for a queued PR's head or a build. */
export const REPORT_STATES = ['queued', 'in_progress', 'success', 'failure', 'cancelled'] as const;

/** One of {@link REPORT_STATES}: `queued`/`in_progress` are pending; the rest are final. */
export type ReportState = (typeof REPORT_STATES)[number];

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
  readonly title: string;
  /** Login of the PR's author; `ghost` when the account was deleted, as github.com shows it. */
  readonly author: string;
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
  /**
   * How heads are applied onto speculative refs. `rebase` is refused: the REST API cannot replay commits.
   * @defaultValue `'merge'`
   */
  readonly mergeMethod?: MergeMethod;
  /** Logger. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug' | 'warn'>;
}

/** GitHub's limit on a commit status description, in characters. */
const STATUS_DESCRIPTION_MAX = 140;

const noop = (): void => {};

/**
 * Creates speculative commits on temporary branches, fast-forwards the base branch to tested commits, and
 * reports progress on PRs, for one repository.
 *
 * @remarks
 * A speculative build for entry k is the base plus entries 1..k applied in queue order on
 * `velocity-mq/<base>/<buildId>`, created with one `POST /repos/{owner}/{repo}/git/refs` and then, per
 * entry, by merge method:
 *
 * - `merge`: one `POST /merges` (a two-parent merge commit), so k + 1 writes;
 * - `squash`: the same merge to get the merged tree, then `POST /git/commits` with that tree and the previous
 *   tip as only parent, message `<title> (#<pr>)`, then a forced ref update, so 3k + 1 writes;
 * - `fast-forward`: one `GET /compare` per entry (the head must descend from the tip, and becomes it), then
 *   one ref update, so 2 writes.
 *
 * `rebase` cannot be done through the API (it cannot replay commits). The base branch only ever moves by a
 * `force: false` ref update to the exact tested commit, so GitHub itself refuses any move that is not a
 * fast-forward.
 *
 * @see {@link https://docs.github.com/en/rest/branches/branches#merge-a-branch | Merge a branch}
 * @see {@link https://docs.github.com/en/rest/git/commits#create-a-commit | Create a commit}
 * @see {@link https://docs.github.com/en/rest/commits/commits#compare-two-commits | Compare two commits}
 * @see {@link https://docs.github.com/en/rest/git/refs#update-a-reference | Update a reference}
 */
export class GitHubSpeculativeMerger implements SpeculativeMerger {
  /** How heads are applied onto speculative refs; never `rebase`. */
  readonly mergeMethod: MergeMethod;
  readonly #method: Exclude<MergeMethod, 'rebase'>;
  readonly #octokit: Octokit;
  readonly #repo: string;
  readonly #owner: string;
  readonly #name: string;
  readonly #checkName: string;
  readonly #logger: Pick<Logger, 'debug' | 'warn'>;
  /** Check run id per commit sha, so later reports update the same run. */
  readonly #checkRuns = new Map<string, number>();
  #checkRunsUnavailable = false;

  /**
   * @throws {@link MergeMethodUnsupportedError} when `mergeMethod` is `rebase`
   * @throws {@link RepositoryMismatchError} when `repo` is not `owner/name`
   */
  constructor(options: GitHubSpeculativeMergerOptions) {
    const { owner, name } = parseRepositoryName(options.repo);
    const method = options.mergeMethod ?? 'merge';
    if (method === 'rebase') throw new MergeMethodUnsupportedError(method);
    this.mergeMethod = method;
    this.#method = method;
    this.#octokit = options.octokit;
    this.#repo = options.repo;
    this.#owner = owner;
    this.#name = name;
    this.#checkName = options.checkName ?? 'Quantum Merge';
    this.#logger = options.logger ?? { debug: noop, warn: noop };
  }

  /**
   * The current tip of the base branch.
   *
   * @returns 40 hex digits
   * @throws {@link GitHubApiError} when it cannot be read (404 when the branch does not exist)
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  async baseSha(queue: QueueId): Promise<string> {
    this.#checkQueue(queue);
    try {
      const { data } = await this.#octokit.rest.git.getRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${queue.base}`,
      });
      return data.object.sha;
    } catch (error) {
      throw this.#apiError(`read branch "${queue.base}"`, error);
    }
  }

  /**
   * Creates `refs/heads/velocity-mq/<base>/<buildId>` at `baseSha` and applies each head onto it in order,
   * by {@link GitHubSpeculativeMerger.mergeMethod}.
   *
   * @remarks
   * If the ref already exists (a retried job), it is reset to `baseSha` first, so the call is idempotent (a
   * squash commit is new each time, with the same tree). A head already contained in the tip adds no
   * commit.
   *
   * @param heads - PRs in queue order; the first is applied directly onto `baseSha`
   * @returns the speculative branch and the commit whose tree CI must test
   * @throws {@link SpeculativeMergeConflictError} when a head conflicts (`merge`, `squash`); names the first
   *   conflicting PR and deletes the ref
   * @throws {@link HeadNotFastForwardError} when a head does not descend from the tip (`fast-forward`);
   *   names the PR and deletes the ref
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
    const ref = speculativeRefName(queue, buildId);
    await this.#createOrResetRef(ref, baseSha);
    let sha = baseSha;
    for (const head of heads) {
      switch (this.#method) {
        case 'merge':
          sha = (await this.#mergeOnto(queue, ref, head))?.sha ?? sha;
          break;
        case 'squash':
          sha = await this.#squashOnto(queue, ref, sha, head);
          break;
        case 'fast-forward':
          sha = await this.#fastForwardTo(queue, ref, sha, head);
          break;
      }
      this.#logger.debug(`applied #${head.pr} onto ${ref} (${this.#method}): ${sha}`);
    }
    if (this.#method === 'fast-forward' && sha !== baseSha) {
      await this.#updateRef(ref, sha, false);
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
      if (requestError?.status === 422 && /fast.forward/i.test(requestErrorReason(requestError))) {
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
    const ref = speculativeRefName(queue, buildId);
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
   * Marks a PR landed by `squash` (or `rebase`) as done: comments `Merged by Quantum Merge as <sha>` and
   * closes it.
   *
   * @remarks
   * GitHub marks a PR merged only when its head commit reaches the base branch, which `merge` and
   * `fast-forward` do and `squash` does not; without this the PR stays open.
   *
   * @param mergedSha - the commit on the base branch that holds the PR's changes
   * @throws {@link GitHubApiError} when an API call fails
   */
  async closeAsMerged(pr: number, mergedSha: string): Promise<void> {
    await this.comment(pr, `Merged by Quantum Merge as ${mergedSha}`);
    try {
      await this.#octokit.rest.pulls.update({
        owner: this.#owner,
        repo: this.#name,
        pull_number: pr,
        state: 'closed',
      });
    } catch (error) {
      throw this.#apiError(`close pull request #${pr}`, error);
    }
  }

  /**
   * Adds a label to a PR (e.g. `merge-queue`); adding one it already has changes nothing.
   *
   * @throws {@link GitHubApiError} when the API call fails
   */
  async addLabel(pr: number, name: string): Promise<void> {
    try {
      await this.#octokit.rest.issues.addLabels({
        owner: this.#owner,
        repo: this.#name,
        issue_number: pr,
        labels: [name],
      });
    } catch (error) {
      throw this.#apiError(`add label "${name}" to #${pr}`, error);
    }
  }

  /**
   * Removes a label from a PR.
   *
   * @returns `false` when the PR did not have it, so calling twice is safe
   * @throws {@link GitHubApiError} when the API call fails (404 when there is no such PR)
   */
  async removeLabel(pr: number, name: string): Promise<boolean> {
    try {
      await this.#octokit.rest.issues.removeLabel({
        owner: this.#owner,
        repo: this.#name,
        issue_number: pr,
        name,
      });
      return true;
    } catch (error) {
      const requestError = asRequestError(error);
      // GitHub answers 404 both for a label the PR lacks and for a missing PR; only the message differs.
      if (
        requestError?.status === 404 &&
        /label does not exist/i.test(requestErrorReason(requestError))
      ) {
        return false;
      }
      throw this.#apiError(`remove label "${name}" from #${pr}`, error);
    }
  }

  /**
   * Whether `login` may push to the repository (permission `admin`, `maintain` or `write`): who may use
   * `/merge` commands.
   *
   * @throws {@link GitHubApiError} when the API call fails
   * @see {@link https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user | Get repository permissions for a user}
   */
  async hasWriteAccess(login: string): Promise<boolean> {
    try {
      const { data } = await this.#octokit.rest.repos.getCollaboratorPermissionLevel({
        owner: this.#owner,
        repo: this.#name,
        username: login,
      });
      return (
        data.permission === 'admin' || data.permission === 'maintain' || data.permission === 'write'
      );
    } catch (error) {
      if (asRequestError(error)?.status === 404) return false;
      throw this.#apiError(`read the permission of @${login}`, error);
    }
  }

  /**
   * Reads a PR's title, author, state, head and labels.
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
        title: data.title,
        author: data.user?.login ?? 'ghost',
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

  /**
   * Merges `head` onto the tip of `ref` with the merges API.
   *
   * @returns the merge commit, or `undefined` when the head is already contained (HTTP 204; `ref` did not
   *   move)
   */
  async #mergeOnto(
    queue: QueueId,
    ref: string,
    head: SpeculativeHead,
  ): Promise<{ sha: string; tree: string } | undefined> {
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
      if (asRequestError(error)?.status === 409) {
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
    if (response.status !== 201) return undefined;
    return { sha: response.data.sha, tree: response.data.commit.tree.sha };
  }

  /** Replaces the merge commit of `head` on `ref` by a single-parent commit with its tree; the new tip. */
  async #squashOnto(
    queue: QueueId,
    ref: string,
    tip: string,
    head: SpeculativeHead,
  ): Promise<string> {
    const merged = await this.#mergeOnto(queue, ref, head);
    if (merged === undefined) return tip;
    let squashed;
    try {
      ({
        data: { sha: squashed },
      } = await this.#octokit.rest.git.createCommit({
        owner: this.#owner,
        repo: this.#name,
        message: `${head.title ?? `PR #${head.pr}`} (#${head.pr})`,
        tree: merged.tree,
        parents: [tip],
      }));
    } catch (error) {
      throw this.#apiError(`create the squash commit of #${head.pr}`, error);
    }
    await this.#updateRef(ref, squashed, true);
    return squashed;
  }

  /**
   * The new tip when `head` can be fast-forwarded to from `tip`: the head itself, or `tip` when the head is
   * already contained in it.
   */
  async #fastForwardTo(
    queue: QueueId,
    ref: string,
    tip: string,
    head: SpeculativeHead,
  ): Promise<string> {
    let status;
    try {
      ({
        data: { status },
      } = await this.#octokit.rest.repos.compareCommitsWithBasehead({
        owner: this.#owner,
        repo: this.#name,
        basehead: `${tip}...${head.headSha}`,
        per_page: 1,
      }));
    } catch (error) {
      throw this.#apiError(`compare #${head.pr} (${head.headSha}) with "${ref}"`, error);
    }
    switch (status) {
      case 'ahead':
        return head.headSha;
      case 'identical':
      case 'behind':
        return tip;
      case 'diverged':
        await this.#deleteRefQuietly(ref);
        throw new HeadNotFastForwardError({
          pr: head.pr,
          headSha: head.headSha,
          ref,
          base: queue.base,
        });
    }
  }

  async #updateRef(ref: string, sha: string, force: boolean): Promise<void> {
    try {
      await this.#octokit.rest.git.updateRef({
        owner: this.#owner,
        repo: this.#name,
        ref: `heads/${ref}`,
        sha,
        force,
      });
    } catch (error) {
      throw this.#apiError(`move ref "${ref}" to "${sha}"`, error);
    }
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
      if (
        requestError?.status !== 422 ||
        !/already exists/i.test(requestErrorReason(requestError))
      ) {
        throw this.#apiError(`create ref "${ref}" at "${sha}"`, error);
      }
    }
    this.#logger.debug(`speculative ref ${ref} exists; resetting it to ${sha}`);
    await this.#updateRef(ref, sha, true);
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
    return toGitHubApiError(operation, this.#repo, error);
  }
}
