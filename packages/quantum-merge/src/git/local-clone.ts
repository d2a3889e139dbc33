/**
 * A bare clone of one remote repository in a local work directory, shared by the local speculative merger
 * and the local executor, with every operation on it serialized within the process.
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@velocity/core';
import { CommitNotFoundError } from './errors.js';
import {
  GitRunner,
  type GitCommandError,
  type GitIdentity,
  type GitResult,
  type GitRunnerOptions,
} from './git-runner.js';

/** Options of {@link LocalClone}. */
export interface LocalCloneOptions {
  /**
   * Directory of the clone (absolute), created on first use: `repo.git` (the bare repository) and `tmp/`
   * (temporary worktrees, emptied when the clone is opened). A clone left there by an earlier process is
   * reused; two processes must not use the same directory at once.
   */
  readonly workDir: string;
  /**
   * The remote: a URL (`https://github.com/o/r.git`, `ssh://…`, `git@host:o/r.git`) or an absolute path
   * to a local repository. A password in an https URL works but is better given as `token`.
   */
  readonly remote: string;
  /**
   * A token for an http(s) remote (GitHub installation token or PAT), sent as
   * `Authorization: Basic base64("x-access-token:<token>")` to the remote's origin only, through
   * `http.<origin>/.extraHeader` in the environment: never on a command line, in a config file or in an
   * error message. Ignored for other remotes. @defaultValue none
   */
  readonly token?: string;
  /** Committer of the commits written in the clone. @defaultValue `DEFAULT_GIT_IDENTITY` */
  readonly identity?: GitIdentity;
  /**
   * More git config for every command (e.g. `http.proxy`, `http.sslCAInfo`, `protocol.version`): user
   * and system config are not read. @defaultValue none
   */
  readonly config?: Readonly<Record<string, string>>;
  /** The environment git starts from. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Most time one git command may run, in ms. @defaultValue 600000 */
  readonly timeoutMs?: number;
  /** Logger. @defaultValue no-op */
  readonly logger?: Pick<Logger, 'debug'>;
}

/** Options of {@link CloneSession.git}. */
export interface CloneGitOptions {
  /** Run in this worktree of the clone (absolute path) instead of the bare repository. */
  readonly worktree?: string;
  /** Written to git's stdin. */
  readonly input?: string;
  /** Variables added to the command's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are results. @defaultValue `[0]` */
  readonly okExitCodes?: readonly number[];
}

/**
 * What may be done with a {@link LocalClone} while holding it (inside {@link LocalClone.exclusive}).
 * Branch names are given without `refs/heads/`; shas are full hex object names.
 */
export interface CloneSession {
  /** Path of the bare repository (absolute). */
  readonly gitDir: string;
  /**
   * Runs `git <args>` in the bare repository (or in `options.worktree`).
   *
   * @throws {@link GitCommandError} as {@link GitRunner.run} does
   */
  git(args: readonly string[], options?: CloneGitOptions): Promise<GitResult>;
  /**
   * The error to throw for a result (an `okExitCodes` code) that turns out to be a failure.
   *
   * @param args - the arguments the command ran with
   * @param result - what {@link CloneSession.git} returned
   */
  commandError(args: readonly string[], result: GitResult): GitCommandError;
  /**
   * Makes sure each sha names a commit in the clone, fetching the missing ones from the remote.
   *
   * @remarks
   * Missing commits are first fetched by sha (accepted by GitHub and by git's protocol v2); whatever is
   * still missing then comes from fetching `refs/heads/*` and `refs/pull/*\/head` into the private
   * `refs/quantum-merge/` namespace. No ref the remote sees changes.
   *
   * @throws {@link CommitNotFoundError} for the first sha that is not a full hex object name or still
   *   names no commit
   * @throws {@link GitCommandError} when the remote cannot be reached
   */
  ensureCommits(shas: readonly string[]): Promise<void>;
  /** Whether commit `ancestor` is `descendant` or one of its ancestors (both in the clone). */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /**
   * The sha of a branch on the remote, or `undefined` when it does not exist (`git ls-remote`).
   *
   * @throws {@link GitCommandError} when the remote cannot be reached
   */
  remoteBranch(branch: string): Promise<string | undefined>;
  /**
   * Sets a branch on the remote to `sha` (a commit in the clone) with one `git push`.
   *
   * @param options - `force`: also when that is not a fast-forward
   * @returns `rejected` when, without `force`, the remote branch does not descend to `sha` (the remote
   *   tip is not an ancestor of `sha`, or is unknown to the clone); `pushed` otherwise, also when the
   *   branch already was at `sha`
   * @throws {@link GitCommandError} for any other failure, e.g. a protected branch's hook refusing it
   */
  pushBranch(sha: string, branch: string, options: { force: boolean }): Promise<PushResult>;
  /**
   * Deletes a branch on the remote.
   *
   * @returns `false` when it did not exist
   * @throws {@link GitCommandError} when the remote cannot be reached or refuses
   */
  deleteRemoteBranch(branch: string): Promise<boolean>;
  /** Checks commit `sha` out, detached, into a new worktree at `dir` (absolute), replacing anything there. */
  addWorktree(dir: string, sha: string): Promise<void>;
  /** Deletes the worktree at `dir` and the clone's record of it; a missing `dir` is fine. */
  removeWorktree(dir: string): Promise<void>;
  /** A new empty directory under the clone's `tmp/`, e.g. for a worktree the caller removes again. */
  temporaryDirectory(): Promise<string>;
}

