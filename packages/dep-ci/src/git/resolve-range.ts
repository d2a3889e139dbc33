import { readFile } from 'node:fs/promises';
import {
  BaseRefNotFoundError,
  GitError,
  GitHubEventError,
  HeadRefNotFoundError,
} from '../errors.js';
import { tryGit, type GitOptions } from './exec-git.js';
import { isShallow } from './repository.js';

/**
 * Where the base commit came from.
 *
 * - `flag`: `--base` as given
 * - `github-pr`: a GitHub Actions pull request, `GITHUB_BASE_REF`
 * - `github-push`: a GitHub Actions push, the event's `before` commit
 * - `github-merge-group`: a GitHub merge queue build, the event's `merge_group.base_sha`
 * - `default-branch`: the merge base of head with the default branch
 */
export type RangeSource =
  'flag' | 'github-pr' | 'github-push' | 'github-merge-group' | 'default-branch';

/** Options of {@link resolveRange}. */
export interface ResolveRangeOptions extends GitOptions {
  /** The work tree's root (absolute). */
  root: string;
  /** Base commit, any revision git understands (`--base`); used as given, not as a merge base. */
  base?: string;
  /** Head commit, any revision git understands (`--head`). @defaultValue `'HEAD'` */
  head?: string;
  /**
   * The default branch's name (config `depCi.baseBranch`). When set, the default-branch base is looked
   * up as `origin/<name>`, then `<name>`, instead of `origin/HEAD`, `origin/main`, `origin/master`,
   * `main`, `master`.
   */
  baseBranch?: string;
  /**
   * The environment: git runs with it, and it tells GitHub Actions events apart (`GITHUB_ACTIONS`,
   * `GITHUB_BASE_REF`, `GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`).
   */
  env: Readonly<Record<string, string | undefined>>;
}

/** The commits to compare, from {@link resolveRange}. */
export interface ResolvedRange {
  /** Base commit, full sha. */
  base: string;
  /** Head commit, full sha. */
  head: string;
  /** The base as named: `--base` as given, `origin/main`, or the push event's `before` sha. */
  baseRef: string;
  /** Where the base came from. */
  source: RangeSource;
}

const NULL_SHA = /^0+$/;

/**
 * The full sha of the commit `ref` names, or undefined when there is none.
 *
 * @privateRemarks `--end-of-options` keeps a ref that starts with `-` from being read as an option.
 */
async function resolveCommit(
  root: string,
  ref: string,
  options: GitOptions,
): Promise<string | undefined> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const output = await tryGit(args, root, options);
  if (output.exitCode === 0) return output.stdout.trim();
  if (output.exitCode === 1) return undefined;
  throw new GitError(args, output.exitCode, output.stderr);
}

/** The first of `refs` that names a commit, with its sha. */
async function firstCommit(
  root: string,
  refs: readonly string[],
  options: GitOptions,
): Promise<{ ref: string; sha: string } | undefined> {
  for (const ref of refs) {
    const sha = await resolveCommit(root, ref, options);
    if (sha !== undefined) return { ref, sha };
  }
  return undefined;
}

/** The merge base of two commits, or undefined when they share no ancestor. */
async function mergeBase(
  root: string,
  a: string,
  b: string,
  options: GitOptions,
): Promise<string | undefined> {
  const args = ['merge-base', a, b];
  const output = await tryGit(args, root, options);
  if (output.exitCode === 0) return output.stdout.trim();
  if (output.exitCode === 1) return undefined;
  throw new GitError(args, output.exitCode, output.stderr);
}

/** The default branch's candidate names, best first. */
async function defaultBranchCandidates(
  root: string,
  baseBranch: string | undefined,
  options: GitOptions,
): Promise<string[]> {
  if (baseBranch !== undefined) return [`origin/${baseBranch}`, baseBranch];
  const output = await tryGit(
    ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'],
    root,
    options,
  );
  const remoteHead = output.exitCode === 0 ? output.stdout.trim() : '';
  const candidates = ['origin/main', 'origin/master', 'main', 'master'];
  if (remoteHead.startsWith('refs/remotes/')) {
    candidates.unshift(remoteHead.slice('refs/remotes/'.length));
  }
  return candidates;
}

/** GitHub Actions events whose payload names the base commit, and where. */
const EVENT_BASES: Readonly<Record<string, { field: EventSha; source: RangeSource } | undefined>> =
  {
    push: { field: 'before', source: 'github-push' },
    merge_group: { field: 'merge_group.base_sha', source: 'github-merge-group' },
  };

/** A commit sha field of a GitHub event: `before` of a push, `merge_group.base_sha` of a merge queue build. */
type EventSha = 'before' | 'merge_group.base_sha';

/**
 * Reads a commit sha from the GitHub event file; undefined for all zeros (a push that made a new branch).
 *
 * @throws {@link GitHubEventError} when the file cannot be read, is not JSON, or has no such sha
 */
async function eventSha(path: string, field: EventSha): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GitHubEventError(path, (error as NodeJS.ErrnoException).code ?? 'unreadable', {
      cause: error,
    });
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new GitHubEventError(path, 'not valid JSON');
  }
  let value: unknown = event;
  for (const key of field.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  if (typeof value !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(value)) {
    throw new GitHubEventError(path, `no "${field}" commit sha`);
  }
  return NULL_SHA.test(value) ? undefined : value;
}

