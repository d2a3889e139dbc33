import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  DEFAULT_MIN_JOBS_FOR_THREADS,
  createParseFiles,
  nodeModulesGrammars,
  type CreateParseFilesOptions,
  type GrammarSource,
  type ParseJob,
  type WorkerSource,
} from '../../src/parsers/index.js';
import { TSX_WORKER, copyRealSources, recordingLogger } from './helpers/parse-jobs.js';

/** Options forcing worker threads for any batch. */
function threaded(root: string, workerSource: WorkerSource = TSX_WORKER) {
  const { logger, records } = recordingLogger();
  const options: CreateParseFilesOptions = {
    root,
    grammars: nodeModulesGrammars,
    logger,
    threads: 2,
    minJobsForThreads: 1,
    workerSource,
  };
  return { parseFiles: createParseFiles(options), records };
}

function inThread(root: string) {
  const { logger } = recordingLogger();
  return createParseFiles({ root, grammars: nodeModulesGrammars, logger, threads: 1 });
}

/** The debug record each batch ends with. */
function parsedRecord(records: ReadonlyArray<Record<string, unknown>>) {
  return records.find((record) => record['msg'] === 'Files parsed');
}

/** A small repository: two TypeScript files, a TSX file and a Python file. */
function smallRepository(t: Test): { root: string; jobs: ParseJob[] } {
  const root = t.testdir({
    'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
    'b.ts': "export const b = require('./c.json');\n",
    'view.tsx': "import React from 'react';\nexport const V = () => <div />;\n",
    'tool.py': 'from . import helpers\nimport os.path\n',
  });
  return {
    root,
    jobs: [
      { path: 'a.ts', language: 'typescript' },
      { path: 'b.ts', language: 'typescript' },
      { path: 'view.tsx', language: 'tsx' },
      { path: 'tool.py', language: 'python' },
    ],
  };
}

t.test('worker threads parse real files exactly as the main thread does, in order', async (t) => {
  const root = t.testdir();
  const jobs = copyRealSources(root);
  t.ok(jobs.length > 300, `${jobs.length} files`);
  t.ok(
    jobs.some((job) => job.language === 'python'),
    'some Python',
  );

  const expected = await inThread(root)(jobs);
  const { parseFiles, records } = threaded(root);
  const actual = await parseFiles(jobs);
  t.equal(actual.length, jobs.length);
  t.strictSame(actual, expected);
  t.ok(
    expected.some((result) => result.references.length > 0),
    'references found',
  );
  t.match(parsedRecord(records), { level: 20, files: jobs.length, workers: 2, inThread: 0 });
  t.notOk(
    records.some((record) => record['level'] === 40),
    'no warning',
  );
});

t.test('an unreadable file gives an unparsable result, in-thread and in workers', async (t) => {
  const { root, jobs } = smallRepository(t);
  mkdirSync(join(root, 'folder.ts'));
  const withBad: ParseJob[] = [
    { path: 'missing.ts', language: 'typescript' },
    ...jobs,
    { path: 'folder.ts', language: 'typescript' },
  ];
  const expected = [
    { references: [], unparsable: true, error: 'could not read the file (ENOENT)' },
    ...(await inThread(root)(jobs)),
    { references: [], unparsable: true, error: 'could not read the file (EISDIR)' },
  ];
  t.strictSame(await inThread(root)(withBad), expected);
  const { parseFiles, records } = threaded(root);
  t.strictSame(await parseFiles(withBad), expected);
  t.match(parsedRecord(records), { workers: 2, inThread: 0 });
});

t.test('no more workers start than there are chunks of files', async (t) => {
  const { root, jobs } = smallRepository(t);
  const { logger, records } = recordingLogger();
  const parseFiles = createParseFiles({
    root,
    grammars: nodeModulesGrammars,
    logger,
    threads: 8,
    minJobsForThreads: 1,
    workerSource: TSX_WORKER,
  });
  t.strictSame(await parseFiles(jobs.slice(0, 2)), await inThread(root)(jobs.slice(0, 2)));
  t.match(parsedRecord(records), { workers: 2, chunks: 2 });
});

