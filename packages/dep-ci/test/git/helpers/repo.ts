import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The environment for git in a test repository at `dir`: a fixed identity, no system or global config,
 * and a ceiling so git never finds a repository above `dir`'s parent (such as the project's own).
 */
export function gitEnv(dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(dir, '.no-global-gitconfig'),
    GIT_CEILING_DIRECTORIES: dirname(dir),
  };
}

/** Runs git in `cwd` with {@link gitEnv} of `cwd` and returns its stdout without the final newline. */
export async function runGit(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', [...args], { cwd, env: gitEnv(cwd) });
  return stdout.replace(/\n$/, '');
}

/** A test repository: its root and the environment to run the code under test with. */
export interface TestRepo {
  root: string;
  env: Record<string, string>;
  git(...args: string[]): Promise<string>;
  /** Stages everything and commits; returns the new commit's sha. */
  commit(message: string): Promise<string>;
}

function testRepo(root: string): TestRepo {
  return {
    root,
    env: gitEnv(root),
    git: (...args) => runGit(root, args),
    async commit(message) {
      await runGit(root, ['add', '-A']);
      await runGit(root, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message]);
      return runGit(root, ['rev-parse', 'HEAD']);
    },
  };
}

/**
 * Makes the existing directory `root` (from `t.testdir`) a git repository on branch `branch` and commits
 * its files.
 */
export async function createRepo(root: string, branch = 'main'): Promise<TestRepo> {
  await runGit(root, ['init', '-q', '-b', branch]);
  const repo = testRepo(root);
  await repo.commit('initial');
  return repo;
}

/** Clones `source` into `root` (which must not exist yet), with extra `git clone` arguments. */
export async function cloneRepo(
  source: TestRepo,
  root: string,
  cloneArgs: readonly string[] = [],
): Promise<TestRepo> {
  await runGit(dirname(root), ['clone', '-q', ...cloneArgs, `file://${source.root}`, root]);
  return testRepo(root);
}
