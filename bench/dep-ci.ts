/**
 * `npm run bench -- dep-ci [--sizes 10000,50000] [--timeout 300]`: dep-ci on generated TypeScript monorepos
 * (workspaces, tsconfig paths, barrels, tests), against madge and dependency-cruiser on the same trees, in
 * the same run.
 *
 * Measures, per size: the cold graph build (`dep-ci graph`, no cache), the warm `dep-ci affected` after a
 * one-file change (whole process, cache restored; median of three runs), and the same graph with madge and dependency-cruiser,
 * each cut off after `--timeout` seconds. Targets (issue 3, 2-core machine): cold 10,000 files under 3 s,
 * 50,000 files under 15 s; warm affected under 0.5 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonorepo } from './lib/generate-monorepo.js';
import { flag } from './lib/flags.js';
import { gitEnv } from './lib/bench-env.js';

const sizes = (flag('--sizes') ?? '10000,50000').split(',').map(Number);
const timeoutS = Number(flag('--timeout') ?? '300');
const repo = join(import.meta.dirname, '..');
const depCi = join(repo, 'packages/dep-ci/dist/bin/dep-ci');
const bin = (name: string) => join(repo, 'node_modules/.bin', name);

interface Timed {
  seconds: number;
  ok: boolean;
  note: string;
}

/** Runs a command to completion (or the timeout) and times it. */
function time(command: string, args: string[], cwd: string): Timed {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 1024 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.error !== undefined || result.status !== 0) {
    const timedOut =
      result.signal === 'SIGTERM' ||
      (result.error as { code?: string } | undefined)?.code === 'ETIMEDOUT';
    return {
      seconds,
      ok: false,
      note: timedOut
        ? `did not finish in ${timeoutS} s`
        : `failed: ${(result.stderr ?? '').split('\n')[0]}`,
    };
  }
  return { seconds, ok: true, note: '' };
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, env: gitEnv, stdio: 'ignore' });
}

const format = (timed: Timed) => (timed.ok ? `${timed.seconds.toFixed(2)} s` : timed.note);
const ratio = (other: Timed, ours: Timed) =>
  other.ok
    ? `${(other.seconds / ours.seconds).toFixed(1)}x slower than dep-ci cold`
    : `> ${(other.seconds / ours.seconds).toFixed(0)}x (${other.note})`;

for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `dep-ci-bench-${size}-`));
  try {
    const tree = generateMonorepo(dir, size);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'generated');
    process.stdout.write(
      `\n${tree.files.length} files (${tree.modules.length} modules, ${tree.tests.length} tests, ${tree.packages.length} packages) in ${dir}\n`,
    );

    // The graph goes outside the repository: a new untracked file would change the file list.
    const cold = time(depCi, ['graph', '--out', `${dir}.graph.json`], dir);
    const changed = tree.modules[Math.floor(tree.modules.length / 2)] as string;
    appendFileSync(join(dir, changed), '\nexport const edited = true;\n');
    git(dir, 'commit', '-q', '-am', 'one change');
    // The first warm run; then two more on the same cache: the figure is the median of the three.
    const warmRuns = [1, 2, 3].map(() =>
      time(depCi, ['affected', '--base', 'HEAD~1', '--format', 'json'], dir),
    );
    const warm = [...warmRuns].sort((a, b) => a.seconds - b.seconds)[1] as Timed;
    const madge = time(
      bin('madge'),
      ['--extensions', 'ts', '--ts-config', 'tsconfig.json', '--json', 'packages'],
      dir,
    );
    const cruiser = time(
      bin('depcruise'),
      ['--no-config', '--ts-config', 'tsconfig.json', '--output-type', 'json', 'packages'],
      dir,
    );
    const coldTarget = size <= 10000 ? 3 : 15;
    process.stdout.write(
      [
        `dep-ci cold graph        ${format(cold)}  (target < ${coldTarget} s: ${cold.ok && cold.seconds < coldTarget ? 'met' : 'NOT met'})`,
        `dep-ci warm affected     ${format(warm)}  (target < 0.5 s: ${warm.ok && warm.seconds < 0.5 ? 'met' : 'NOT met'})`,
        `madge                    ${format(madge)}  ${ratio(madge, cold)}`,
        `dependency-cruiser       ${format(cruiser)}  ${ratio(cruiser, cold)}`,
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.graph.json`, { force: true });
  }
}
