import t from 'tap';
import { nodeModulesGrammars } from '../../src/parsers/index.js';
import { parseInWorkers } from '../../src/parsers/parse-pool.js';
import { TSX_WORKER } from './helpers/parse-jobs.js';

t.test('no jobs: no worker starts', async (t) => {
  t.strictSame(
    await parseInWorkers([], {
      root: '/',
      grammars: nodeModulesGrammars(),
      workerSource: {
        kind: 'eval',
        code: () => {
          throw new Error('no worker should start');
        },
      },
      threads: 2,
    }),
    { results: [], threads: 0, chunks: 0 },
  );
});

t.test('chunks are contiguous, and each result lands at its job', async (t) => {
  const files = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`m${i}.ts`, `import './n${i}.js';\n`]),
  );
  const root = t.testdir(files);
  const jobs = Object.keys(files).map((path) => ({ path, language: 'typescript' as const }));
  const pool = await parseInWorkers(jobs, {
    root,
    grammars: nodeModulesGrammars(),
    workerSource: TSX_WORKER,
    threads: 2,
  });
  t.match(pool, { threads: 2, chunks: 20 });
  t.equal(pool.failure, undefined);
  t.strictSame(
    pool.results.map((result) => result?.references[0]?.specifier),
    jobs.map((_, i) => `./n${i}.js`),
  );
});
