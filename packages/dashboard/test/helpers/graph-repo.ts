/**
 * A small real git repository for the import graph page: two workspace packages with sources and tests, a
 * type-only import, and a `feature` branch that changes one file.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv } from './dashboard.js';

const run = promisify(execFile);

/** The built `dep-ci` single executable the dashboard runs by default. */
export const DEP_CI_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@velocity/dep-ci/package.json')),
  'dist/bin/dep-ci',
);

/** Environment of git and dep-ci in the fixture: no `VELOCITY_*` variable, a fixed identity. */
function fixtureEnv(): NodeJS.ProcessEnv {
  return cleanEnv({
    GIT_AUTHOR_NAME: 'e2e',
    GIT_AUTHOR_EMAIL: 'e2e@velocity.invalid',
    GIT_COMMITTER_NAME: 'e2e',
    GIT_COMMITTER_EMAIL: 'e2e@velocity.invalid',
  });
}

/**
 * The fixture's files on `main`. Import chains: `app/test/main.test.ts` → `app/src/main.ts` →
 * `core/src/index.ts` → `core/src/{math,format}.ts`, `format.ts` → `math.ts`; `app/src/view.ts` imports
 * `core/src/types.ts` with `import type` only, which its velocity.yaml tells dep-ci to ignore.
 */
export const GRAPH_REPO_FILES = {
  'README.md': '# fixture\n',
  'package.json': `${JSON.stringify({ name: 'fixture', private: true, workspaces: ['packages/*'] })}\n`,
  'velocity.yaml': 'depCi:\n  ignoreTypeImports: true\n',
  'packages/core/package.json': `${JSON.stringify({ name: '@fixture/core', type: 'module' })}\n`,
  'packages/core/src/math.ts': 'export const add = (a: number, b: number): number => a + b;\n',
  'packages/core/src/format.ts':
    "import { add } from './math.js';\n\nexport const formatSum = (a: number, b: number): string => `${add(a, b)}`;\n",
  'packages/core/src/types.ts': 'export interface Shape {\n  readonly sides: number;\n}\n',
  'packages/core/src/index.ts':
    "export { add } from './math.js';\nexport { formatSum } from './format.js';\n",
  'packages/core/test/math.test.ts':
    "import { add } from '../src/math.js';\n\nif (add(1, 2) !== 3) throw new Error('add');\n",
  'packages/core/test/format.test.ts':
    "import { formatSum } from '../src/format.js';\n\nif (formatSum(1, 2) !== '3') throw new Error('formatSum');\n",
  'packages/app/package.json': `${JSON.stringify({ name: '@fixture/app', type: 'module' })}\n`,
  'packages/app/src/main.ts':
    "import { formatSum } from '../../core/src/index.js';\n\nexport const main = (): string => formatSum(2, 2);\n",
  'packages/app/src/view.ts':
    "import type { Shape } from '../../core/src/types.js';\n\nexport const sidesOf = (shape: Shape): number => shape.sides;\n",
  'packages/app/test/main.test.ts':
    "import { main } from '../src/main.js';\n\nif (main() !== '4') throw new Error('main');\n",
  'packages/app/test/view.test.ts':
    "import { sidesOf } from '../src/view.js';\n\nif (sidesOf({ sides: 3 }) !== 3) throw new Error('sides');\n",
} as const;

/** Runs git in `cwd`. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  await run('git', args, { cwd, env: fixtureEnv() });
}

/**
 * Writes {@link GRAPH_REPO_FILES} into `dir` (an empty directory), commits them on `main`, then checks out
 * `feature`, which changes `packages/core/src/format.ts` in one more commit.
 */
export async function makeGraphRepo(dir: string): Promise<void> {
  for (const [path, text] of Object.entries(GRAPH_REPO_FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'fixture');
  await git(dir, 'checkout', '-q', '-b', 'feature');
  await appendFile(
    join(dir, 'packages/core/src/format.ts'),
    'export const shout = (text: string): string => text.toUpperCase();\n',
  );
  await git(dir, 'commit', '-q', '-am', 'feature');
}

/**
 * Runs the built dep-ci in `cwd` as the dashboard does (no `VELOCITY_*` variable) and parses its JSON output.
 *
 * @throws when the binary is missing (`npm run build -w @velocity/dep-ci`) or fails
 */
export async function depCiJson(cwd: string, ...args: string[]): Promise<unknown> {
  if (!existsSync(DEP_CI_BIN))
    throw new Error(`${DEP_CI_BIN} is missing: run npm run build -w @velocity/dep-ci first`);
  const { stdout } = await run(DEP_CI_BIN, args, {
    cwd,
    env: fixtureEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as unknown;
}
