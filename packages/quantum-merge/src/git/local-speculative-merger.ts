/**
 * Speculative merges built in a local bare clone with git plumbing and pushed to the remote, for
 * self-hosted queues (any git server) and for tests.
 *
 * @module
 */
import type { Logger } from '@velocity/core';
import {
  BaseNotFastForwardError,
  HeadNotFastForwardError,
  RepositoryMismatchError,
  SpeculativeMergeConflictError,
} from '../github/errors.js';
import {
  speculativeRefName,
  type MergeMethod,
  type SpeculativeHead,
  type SpeculativeMerger,
  type SpeculativeRefResult,
} from '../merge/speculative-merger.js';
import type { QueueId } from '../scheduler/types.js';
import { BranchNotFoundError } from './errors.js';
import type { CloneSession, LocalClone } from './local-clone.js';

/** Options of {@link LocalGitSpeculativeMerger}. */
export interface LocalGitSpeculativeMergerOptions {
  /** The clone of the repository to work in; may be shared with a `LocalExecutor`. */
  readonly clone: LocalClone;
  /** `owner/name` every queue given to this merger must have (the clone's remote). */
  readonly repo: string;
  /** How heads are applied. @defaultValue `'merge'` */
  readonly mergeMethod?: MergeMethod;
  /** Logger. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug' | 'warn'>;
}

/**
 * A {@link SpeculativeMerger} that builds speculative commits in a {@link LocalClone} without a work tree
 * (except for `rebase`) and pushes them.
 *
 * @remarks
 * Per head, on tip T (the base, then the previous result), a head already contained in T adds nothing
 * (as GitHub's merges API answers 204); otherwise:
 * - `merge`: `git merge-tree --write-tree T H` (git 2.38+; exit 1 is a conflict) gives the tree of the
 *   merge, and `git commit-tree` a commit with parents T and H.
 * - `squash`: the same tree in a commit with parent T only, authored by H's author, message
 *   `<title> (#<pr>)`.
 * - `rebase`: `git rebase T` with H checked out in a temporary worktree: the commits of T..H that are
 *   not merges and whose patches T does not already contain are replayed, authors kept. A temporary
 *   worktree because cherry-picking onto another merge base without one needs
 *   `git merge-tree --merge-base` (git 2.40) or `git replay` (2.44). Costs one checkout per head.
 * - `fast-forward`: H itself, only if it descends from T; otherwise {@link HeadNotFastForwardError}.
 *
 * The result goes to `refs/heads/velocity-mq/<base>/<buildId>` in one forced push; the base branch only
 * moves by a push without force, so the remote refuses anything but a fast-forward. Every method runs
 * inside {@link LocalClone.exclusive}: one at a time per clone in this process. Committer dates are the
 * current time, so re-creating a build gives the same tree under a new sha.
 *
 * @see {@link https://git-scm.com/docs/git-merge-tree | git merge-tree --write-tree}
 * @see {@link https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/configuring-pull-request-merges/about-merge-methods-on-github | merge methods on GitHub}
 */
export class LocalGitSpeculativeMerger implements SpeculativeMerger {
  readonly mergeMethod: MergeMethod;
  readonly #clone: LocalClone;
  readonly #repo: string;
  readonly #logger: Pick<Logger, 'debug' | 'warn'>;

  constructor(options: LocalGitSpeculativeMergerOptions) {
    this.mergeMethod = options.mergeMethod ?? 'merge';
    this.#clone = options.clone;
    this.#repo = options.repo;
    this.#logger = options.logger ?? { debug: () => {}, warn: () => {} };
  }

