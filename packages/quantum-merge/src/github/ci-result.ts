/**
 * The result of a speculative build: the required checks on its commit, read from GitHub.
 *
 * @module
 */
import type { Octokit } from '@octokit/rest';
import type { Logger } from '@velocity/core';
import type { CiResult } from '../runtime/event-router.js';
import { readCheckStates } from './requirements.js';

/**
 * Decides a speculative build from the required checks on its commit: `failed` as soon as one required
 * check failed (with a link to it), `passed` once every one succeeded, else `pending`.
 *
 * @remarks
 * A check run counts with conclusion success, neutral or skipped; any other conclusion (failure,
 * cancelled, timed_out, action_required, stale) fails. A commit status counts with success; failure or
 * error fails. The latest run of a name wins, so a re-run that passes replaces a failure.
 *
 * @param repo - `owner/name`
 * @param requiredChecks - check run names or status contexts; with none the result stays `pending`
 * @throws `GitHubApiError` when GitHub cannot be read
 */
export async function readCiResult(
  octokit: Octokit,
  repo: string,
  sha: string,
  requiredChecks: readonly string[],
  options: { logger?: Pick<Logger, 'debug'> } = {},
): Promise<CiResult> {
  // Nothing required means nothing can pass: a build is never decided by the absence of checks.
  if (requiredChecks.length === 0) return { outcome: 'pending' };
  const states = await readCheckStates(octokit, repo, sha, options);
  let pending = false;
  for (const name of requiredChecks) {
    const state = states.get(name);
    if (state === undefined || state.verdict === 'pending') {
      pending = true;
      continue;
    }
    if (state.verdict === 'failed') {
      return {
        outcome: 'failed',
        reason: `check "${name}" ended ${state.detail}`,
        ...(state.url === undefined ? {} : { url: state.url }),
      };
    }
  }
  if (pending) return { outcome: 'pending' };
  const first = states.get(requiredChecks[0] ?? '');
  return { outcome: 'passed', ...(first?.url === undefined ? {} : { url: first.url }) };
}
