/**
 * Runs `git` for Quantum Merge's local clones: argument arrays (never a shell), a fixed identity, no
 * prompts, no user or system config, and config (credentials included) passed through the environment
 * rather than the command line.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';
import { Scrubber, VelocityError, type VelocityErrorOptions } from '@velocity/core';

/** Who commits: the committer of every commit Quantum Merge writes, and the author of its merge commits. */
export interface GitIdentity {
  /** e.g. `Quantum Merge`. */
  readonly name: string;
  /** e.g. `quantum-merge@users.noreply.github.com`. */
  readonly email: string;
}

/** The identity used when none is configured. */
export const DEFAULT_GIT_IDENTITY: GitIdentity = Object.freeze({
  name: 'Quantum Merge',
  email: 'quantum-merge@users.noreply.github.com',
});

/** Options of {@link GitRunner}. */
export interface GitRunnerOptions {
  /**
   * The environment git starts from (`PATH`, `HOME`, proxy variables). Its `GIT_*` variables are dropped,
   * except `GIT_SSH*`, `GIT_SSL_*`, `GIT_PROXY_*` and `GIT_TRACE*`.
   * @defaultValue `process.env`, as for `child_process.spawn`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Committer (and merge-commit author). @defaultValue {@link DEFAULT_GIT_IDENTITY} */
  readonly identity?: GitIdentity;
  /**
   * Config for every command (config key → value, e.g. `http.proxy`), passed as `GIT_CONFIG_COUNT`,
   * `GIT_CONFIG_KEY_<n>` and `GIT_CONFIG_VALUE_<n>`: values may be secret, as they never reach the command
   * line (visible to every user in `ps`) or a config file.
   * @defaultValue none
   */
  readonly config?: Readonly<Record<string, string>>;
  /** Values to hide in {@link GitCommandError}s, e.g. a token. @defaultValue none */
  readonly secrets?: readonly string[];
  /** Most time one git command may run before it is stopped (SIGTERM), in ms. @defaultValue 600000 */
  readonly timeoutMs?: number;
}

/** Options of one {@link GitRunner.run}. */
export interface GitRunOptions {
  /** The directory git runs in (absolute). */
  readonly cwd: string;
  /** Written to git's stdin, as UTF-8. @defaultValue nothing (stdin is closed) */
  readonly input?: string;
  /** Variables added to this command's environment, e.g. `GIT_AUTHOR_NAME`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are results rather than failures. @defaultValue `[0]` */
  readonly okExitCodes?: readonly number[];
}

/** What one git command produced. */
export interface GitResult {
  /** The exit code, one of `okExitCodes`. */
  readonly exitCode: number;
  /** Standard output, decoded as UTF-8, untrimmed. */
  readonly stdout: string;
  /** Standard error, decoded as UTF-8, untrimmed. */
  readonly stderr: string;
}

/** Inherited `GIT_*` variables kept: transport settings, not repository selection (`GIT_DIR`, `GIT_INDEX_FILE`). */
const KEPT_GIT_VARIABLE = /^GIT_(?:SSH|SSL_|PROXY_|TRACE)/;

/**
 * A git command failed: it exited with a code that is not a result, was stopped after its timeout, or could
 * not be started. Arguments and output are scrubbed of secrets.
 */
export class GitCommandError extends VelocityError {
  /** The arguments after `git`, scrubbed. */
  readonly args: readonly string[];
  /** The exit code, or `null` when git was stopped by a signal or never started. */
  readonly exitStatus: number | null;
  /** Everything git wrote to stderr, scrubbed and trimmed. */
  readonly stderr: string;

  /**
   * @param details - `args` and `stderr` already scrubbed; `failure` says how it ended: an exit code, a
   *   timeout in ms, or the errno (`ENOENT`) of a failed start
   */
  constructor(
    details: {
      args: readonly string[];
      stderr: string;
      failure:
        | { kind: 'exit'; exitCode: number | null }
        | { kind: 'timeout'; timeoutMs: number }
        | { kind: 'spawn'; errno: string };
    },
    options: VelocityErrorOptions = {},
  ) {
    const { failure } = details;
    const firstLine = details.stderr.trim().replace(/\s*\n[\s\S]*/, '');
    const how =
      failure.kind === 'spawn'
        ? `could not be started (${failure.errno})`
        : failure.kind === 'timeout'
          ? `was stopped after ${failure.timeoutMs} ms`
          : failure.exitCode === null
            ? 'was killed'
            : `exited with ${failure.exitCode}`;
    super(
      'QM_GIT_COMMAND',
      `Command "git ${details.args.join(' ')}" ${how}${firstLine === '' ? '' : `: ${firstLine}`}. Check that git 2.38 or later is on PATH and that the remote is reachable with the configured URL and token.`,
      options,
    );
    this.args = details.args;
    this.exitStatus = failure.kind === 'exit' ? failure.exitCode : null;
    this.stderr = details.stderr.trim();
  }
}

