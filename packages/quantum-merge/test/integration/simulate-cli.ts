/**
 * End to end: the built `quantum-merge` single executable in a child process, starting and stopping its own
 * redis-server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import t from 'tap';
import { QUANTUM_MERGE_BIN } from '../helpers/quantum-merge-process.js';

if (!existsSync(QUANTUM_MERGE_BIN))
  throw new Error(`${QUANTUM_MERGE_BIN} is missing: run npm run build first`);

function run(args: string[]) {
  const cwd = t.testdir({});
  return spawnSync(QUANTUM_MERGE_BIN, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, VELOCITY_LOG_LEVEL: 'warn' },
  });
}

t.test('simulate --json prints one JSON summary', async (t) => {
  const args = ['simulate', '--prs', '40', '--failure-rate', '0.1', '--build-seconds', '600'];
  const result = run([
    ...args,
    '--concurrency',
    '4',
    '--strategy',
    'batch',
    '--batch-size',
    '3',
    '--json',
  ]);
  t.equal(result.status, 0, result.stderr);
  const summary: unknown = JSON.parse(result.stdout);
  t.match(summary, {
    merged: Number,
    rejected: Number,
    builds: Number,
    wastedBuilds: Number,
    throughputPerHour: Number,
    timeToMerge: { p50: Number, p95: Number },
  });
  t.strictSame(Object.keys(summary as object), [
    'merged',
    'rejected',
    'builds',
    'wastedBuilds',
    'throughputPerHour',
    'timeToMerge',
  ]);
  t.equal(
    (summary as { merged: number; rejected: number }).rejected +
      (summary as { merged: number }).merged,
    40,
  );
  t.equal(
    run([...args, '--json']).stdout,
    run([...args, '--json']).stdout,
    'same seed, same output',
  );
});

t.test('bad input is a usage error with a remedy', async (t) => {
  const cases: [string[], RegExp][] = [
    [
      ['simulate', '--failure-rate', '0.1', '--build-seconds', '60'],
      /Missing --prs\. Pass --prs VALUE/,
    ],
    [
      ['simulate', '--prs', '5', '--failure-rate', 'lots', '--build-seconds', '60'],
      /Invalid --failure-rate "lots"/,
    ],
    [
      [
        'simulate',
        '--prs',
        '5',
        '--failure-rate',
        '0.1',
        '--build-seconds',
        '60',
        '--strategy',
        'yolo',
      ],
      /Unknown strategy "yolo"/,
    ],
    [
      [
        'simulate',
        '--prs',
        '5',
        '--failure-rate',
        '0.1',
        '--build-seconds',
        '60',
        '--strategy',
        'batch',
        '--batch-size',
        '1',
      ],
      /Batch size "1" cannot batch/,
    ],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const result = run(args);
    t.equal(result.status, 2, args.join(' '));
    t.match(result.stderr, /^quantum-merge: error: /);
    t.match(result.stderr, message);
    t.equal(result.stdout, '');
  }
});