  /**
   * The current tip of the base branch on the remote (`git ls-remote`).
   *
   * @throws {@link BranchNotFoundError} when the base branch does not exist
   * @throws `GitCommandError` when the remote cannot be reached
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  baseSha(queue: QueueId): Promise<string> {
    this.#checkQueue(queue);
    return this.#clone.exclusive(async (session) => {
      const sha = await session.remoteBranch(queue.base);
      if (sha === undefined) {
        throw new BranchNotFoundError({ branch: queue.base, remote: this.#clone.remote });
      }
      return sha;
    });
  }

  /**
   * Creates (or resets) `refs/heads/velocity-mq/<base>/<buildId>` at `baseSha` with each head applied in
   * order by {@link LocalGitSpeculativeMerger.mergeMethod}, in one push.
   *
   * @param heads - PRs in queue order; the first is applied directly onto `baseSha`
   * @returns the speculative branch and the commit CI must test
   * @throws {@link SpeculativeMergeConflictError} naming the first head that conflicts, or
   *   {@link HeadNotFastForwardError} the first that does not descend from the tip (`fast-forward`); the
   *   ref is deleted if an earlier call had created it
   * @throws `CommitNotFoundError` when `baseSha` or a head is not on the remote
   * @throws `GitCommandError` when git fails otherwise (remote unreachable, push refused)
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  createSpeculativeRef(
    queue: QueueId,
    buildId: string,
    baseSha: string,
    heads: readonly SpeculativeHead[],
  ): Promise<SpeculativeRefResult> {
    this.#checkQueue(queue);
    const ref = speculativeRefName(queue, buildId);
    return this.#clone.exclusive(async (session) => {
      await session.ensureCommits([baseSha, ...heads.map((head) => head.headSha)]);
      let tip = baseSha;
      for (const head of heads) {
        const next = await this.#apply(session, tip, head);
        if (next === undefined) {
          await this.#deleteQuietly(session, ref);
          const details = { pr: head.pr, headSha: head.headSha, ref, base: queue.base };
          throw this.mergeMethod === 'fast-forward'
            ? new HeadNotFastForwardError(details)
            : new SpeculativeMergeConflictError(details);
        }
        tip = next;
      }
      await session.pushBranch(tip, ref, { force: true });
      this.#logger.debug('Speculative ref pushed', { ref, sha: tip, heads: heads.length });
      return { ref, sha: tip };
    });
  }

  /**
   * Pushes `testedSha` to the base branch without force: the remote moves it only if that is a
   * fast-forward. Pushing the commit the base is already at succeeds.
   *
   * @throws {@link BaseNotFastForwardError} when `testedSha` does not descend from the base tip (nothing
   *   changed)
   * @throws `CommitNotFoundError` when `testedSha` is neither in the clone nor on the remote
   * @throws `GitCommandError` when the push fails otherwise (e.g. a protected branch refusing it)
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  fastForwardBase(queue: QueueId, testedSha: string): Promise<void> {
    this.#checkQueue(queue);
    return this.#clone.exclusive(async (session) => {
      await session.ensureCommits([testedSha]);
      if ((await session.pushBranch(testedSha, queue.base, { force: false })) === 'rejected') {
        throw new BaseNotFastForwardError({ base: queue.base, testedSha });
      }
    });
  }

  /**
   * Deletes a build's speculative ref on the remote.
   *
   * @returns `false` when it did not exist, so calling twice is safe
   * @throws `GitCommandError` when the remote cannot be reached or refuses
   * @throws {@link RepositoryMismatchError} when `queue.repo` is not this merger's repository
   */
  deleteSpeculativeRef(queue: QueueId, buildId: string): Promise<boolean> {
    this.#checkQueue(queue);
    const ref = speculativeRefName(queue, buildId);
    return this.#clone.exclusive((session) => session.deleteRemoteBranch(ref));
  }

  /** The commit of `head` applied onto `tip`, or `undefined` when it does not apply. */
  async #apply(
    session: CloneSession,
    tip: string,
    head: SpeculativeHead,
  ): Promise<string | undefined> {
    if (await session.isAncestor(head.headSha, tip)) return tip;
    switch (this.mergeMethod) {
      case 'fast-forward':
        return (await session.isAncestor(tip, head.headSha)) ? head.headSha : undefined;
      case 'merge': {
        const tree = await mergeTree(session, tip, head.headSha);
        if (tree === undefined) return undefined;
        const title = head.title === undefined ? '' : `\n\n${head.title}`;
        return commitTree(
          session,
          tree,
          [tip, head.headSha],
          `Merge pull request #${head.pr}${title}\n`,
        );
      }
      case 'squash': {
        const tree = await mergeTree(session, tip, head.headSha);
        if (tree === undefined) return undefined;
        const { stdout } = await session.git(['show', '-s', '--format=%an%x00%ae', head.headSha]);
        const [name = '', email = ''] = stdout.trim().split('\0');
        return commitTree(
          session,
          tree,
          [tip],
          `${head.title ?? `PR #${head.pr}`} (#${head.pr})\n`,
          { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email },
        );
      }
      case 'rebase':
        return rebase(session, tip, head.headSha);
    }
  }

  async #deleteQuietly(session: CloneSession, ref: string): Promise<void> {
    try {
      await session.deleteRemoteBranch(ref);
    } catch (error) {
      this.#logger.warn('Could not delete the speculative ref', {
        ref,
        error: String(error),
      });
    }
  }

  #checkQueue(queue: QueueId): void {
    if (queue.repo !== this.#repo) {
      throw new RepositoryMismatchError({ expected: this.#repo, actual: queue.repo });
    }
  }
}

/** The tree of merging `head` into `tip`, or `undefined` on a conflict. */
async function mergeTree(
  session: CloneSession,
  tip: string,
  head: string,
): Promise<string | undefined> {
  const result = await session.git(['merge-tree', '--write-tree', '--no-messages', tip, head], {
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0 ? result.stdout.split('\n', 1)[0] : undefined;
}

/** Writes a commit of `tree` with `parents` and `message` (given on stdin) and returns its sha. */
async function commitTree(
  session: CloneSession,
  tree: string,
  parents: readonly string[],
  message: string,
  env?: Readonly<Record<string, string>>,
): Promise<string> {
  const { stdout } = await session.git(
    ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent])],
    { input: message, ...(env === undefined ? {} : { env }) },
  );
  return stdout.trim();
}

/** `head`'s commits replayed onto `tip` in a temporary worktree, or `undefined` on a conflict. */
async function rebase(
  session: CloneSession,
  tip: string,
  head: string,
): Promise<string | undefined> {
  const dir = await session.temporaryDirectory();
  try {
    await session.addWorktree(dir, head);
    try {
      await session.git(['rebase', '--quiet', tip], { worktree: dir });
    } catch (error) {
      const unmerged = await session.git(['ls-files', '--unmerged'], { worktree: dir });
      if (unmerged.stdout === '') throw error;
      return undefined;
    }
    const { stdout } = await session.git(['rev-parse', 'HEAD'], { worktree: dir });
    return stdout.trim();
  } finally {
    await session.removeWorktree(dir);
  }
}
