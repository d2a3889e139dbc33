/**
 * Whether a PR may enter the merge queue: enough approving reviews, no requested changes, and every
 * required check green on its head; and the state of every check on a commit.
 *
 * @module
 */
import type { Octokit } from '@octokit/rest';
import type { Logger } from '@velocity/core';
import { asRequestError, parseRepositoryName, toGitHubApiError } from './auth.js';

/** The PR to check. */
export interface RequirementsPullRequest {
  /** PR number. */
  readonly number: number;
  /** The head commit the checks must have passed on; 40 hex digits. */
  readonly headSha: string;
}

/** What a PR needs (`quantumMerge.requiredChecks`, the branch's required approvals). */
export interface PullRequestRequirements {
  /** Approving reviews needed, from distinct users whose latest review approves. */
  readonly requiredApprovals: number;
  /** Check run names or commit status contexts that must be green on the head. */
  readonly requiredChecks: readonly string[];
}

/** Options of {@link readCheckStates} and {@link checkPullRequestRequirements}. */
export interface ReadCheckStatesOptions {
  /** Told when check runs are unreadable and statuses alone decide. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug'>;
}

/** Where one check name stands on a commit, from its latest check run and latest commit status. */
export interface CheckState {
  /**
   * `passed`: the run completed as success, neutral or skipped, or the status is success. `failed`: the run
   * completed otherwise (failure, cancelled, timed_out, action_required, stale), or the status is failure
   * or error. `pending`: neither, i.e. the run is queued or in progress, or the status is pending.
   */
  readonly verdict: 'passed' | 'failed' | 'pending';
  /** What decided it: the run's conclusion (its status while not completed) or the status's state. */
  readonly detail: string;
  /** The run's `details_url` (else its `html_url`) or the status's `target_url`, when there is one. */
  readonly url?: string;
}

/**
 * The verdict of {@link checkPullRequestRequirements}: `reasons` are human-readable, one per unmet
 * requirement, in the order approvals, requested changes, checks (in `requiredChecks` order), e.g.
 * `needs 1 more approving review`, `changes requested by @bob`,
 * `check "lint" has not succeeded on abc1234 (failure)`, `check "test" has not run on abc1234`.
 */
export type RequirementsResult =
  { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

/** Check run conclusions that satisfy a required check, as in branch protection. */
const PASSING_CONCLUSIONS: ReadonlySet<string> = new Set(['success', 'neutral', 'skipped']);

/** Results per page; the REST maximum. */
const PER_PAGE = 100;

/**
 * Checks a PR's reviews and its head's check runs and commit statuses against `requirements`.
 *
 * @remarks
 * Reviews: each user's latest `APPROVED`, `CHANGES_REQUESTED` or `DISMISSED` review is their state
 * (`COMMENTED` and `PENDING` reviews do not change it; `DISMISSED` clears it). Checks: a required name
 * passes when {@link readCheckStates} says `passed`. Costs ⌈reviews/100⌉ requests, plus
 * ⌈check runs/100⌉ + ⌈statuses/100⌉ when `requiredChecks` is not empty.
 *
 * @param repo - `owner/name`
 * @throws {@link GitHubApiError} when a request fails (other than check runs answering 403/404)
 * @throws {@link RepositoryMismatchError} when `repo` is not `owner/name`
 * @see {@link https://docs.github.com/en/rest/pulls/reviews#list-reviews-for-a-pull-request | List reviews}
 */
export async function checkPullRequestRequirements(
  octokit: Octokit,
  repo: string,
  pr: RequirementsPullRequest,
  requirements: PullRequestRequirements,
  options: ReadCheckStatesOptions = {},
): Promise<RequirementsResult> {
  const { owner, name } = parseRepositoryName(repo);
  const reasons: string[] = [];

  let reviews;
  try {
    reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      owner,
      repo: name,
      pull_number: pr.number,
      per_page: PER_PAGE,
    });
  } catch (error) {
    throw toGitHubApiError(`list reviews of #${pr.number}`, repo, error);
  }
  // Reviews come oldest first; a later decisive review replaces the user's earlier one.
  const latest = new Map<string, 'APPROVED' | 'CHANGES_REQUESTED'>();
  for (const review of reviews) {
    const login = review.user?.login;
    if (login === undefined) continue;
    if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED') {
      latest.set(login, review.state);
    } else if (review.state === 'DISMISSED') {
      latest.delete(login);
    }
  }
  const approvals = [...latest.values()].filter((state) => state === 'APPROVED').length;
  const missing = requirements.requiredApprovals - approvals;
  if (missing > 0) {
    reasons.push(`needs ${missing} more approving review${missing === 1 ? '' : 's'}`);
  }
  for (const [login, state] of latest) {
    if (state === 'CHANGES_REQUESTED') reasons.push(`changes requested by @${login}`);
  }

  if (requirements.requiredChecks.length > 0) {
    const states = await readCheckStates(octokit, repo, pr.headSha, options);
    const short = pr.headSha.slice(0, 7);
    for (const check of requirements.requiredChecks) {
      const state = states.get(check);
      if (state === undefined) reasons.push(`check "${check}" has not run on ${short}`);
      else if (state.verdict !== 'passed') {
        reasons.push(`check "${check}" has not succeeded on ${short} (${state.detail})`);
      }
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/**
 * The state of every check name on commit `sha`: check runs by name and commit statuses by context.
 *
 * @remarks
 * The latest check run of a name (highest id) and the latest status of a context count, so a re-run that
 * passes replaces a failure. When both exist for one name, `passed` wins over `failed`, which wins over
 * `pending`. When check runs answer 403 or 404 (a classic token, or an App without `checks:read`),
 * statuses alone decide. Costs ⌈check runs/100⌉ + ⌈statuses/100⌉ requests.
 *
 * @param repo - `owner/name`
 * @param sha - the commit, 40 hex digits
 * @returns check name → its state; names with neither a run nor a status are absent
 * @throws {@link GitHubApiError} when a request fails (other than check runs answering 403/404)
 * @throws {@link RepositoryMismatchError} when `repo` is not `owner/name`
 * @see {@link https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference | List check runs for a ref}
 * @see {@link https://docs.github.com/en/rest/commits/statuses#get-the-combined-status-for-a-specific-reference | Combined status}
 */
export async function readCheckStates(
  octokit: Octokit,
  repo: string,
  sha: string,
  options: ReadCheckStatesOptions = {},
): Promise<Map<string, CheckState>> {
  const { owner, name } = parseRepositoryName(repo);
  const states = await latestCheckRuns(octokit, owner, name, repo, sha, options.logger);
  const rank = { passed: 2, failed: 1, pending: 0 } as const;
  for (const [context, state] of await latestStatuses(octokit, owner, name, repo, sha)) {
    const run = states.get(context);
    if (run === undefined || rank[state.verdict] > rank[run.verdict]) states.set(context, state);
  }
  return states;
}

/** The state of the latest (highest id) check run per name on `sha`; empty when they are unreadable. */
async function latestCheckRuns(
  octokit: Octokit,
  owner: string,
  name: string,
  repo: string,
  sha: string,
  logger: Pick<Logger, 'debug'> | undefined,
): Promise<Map<string, CheckState>> {
  let runs;
  try {
    runs = await octokit.paginate(octokit.rest.checks.listForRef, {
      owner,
      repo: name,
      ref: sha,
      filter: 'latest',
      per_page: PER_PAGE,
    });
  } catch (error) {
    const status = asRequestError(error)?.status;
    if (status !== 403 && status !== 404) {
      throw toGitHubApiError(`list check runs on "${sha}"`, repo, error);
    }
    logger?.debug(`check runs unreadable (HTTP ${status}); required checks use commit statuses`);
    return new Map();
  }
  const latest = new Map<string, (typeof runs)[number]>();
  for (const run of runs) {
    const seen = latest.get(run.name);
    if (seen === undefined || run.id > seen.id) latest.set(run.name, run);
  }
  const byName = new Map<string, CheckState>();
  for (const [runName, run] of latest) {
    const url = run.details_url ?? run.html_url ?? undefined;
    byName.set(runName, {
      verdict:
        run.status !== 'completed'
          ? 'pending'
          : run.conclusion !== null && PASSING_CONCLUSIONS.has(run.conclusion)
            ? 'passed'
            : 'failed',
      detail: run.status === 'completed' ? (run.conclusion ?? run.status) : run.status,
      ...(url === undefined ? {} : { url }),
    });
  }
  return byName;
}

/** The state of the latest commit status per context on `sha`. */
async function latestStatuses(
  octokit: Octokit,
  owner: string,
  name: string,
  repo: string,
  sha: string,
): Promise<Map<string, CheckState>> {
  const byContext = new Map<string, CheckState>();
  // The combined status is an object, not a list, so octokit.paginate cannot walk it; its `statuses` are
  // already the latest per context.
  for (let page = 1; ; page++) {
    let data;
    try {
      ({ data } = await octokit.rest.repos.getCombinedStatusForRef({
        owner,
        repo: name,
        ref: sha,
        per_page: PER_PAGE,
        page,
      }));
    } catch (error) {
      throw toGitHubApiError(`read the combined status of "${sha}"`, repo, error);
    }
    for (const status of data.statuses) {
      if (byContext.has(status.context)) continue;
      byContext.set(status.context, {
        verdict:
          status.state === 'success' ? 'passed' : status.state === 'pending' ? 'pending' : 'failed',
        detail: status.state,
        ...(status.target_url === null ? {} : { url: status.target_url }),
      });
    }
    if (data.statuses.length < PER_PAGE || byContext.size >= data.total_count) return byContext;
  }
}