/** The merge base of head with the first of `refs` that exists, as a range. */
async function mergeBaseRange(
  root: string,
  refs: readonly string[],
  head: { ref: string; sha: string },
  source: RangeSource,
  options: GitOptions,
): Promise<ResolvedRange> {
  const found = await firstCommit(root, refs, options);
  const name = refs[0] as string;
  if (found === undefined) {
    throw new BaseRefNotFoundError(name, { shallow: await isShallow(root, options) });
  }
  const base = await mergeBase(root, found.sha, head.sha, options);
  if (base === undefined) {
    throw new BaseRefNotFoundError(found.ref, {
      shallow: await isShallow(root, options),
      problem: 'no-merge-base',
      head: head.ref,
    });
  }
  return { base, head: head.sha, baseRef: found.ref, source };
}

/**
 * Chooses the two commits whose difference is "the change": `--base`/`--head`, the GitHub Actions event,
 * or the default branch.
 *
 * @remarks
 * Head is `options.head`, else `HEAD`. Base is the first that applies:
 * 1. `--base` (`flag`): used exactly as given, like `git diff <base> <head>`; it is not replaced by a
 *    merge base, so pass `$(git merge-base origin/main HEAD)` for "what this branch added".
 * 2. A GitHub Actions pull request (`GITHUB_ACTIONS=true`, `GITHUB_BASE_REF` set) (`github-pr`): the merge
 *    base of head with `origin/<GITHUB_BASE_REF>`, else with `<GITHUB_BASE_REF>`.
 * 3. A GitHub Actions push (`GITHUB_EVENT_NAME=push`) (`github-push`): the event's `before` commit (read
 *    from the JSON at `GITHUB_EVENT_PATH`), unless it is all zeros (a new branch), which falls through.
 *    A merge queue build (`GITHUB_EVENT_NAME=merge_group`) (`github-merge-group`): the event's
 *    `merge_group.base_sha`, the target branch's tip the queued changes go on.
 * 4. The default branch (`default-branch`): the merge base of head with `origin/<baseBranch>` or
 *    `<baseBranch>` when `baseBranch` is set; else with the first of `origin/HEAD`'s target,
 *    `origin/main`, `origin/master`, `main`, `master` that exists.
 *
 * A handful of git processes.
 *
 * @see {@link https://docs.github.com/en/actions/reference/variables-reference#default-environment-variables}
 * @see {@link https://docs.github.com/en/webhooks/webhook-events-and-payloads#push}
 * @see {@link https://docs.github.com/en/webhooks/webhook-events-and-payloads#merge_group}
 * @param options - see {@link ResolveRangeOptions}
 * @returns the base and head shas, the base as named, and where it came from
 * @throws {@link BaseRefNotFoundError} when the base commit, or its merge base with head, is not in the
 *   repository; the message says whether the clone is shallow and how to fetch more
 * @throws {@link HeadRefNotFoundError} when head names no commit
 * @throws {@link GitHubEventError} when a push or merge queue event's file cannot be read or lacks its sha
 * @throws {@link GitError} when git fails otherwise
 */
export async function resolveRange(options: ResolveRangeOptions): Promise<ResolvedRange> {
  const { root, env } = options;
  const gitOptions: GitOptions = {
    env,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const headRef = options.head ?? 'HEAD';
  const headSha = await resolveCommit(root, headRef, gitOptions);
  if (headSha === undefined) throw new HeadRefNotFoundError(headRef);
  const head = { ref: headRef, sha: headSha };

  if (options.base !== undefined) {
    const base = await resolveCommit(root, options.base, gitOptions);
    if (base === undefined) {
      throw new BaseRefNotFoundError(options.base, { shallow: await isShallow(root, gitOptions) });
    }
    return { base, head: head.sha, baseRef: options.base, source: 'flag' };
  }

  const inActions = env.GITHUB_ACTIONS === 'true';
  const baseRef = env.GITHUB_BASE_REF;
  if (inActions && baseRef !== undefined && baseRef !== '') {
    return mergeBaseRange(root, [`origin/${baseRef}`, baseRef], head, 'github-pr', gitOptions);
  }
  const eventPath = env.GITHUB_EVENT_PATH;
  const eventField = EVENT_BASES[env.GITHUB_EVENT_NAME ?? ''];
  if (inActions && eventField !== undefined && eventPath !== undefined && eventPath !== '') {
    const sha = await eventSha(eventPath, eventField.field);
    if (sha !== undefined) {
      const base = await resolveCommit(root, sha, gitOptions);
      if (base === undefined) {
        throw new BaseRefNotFoundError(sha, { shallow: await isShallow(root, gitOptions) });
      }
      return { base, head: head.sha, baseRef: sha, source: eventField.source };
    }
  }
  const candidates = await defaultBranchCandidates(root, options.baseBranch, gitOptions);
  return mergeBaseRange(root, candidates, head, 'default-branch', gitOptions);
}
