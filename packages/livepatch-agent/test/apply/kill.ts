import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { recoverRoot } from '../../src/apply/index.js';
import { FILE_COUNT, contentOf } from './fixtures/kill-content.js';
import { internalEntries, sha256, snapshotTree, visibleTree } from './helpers/tree.js';

const packageDir = join(import.meta.dirname, '../..');
const child = join(import.meta.dirname, 'fixtures/kill-child.ts');

/**
 * The environment without tap's process tracking: the child runs the module through tsx, whose line
 * mapping differs from tap's loader, so its coverage would garble the report.
 */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      name !== 'NODE_OPTIONS' && name !== 'NODE_V8_COVERAGE' && !name.startsWith('_TAPJS_'),
  ),
);

/** Runs the child on `root` until it prints `paused`, then SIGKILLs it. */
async function killChildAt(
  root: string,
  mode: 'staging' | 'commit',
  step: number,
): Promise<string> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', child, root, mode, String(step)], {
    cwd: packageDir,
    env: CHILD_ENV,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    process_.on('exit', (_code, signal) => resolve(signal)),
  );
  process_.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
    if (output.includes('paused')) process_.kill('SIGKILL');
  });
  const signal = await exited;
  return `${output.trim()} ${signal ?? 'exited'}`;
}

/** The tree before the batch: even files with their old content, and a file the batch removes. */
function oldTree(t: Test): string {
  const files: Record<string, Buffer> = {};
  for (let index = 0; index < FILE_COUNT; index += 2)
    files[`f${index}.bin`] = contentOf(index, 'old');
  return t.testdir({ files, 'gone.bin': contentOf(99, 'old') });
}

/** Hashes of every whole version a file of the batch may have: old or new, never anything else. */
const WHOLE_VERSIONS = new Set(
  [contentOf(99, 'old')]
    .concat(Array.from({ length: FILE_COUNT }, (_, index) => contentOf(index, 'old')))
    .concat(Array.from({ length: FILE_COUNT }, (_, index) => contentOf(index, 'new')))
    .map((content) => sha256(content).toString('hex')),
);

const scenarios: ['staging' | 'commit', number][] = [
  ['staging', 2],
  ['commit', 1],
  ['commit', 3],
  ['commit', 6],
  ['commit', 9],
  ['commit', 12],
];

for (const [mode, step] of scenarios) {
  t.test(
    `SIGKILL during ${mode}, step ${step}: no half-written file, and recovery restores the old tree`,
    async (t) => {
      const root = oldTree(t);
      const before = snapshotTree(root);
      t.equal(await killChildAt(root, mode, step), 'paused SIGKILL', 'killed while paused');

      for (const [path, entry] of Object.entries(visibleTree(root))) {
        if (!entry.startsWith('file ')) continue;
        const hash = sha256(readFileSync(join(root, path))).toString('hex');
        t.ok(WHOLE_VERSIONS.has(hash), `${path} is a whole old or new version`);
      }
      if (mode === 'commit' && step > 2) {
        t.notSame(visibleTree(root), before, 'the kill came after some changes went live');
      }
      if (mode === 'staging') {
        t.strictSame(visibleTree(root), before, 'staging changed nothing visible');
        t.ok(internalEntries(root).length > 0, 'a partial temp file was left');
      }

      const result = await recoverRoot(root);
      if (mode === 'commit') t.equal(result.rolledBack, 'killed');
      t.strictSame(result.failures, []);
      t.strictSame(snapshotTree(root), before, 'the tree equals the old tree');
    },
  );
}

t.test('the child applies the whole batch when not killed', async (t) => {
  const root = oldTree(t);
  t.equal(await killChildAt(root, 'commit', 1000), 'done exited');
  t.equal(
    sha256(readFileSync(join(root, 'files/renamed.bin'))).toString('hex'),
    sha256(contentOf(0, 'new')).toString('hex'),
  );
  t.equal(readFileSync(join(root, 'files/new/f5.bin')).length, 8 * 1024 * 1024);
});