/**
 * Runs git commands with a controlled environment.
 *
 * @remarks
 * Every command gets `GIT_TERMINAL_PROMPT=0` (fail instead of asking for a password), the identity as
 * `GIT_{AUTHOR,COMMITTER}_{NAME,EMAIL}`, `LC_ALL=C` (stable messages), and neither the system nor the
 * user's global config (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL=/dev/null`): an operator's
 * `commit.gpgSign`, `core.hooksPath` or credential helper must not change what the merge queue writes.
 * What is needed instead goes in {@link GitRunnerOptions.config}.
 *
 * @see {@link https://git-scm.com/docs/git-config#ENVIRONMENT | GIT_CONFIG_COUNT} (git 2.31+)
 */
export class GitRunner {
  readonly #env: Readonly<Record<string, string>>;
  readonly #scrubber = new Scrubber();
  readonly #timeoutMs: number;

  constructor(options: GitRunnerOptions = {}) {
    const identity = options.identity ?? DEFAULT_GIT_IDENTITY;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env ?? process.env)) {
      if (value !== undefined && (!name.startsWith('GIT_') || KEPT_GIT_VARIABLE.test(name))) {
        env[name] = value;
      }
    }
    Object.assign(env, {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: devNull,
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      LC_ALL: 'C',
    });
    const config = Object.entries(options.config ?? {});
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([key, value], index) => {
      env[`GIT_CONFIG_KEY_${index}`] = key;
      env[`GIT_CONFIG_VALUE_${index}`] = value;
    });
    this.#env = env;
    for (const secret of options.secrets ?? []) this.#scrubber.addSecret(secret, 'git-secret');
    this.#timeoutMs = options.timeoutMs ?? 600_000;
  }

  /** `text` with registered secrets, URL passwords and known token formats replaced by `[REDACTED:…]`. */
  scrub(text: string): string {
    return this.#scrubber.scrubString(text);
  }

  /**
   * The error for a command whose result (an `okExitCodes` code) the caller finds to be a failure after
   * all, e.g. a push rejected for another reason than the one it handles.
   *
   * @param args - the arguments the command ran with
   * @param result - what {@link GitRunner.run} returned
   */
  commandError(args: readonly string[], result: GitResult): GitCommandError {
    return new GitCommandError({
      args: args.map((arg) => this.scrub(arg)),
      stderr: this.scrub(result.stderr),
      failure: { kind: 'exit', exitCode: result.exitCode },
    });
  }

  /**
   * Runs `git <args>` and waits for it to exit.
   *
   * @param args - arguments after `git`, e.g. `['merge-tree', '--write-tree', a, b]`
   * @param options - see {@link GitRunOptions}
   * @returns the exit code and both outputs
   * @throws {@link GitCommandError} when git exits with a code not in `okExitCodes`, runs longer than
   *   `timeoutMs`, is killed, or cannot be started
   */
  run(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: options.cwd,
        // Needed where `ProcessEnv` declares a required `NODE_ENV` (Next's types, in the dashboard's tests).
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        env: { ...this.#env, ...options.env } as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      let settled = false;
      const fail = (failure: ConstructorParameters<typeof GitCommandError>[0]['failure']) => {
        settled = true;
        clearTimeout(timer);
        reject(
          new GitCommandError({
            args: args.map((arg) => this.scrub(arg)),
            stderr: this.scrub(Buffer.concat(stderr).toString('utf8')),
            failure,
          }),
        );
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
      }, this.#timeoutMs);
      // Without IPC or an abort signal, 'error' means a failed start (then 'close' follows). Its message
      // and `spawnargs` would repeat the arguments unscrubbed, so only its errno is kept.
      child.on('error', (error: NodeJS.ErrnoException) => {
        fail({ kind: 'spawn', errno: String(error.code) });
      });
      // A helper git started (git-remote-https, ssh, an alias's shell) may outlive a stopped git and hold
      // the pipes open, delaying 'close'.
      child.on('exit', () => {
        if (!timedOut || settled) return;
        child.stdout.destroy();
        child.stderr.destroy();
        fail({ kind: 'timeout', timeoutMs: this.#timeoutMs });
      });
      child.on('close', (code: number | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (code !== null && (options.okExitCodes ?? [0]).includes(code)) {
          resolve({
            exitCode: code,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          });
        } else {
          fail({ kind: 'exit', exitCode: code });
        }
      });
      // git may exit before reading all of stdin; its exit code reports that, not EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    });
  }
}