/** Outcome of {@link CloneSession.pushBranch}. */
export type PushResult = 'pushed' | 'rejected';

/** The name the remote is configured under (through the environment only). */
const REMOTE_NAME = 'quantum-merge';

/** Where branches and PR heads land when commits cannot be fetched by sha. */
const FETCH_ALL_REFSPECS = [
  '+refs/heads/*:refs/quantum-merge/heads/*',
  '+refs/pull/*/head:refs/quantum-merge/pull/*',
] as const;

/** A full object name: SHA-1 or SHA-256. Anything else could be read by git as an option or a ref. */
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A `git push --porcelain` line meaning "not a fast-forward". */
const NOT_FAST_FORWARD = /^!\t[^\t]*\t\[rejected\] \((?:non-fast-forward|fetch first)\)/m;

/** `http.<origin>/.extraHeader` for an http(s) remote, else `undefined`. */
function extraHeaderKey(remote: string): string | undefined {
  if (!/^https?:\/\//i.test(remote)) return undefined;
  return `http.${new URL(remote).origin}/.extraheader`;
}

/**
 * A bare clone of one remote in a local directory.
 *
 * @remarks
 * The remote is never written to the clone's config: it is given to each command as
 * `remote.quantum-merge.url` (with the token's header) through `GIT_CONFIG_*` variables, so a token
 * never touches the disk. Operations go one at a time through {@link LocalClone.exclusive}, an
 * in-process promise chain; the first one opens the clone (`git init --bare`, which keeps an existing
 * clone, then `git worktree prune`).
 */
export class LocalClone {
  /** Path of the bare repository: `<workDir>/repo.git`. */
  readonly gitDir: string;
  /** The remote as given, with any password replaced, for messages. */
  readonly remote: string;
  readonly #workDir: string;
  readonly #tmpDir: string;
  readonly #runner: GitRunner;
  readonly #logger: Pick<Logger, 'debug'>;
  readonly #session: CloneSession;
  #tail: Promise<unknown> = Promise.resolve();
  #opened = false;

  constructor(options: LocalCloneOptions) {
    this.#workDir = options.workDir;
    this.gitDir = join(options.workDir, 'repo.git');
    this.#tmpDir = join(options.workDir, 'tmp');
    const config: Record<string, string> = {
      ...options.config,
      [`remote.${REMOTE_NAME}.url`]: options.remote,
    };
    const secrets: string[] = [];
    const headerKey = extraHeaderKey(options.remote);
    if (options.token !== undefined && headerKey !== undefined) {
      // GitHub's documented form for app installation tokens; PATs are accepted the same way.
      const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
      config[headerKey] = `Authorization: Basic ${basic}`;
      secrets.push(options.token, basic);
    }
    const runnerOptions: GitRunnerOptions = {
      config,
      secrets,
      ...(options.identity === undefined ? {} : { identity: options.identity }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    this.#runner = new GitRunner(runnerOptions);
    this.remote = this.#runner.scrub(options.remote);
    this.#logger = options.logger ?? { debug: () => {} };
    this.#session = this.#createSession();
  }

  /**
   * Runs `fn` once every operation started earlier in this process has settled, opening the clone first
   * if needed. `fn` must not call `exclusive` itself (it would wait for itself).
   *
   * @returns what `fn` returns
   * @throws what `fn` throws; {@link GitCommandError} when the clone cannot be created
   */
  exclusive<T>(fn: (session: CloneSession) => Promise<T>): Promise<T> {
    const run = this.#tail.then(async () => {
      if (!this.#opened) {
        await this.#open();
        this.#opened = true;
      }
      return fn(this.#session);
    });
    this.#tail = run.catch(() => {});
    return run;
  }

  async #open(): Promise<void> {
    await mkdir(this.#workDir, { recursive: true });
    await rm(this.#tmpDir, { recursive: true, force: true });
    await mkdir(this.#tmpDir);
    await this.#runner.run(['init', '--bare', '--quiet', this.gitDir], { cwd: this.#workDir });
    await this.#git(['worktree', 'prune']);
  }

  #git(args: readonly string[], options: CloneGitOptions = {}): Promise<GitResult> {
    return this.#runner.run(
      options.worktree === undefined ? [`--git-dir=${this.gitDir}`, ...args] : args,
      {
        cwd: options.worktree ?? this.gitDir,
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.okExitCodes === undefined ? {} : { okExitCodes: options.okExitCodes }),
      },
    );
  }

  /** The shas of `shas` that name no commit in the clone, in order. */
  async #missing(shas: readonly string[]): Promise<string[]> {
    const { stdout } = await this.#git(['cat-file', '--batch-check=%(objecttype)'], {
      input: shas.map((sha) => `${sha}\n`).join(''),
    });
    const types = stdout.split('\n');
    return shas.filter((_, index) => types[index] !== 'commit');
  }

  async #fetch(args: readonly string[]): Promise<void> {
    await this.#git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', ...args]);
  }

  async #ensureCommits(shas: readonly string[]): Promise<void> {
    for (const sha of shas) {
      if (!FULL_SHA.test(sha)) throw new CommitNotFoundError({ sha, remote: this.remote });
    }
    let missing = await this.#missing([...new Set(shas)]);
    if (missing.length === 0) return;
    try {
      await this.#fetch([REMOTE_NAME, ...missing]);
    } catch (error) {
      this.#logger.debug('Fetching commits by sha failed; fetching every branch', {
        error: String(error),
      });
    }
    missing = await this.#missing(missing);
    if (missing.length === 0) return;
    await this.#fetch(['--prune', REMOTE_NAME, ...FETCH_ALL_REFSPECS]);
    const [first] = await this.#missing(missing);
    if (first !== undefined) throw new CommitNotFoundError({ sha: first, remote: this.remote });
  }

  async #remoteBranch(branch: string): Promise<string | undefined> {
    const ref = `refs/heads/${branch}`;
    const { stdout } = await this.#git(['ls-remote', '--heads', REMOTE_NAME, ref]);
    // ls-remote matches patterns against ref name tails: refs/heads/x/refs/heads/main matches too.
    for (const line of stdout.split('\n')) {
      const [sha, name] = line.split('\t');
      if (name === ref) return sha;
    }
    return undefined;
  }

  /** One `git push` of one refspec; `rejected` when the remote's ref does not descend to the new value. */
  async #push(refspec: string): Promise<PushResult> {
    const args = ['push', '--porcelain', REMOTE_NAME, refspec];
    const result = await this.#git(args, { okExitCodes: [0, 1] });
    if (result.exitCode === 0) return 'pushed';
    // Porcelain lines: <flag> TAB <from>:<to> TAB <summary>, `!` for a rejection.
    if (NOT_FAST_FORWARD.test(result.stdout)) return 'rejected';
    // The summary (`[remote rejected] (pre-receive hook declined)`) says more than stderr's first line.
    const summaries = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('!\t'))
      .map((line) => line.slice(line.lastIndexOf('\t') + 1));
    throw this.#runner.commandError(args, {
      ...result,
      stderr: [...summaries, result.stderr].join('\n'),
    });
  }

  async #deleteRemoteBranch(branch: string): Promise<boolean> {
    if ((await this.#remoteBranch(branch)) === undefined) return false;
    await this.#push(`:refs/heads/${branch}`);
    return true;
  }

  async #removeWorktree(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await this.#git(['worktree', 'prune']);
  }

  async #addWorktree(dir: string, sha: string): Promise<void> {
    await this.#removeWorktree(dir);
    await this.#git(['worktree', 'add', '--detach', '--quiet', dir, sha]);
  }

  async #isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.#git(['merge-base', '--is-ancestor', ancestor, descendant], {
      okExitCodes: [0, 1],
    });
    return result.exitCode === 0;
  }

  #createSession(): CloneSession {
    return {
      gitDir: this.gitDir,
      git: (args, options) => this.#git(args, options),
      commandError: (args, result) => this.#runner.commandError(args, result),
      ensureCommits: (shas) => this.#ensureCommits(shas),
      isAncestor: (ancestor, descendant) => this.#isAncestor(ancestor, descendant),
      remoteBranch: (branch) => this.#remoteBranch(branch),
      pushBranch: (sha, branch, options) =>
        this.#push(`${options.force ? '+' : ''}${sha}:refs/heads/${branch}`),
      deleteRemoteBranch: (branch) => this.#deleteRemoteBranch(branch),
      addWorktree: (dir, sha) => this.#addWorktree(dir, sha),
      removeWorktree: (dir) => this.#removeWorktree(dir),
      temporaryDirectory: () => mkdtemp(join(this.#tmpDir, 'worktree-')),
    };
  }
}
