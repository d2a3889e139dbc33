/**
 * A real bare git repository in a temp dir, driven through `git` with a clean environment, for the fake
 * GitHub server.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one `git` invocation produced. */
export interface GitRunResult {
  /** Exit code (0 on success). */
  readonly code: number;
  /** Standard output, untrimmed. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Files of a commit: root-relative POSIX path → UTF-8 contents. */
export type FileMap = Readonly<Record<string, string>>;

/**
 * A bare repository plus plumbing helpers. Commits are written with a private index file, so no working
 * tree is ever needed.
 */
export class GitRepo {
  /** Path of the bare repository (the `GIT_DIR`). */
  readonly gitDir: string;
  readonly #home: string;
  readonly #env: NodeJS.ProcessEnv;
  #indexCounter = 0;

  private constructor(root: string) {
    this.#home = root;
    this.gitDir = join(root, 'repo.git');
    // A clean env: nothing from the user's or the system's git config leaks in (signing, hooks, templates).
    this.#env = {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(root, 'gitconfig'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'Fake Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Fake GitHub',
      GIT_COMMITTER_EMAIL: 'noreply@github.com',
      LANG: 'C',
      LC_ALL: 'C',
    };
  }

  /** Creates an empty bare repository in a new temp dir whose default branch is `defaultBranch`. */
  static async create(defaultBranch = 'main'): Promise<GitRepo> {
    const root = await mkdtemp(join(tmpdir(), 'qm-fake-github-'));
    const repo = new GitRepo(root);
    await repo.git(
      ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, repo.gitDir],
      {
        gitDir: false,
      },
    );
    return repo;
  }

  /** Removes the temp dir. */
  async destroy(): Promise<void> {
    await rm(this.#home, { recursive: true, force: true });
  }

  /** Runs git and returns its result whatever the exit code. */
  run(
    args: readonly string[],
    options: { input?: string; env?: NodeJS.ProcessEnv; gitDir?: boolean } = {},
  ): Promise<GitRunResult> {
    const env = { ...this.#env, ...options.env };
    if (options.gitDir !== false) env.GIT_DIR = this.gitDir;
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { env, cwd: this.#home, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      // git may exit before reading all of stdin; the exit code reports that, not EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    });
  }

  /** Runs git and returns trimmed stdout; rejects when git exits non-zero. */
  async git(
    args: readonly string[],
    options: { input?: string; env?: NodeJS.ProcessEnv; gitDir?: boolean } = {},
  ): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`git ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    }
    return result.stdout.trim();
  }

  /** The commit sha `rev` names, or `undefined` when it names no commit. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  /** The sha a full ref (`refs/heads/main`) points at, or `undefined` when it does not exist. */
  async readRef(ref: string): Promise<string | undefined> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', ref]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.run(['merge-base', '--is-ancestor', ancestor, descendant]);
    return result.code === 0;
  }

  /**
   * Writes a commit whose tree is `parent`'s tree plus `files`, and returns its sha. Refs are not moved.
   */
  async commitFiles(
    files: FileMap,
    message: string,
    parents: readonly string[] = [],
  ): Promise<string> {
    const env = { GIT_INDEX_FILE: join(this.#home, `index-${this.#indexCounter++}`) };
    const first = parents[0];
    if (first !== undefined) await this.git(['read-tree', first], { env });
    for (const [path, contents] of Object.entries(files)) {
      const blob = await this.git(['hash-object', '-w', '--stdin'], { input: contents });
      await this.git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
    }
    const tree = await this.git(['write-tree'], { env });
    return this.git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message]);
  }

  /** Moves (or creates) a full ref to `sha`, unconditionally. */
  async setRef(ref: string, sha: string): Promise<void> {
    await this.git(['update-ref', ref, sha]);
  }

  /** Paths in the tree of `rev`, recursively, sorted. */
  async listFiles(rev: string): Promise<string[]> {
    const out = await this.git(['ls-tree', '-r', '--name-only', rev]);
    return out === '' ? [] : out.split('\n').sort();
  }
}
