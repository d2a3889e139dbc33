import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gitEnv } from '../git/helpers/repo.js';

/** Runs git in `dir` and returns its trimmed stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: gitEnv(dir),
    encoding: 'utf8',
  }).trim();
}

/** Makes `dir` a git repository on branch `main` with `files` in its first commit. */
export function initRepo(dir: string, files: Record<string, string> = {}): void {
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, files);
  commitAll(dir, 'initial');
}

/** Writes `files` (root-relative path → content); `null` content deletes the file. */
export function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    if (content === null) {
      rmSync(target, { force: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Stages everything and commits. */
export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/** Copies a directory tree into the repository. */
export function copyTree(from: string, dir: string, to: string): void {
  cpSync(from, join(dir, to), { recursive: true, filter: (path) => !path.includes('__pycache__') });
}

/** The built single executable, `dist/bin/dep-ci` (from `npm run build`). */
export const DEP_CI = join(
  import.meta.dirname,
  '..',
  '..',
  'dist',
  'bin',
  process.platform === 'win32' ? 'dep-ci.exe' : 'dep-ci',
);

/** Whether the executable was built. */
export function depCiBuilt(): boolean {
  return existsSync(DEP_CI);
}

/** What a run of the binary printed and its exit code. */
export interface DepCiRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `dep-ci` in `cwd` with a clean environment (plus `env`). */
export function runDepCi(cwd: string, args: string[], env: Record<string, string> = {}): DepCiRun {
  const result = spawnSync(DEP_CI, args, {
    cwd,
    encoding: 'utf8',
    env: { ...gitEnv(cwd), ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The parsed JSON of `dep-ci affected --format json`. */
export interface AffectedJson {
  changed: string[];
  tests: string[];
  runAll: boolean;
  runAllReasons: string[];
  reasons: Record<string, string[]>;
  stats: { files: number; edges: number; ms: number };
}

/** Runs `dep-ci affected --format json` with `args` and parses the result; throws with stderr on failure. */
export function affected(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): AffectedJson {
  const run = runDepCi(cwd, ['affected', '--format', 'json', ...args], env);
  if (run.code !== 0) throw new Error(`dep-ci exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as AffectedJson;
}
