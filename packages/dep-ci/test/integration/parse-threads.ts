/**
 * End-to-end: the built `dep-ci` executable parses in worker threads (the bundle embedded as a SEA asset,
 * started with `eval`) and builds the same graph as when it parses in its main thread.
 *
 * Needs the command context to pass `depCi.threads` and `depCi.minThreadJobs` (set here through
 * `VELOCITY_DEP_CI_THREADS` and `VELOCITY_DEP_CI_MIN_THREAD_JOBS`) to `createParseFiles`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import t from 'tap';
import {
  commitAll,
  copyTree,
  depCiBuilt,
  initRepo,
  runDepCi,
  type DepCiRun,
} from '../helpers/git-repo.js';

t.before(() => {
  if (!depCiBuilt()) throw new Error('dist/bin/dep-ci is missing: run npm run build first');
});

/** One record of the JSON log lines on stderr. */
type LogRecord = Record<string, unknown>;

function logRecords(run: DepCiRun): LogRecord[] {
  return run.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogRecord);
}

/** `dep-ci graph --format json` with a cold cache of its own, debug logs, and `env`. */
function graph(dir: string, cacheDir: string, env: Record<string, string>) {
  const run = runDepCi(dir, ['graph', '--format', 'json'], {
    VELOCITY_DEP_CI_CACHE_DIR: cacheDir,
    VELOCITY_LOG_LEVEL: 'debug',
    VELOCITY_LOG_FORMAT: 'json',
    ...env,
  });
  if (run.code !== 0) throw new Error(`dep-ci exited ${run.code}: ${run.stderr}`);
  const json = JSON.parse(run.stdout) as { stats: Record<string, unknown> };
  // Wall time differs from run to run; everything else must not.
  const stats = { ...json.stats };
  delete stats['ms'];
  return { graph: { ...json, stats }, records: logRecords(run) };
}

const zodRoot = dirname(createRequire(import.meta.url).resolve('zod/package.json'));

t.test('worker threads build the same graph as the main thread', async (t) => {
  const dir = t.testdir();
  initRepo(dir, {
    'package.json': JSON.stringify({ name: 'app', private: true }),
    '.gitignore': '.velocity/\n',
    'src/view.tsx':
      "import { z } from '../zod/index.js';\nexport const V = () => <div>{String(z)}</div>;\n",
    'src/tool.py': 'from . import helpers\n',
    'src/helpers.py': 'import os\n',
    'src/broken.ts': "import { a } from './view.js';\nconst = = ;\n}}}\n",
    'test/view.test.ts': "import { V } from '../src/view.js';\nV();\n",
  });
  copyTree(join(zodRoot, 'src'), dir, 'zod');
  commitAll(dir, 'sources');

  const here = graph(dir, '.velocity/one', { VELOCITY_DEP_CI_THREADS: '1' });
  const threads = graph(dir, '.velocity/two', {
    VELOCITY_DEP_CI_THREADS: '2',
    VELOCITY_DEP_CI_MIN_THREAD_JOBS: '1',
  });

  t.ok((here.graph.stats['parsed'] as number) > 300, 'a cold run parsed every source');
  t.strictSame(threads.graph, here.graph);
  const parsed = (records: LogRecord[]) =>
    records.find((record) => record['msg'] === 'Files parsed');
  t.match(parsed(here.records), { workers: 0 });
  t.match(parsed(threads.records), { workers: 2, inThread: 0 });
  t.strictSame(
    threads.records.filter((record) => (record['level'] as number) >= 40),
    [],
    'no warning: no worker failed',
  );
});