/** Worker sources that fail in each way a worker can. */
const FAILING: Array<[string, WorkerSource, RegExp]> = [
  [
    'a worker that throws while loading',
    { kind: 'eval', code: () => "throw new Error('boom')" },
    /\(boom\)/,
  ],
  [
    'a worker that exits before answering',
    { kind: 'eval', code: () => 'process.exit(7)' },
    /\(exited with code 7\)/,
  ],
  [
    'a worker that cannot create its parser',
    {
      kind: 'eval',
      code: () =>
        "require('node:worker_threads').parentPort.postMessage({ type: 'init-failed', message: 'bad grammar' })",
    },
    /\(could not create its parser: bad grammar\)/,
  ],
  [
    'a worker source that cannot give its code (a missing SEA asset)',
    {
      kind: 'eval',
      code: () => {
        throw new Error('Cannot find asset dep-ci.cjs');
      },
    },
    /\(Cannot find asset dep-ci\.cjs\)/,
  ],
  [
    'a worker file that Node refuses (a relative path without ./)',
    { kind: 'file', file: 'dep-ci.cjs' },
    /\(The worker script or module filename must be an absolute path/,
  ],
  [
    'a worker file that does not exist',
    { kind: 'file', file: '/nonexistent/dep-ci.cjs' },
    /Cannot find module/,
  ],
];

for (const [name, source, reason] of FAILING) {
  t.test(`${name}: no file is lost, and a warning says why`, async (t) => {
    const { root, jobs } = smallRepository(t);
    const { parseFiles, records } = threaded(root, source);
    t.strictSame(await parseFiles(jobs), await inThread(root)(jobs));
    const warnings = records.filter((record) => record['level'] === 40);
    t.equal(warnings.length, 1);
    t.match(warnings[0], {
      msg: reason,
      files: jobs.length,
      error: { code: 'DEPCI_PARSE_WORKER_FAILED', name: 'ParseWorkerError' },
    });
    t.match(String(warnings[0]?.['msg']), /^A parse worker thread failed \(/);
    t.match(parsedRecord(records), { inThread: jobs.length });
  });
}

/** Grammars whose bytes are not WebAssembly, counting calls of `grammars()`. */
function garbageGrammars(): { grammars: () => GrammarSource; calls: () => number } {
  let calls = 0;
  const garbage = async () => new TextEncoder().encode('not wasm');
  return {
    grammars: () => {
      calls += 1;
      return { runtime: garbage, load: garbage };
    },
    calls: () => calls,
  };
}

t.test('rejects only when the parser itself cannot start', async (t) => {
  const { root, jobs } = smallRepository(t);
  const { logger } = recordingLogger();
  const here = createParseFiles({
    root,
    logger,
    threads: 1,
    grammars: garbageGrammars().grammars,
  });
  await t.rejects(here(jobs));
  const workers = createParseFiles({
    root,
    logger,
    threads: 2,
    minJobsForThreads: 1,
    workerSource: TSX_WORKER,
    grammars: garbageGrammars().grammars,
  });
  await t.rejects(workers(jobs));
});

t.test('small batches, one thread or no worker source: no worker starts', async (t) => {
  const { root, jobs } = smallRepository(t);
  const boom: WorkerSource = {
    kind: 'eval',
    code: () => {
      throw new Error('no worker should start');
    },
  };
  const cases: Array<Partial<CreateParseFilesOptions>> = [
    { workerSource: boom },
    { workerSource: boom, threads: 1, minJobsForThreads: 1 },
    { workerSource: undefined, threads: 2, minJobsForThreads: 1 },
  ];
  const expected = await inThread(root)(jobs);
  for (const overrides of cases) {
    const { logger, records } = recordingLogger();
    const parseFiles = createParseFiles({
      root,
      grammars: nodeModulesGrammars,
      logger,
      ...overrides,
    });
    t.strictSame(await parseFiles(jobs), expected);
    t.match(parsedRecord(records), { workers: 0 });
    t.notOk(records.some((record) => record['level'] === 40));
  }
  t.equal(DEFAULT_MIN_JOBS_FOR_THREADS, 1000);
});

/** Options whose grammar source counts how often it is asked for (each ask creates a parser). */
function countingGrammars() {
  let calls = 0;
  const { logger } = recordingLogger();
  return {
    calls: () => calls,
    options: {
      logger,
      grammars: () => {
        calls += 1;
        return nodeModulesGrammars();
      },
    },
  };
}

t.test('the in-thread parser is created once, and only when a file needs it', async (t) => {
  const { root, jobs } = smallRepository(t);
  const counted = countingGrammars();
  const parseFiles = createParseFiles({ root, ...counted.options, threads: 1 });
  t.strictSame(await parseFiles([]), []);
  t.equal(counted.calls(), 0, 'no files, no parser');
  await parseFiles(jobs);
  await parseFiles(jobs.slice(1));
  t.equal(counted.calls(), 1);
});

t.test('worker results need no in-thread parser', async (t) => {
  const { root, jobs } = smallRepository(t);
  const counted = countingGrammars();
  const parseFiles = createParseFiles({
    root,
    ...counted.options,
    threads: 2,
    minJobsForThreads: 1,
    workerSource: TSX_WORKER,
  });
  await parseFiles(jobs);
  t.equal(counted.calls(), 1, 'one source for the workers, none for this thread');
});

t.test('threads and minJobsForThreads must be positive integers', async (t) => {
  const { logger } = recordingLogger();
  const base = { root: '/', grammars: nodeModulesGrammars, logger };
  t.throws(() => createParseFiles({ ...base, threads: 0 }), {
    name: 'RangeError',
    message: 'threads must be a positive integer, got 0.',
  });
  t.throws(() => createParseFiles({ ...base, minJobsForThreads: 1.5 }), {
    name: 'RangeError',
    message: 'minJobsForThreads must be a positive integer, got 1.5.',
  });
  t.doesNotThrow(() => createParseFiles(base), 'threads defaults to the available parallelism');
});

// A file written after the parser exists is read when parsed, not before.
t.test('files are read when parsed', async (t) => {
  const { root, jobs } = smallRepository(t);
  const parseFiles = inThread(root);
  await parseFiles(jobs);
  writeFileSync(join(root, 'late.ts'), "import './a.js';\n");
  t.strictSame(await parseFiles([{ path: 'late.ts', language: 'typescript' }]), [
    {
      references: [{ specifier: './a.js', kind: 'side-effect', typeOnly: false, line: 1 }],
      unparsable: false,
    },
  ]);
});
