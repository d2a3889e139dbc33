import t from 'tap';
import {
  GraphReportError,
  parseGraphReport,
  toBaseSelection,
  toGraphData,
} from '../../src/lib/graph-report.js';

const REPORT = {
  files: ['src/a.ts', 'src/b.ts', 'test/b.test.ts'],
  edges: [
    { from: 'src/b.ts', to: 'src/a.ts', typeOnly: false },
    { from: 'src/b.ts', to: 'src/gone.ts', typeOnly: true },
    { from: 'test/b.test.ts', to: 'src/b.ts', typeOnly: false },
  ],
  tests: ['test/b.test.ts'],
  unparsable: { 'src/a.ts': 'syntax error at 3:1' },
  stats: { files: 3, edges: 3, parsed: 3, cached: 0, ms: 12 },
};

t.test('a report becomes ids: files, then edge targets outside them', async (t) => {
  t.strictSame(parseGraphReport(JSON.stringify(REPORT)), {
    files: ['src/a.ts', 'src/b.ts', 'test/b.test.ts', 'src/gone.ts'],
    edges: [1, 0, 0, 1, 3, 1, 2, 1, 0],
    tests: [2],
    unparsable: [{ file: 'src/a.ts', reason: 'syntax error at 3:1' }],
    stats: { files: 3, edges: 3, ms: 12 },
  });
});

t.test('unparsable and stats may be missing', async (t) => {
  const { files, edges, tests } = REPORT;
  t.match(toGraphData({ files, edges, tests }), {
    unparsable: [],
    stats: { files: 3, edges: 3, ms: 0 },
  });
});

t.test('a file that does not fit names the first problem and the remedy', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'not JSON',
      undefined,
      /^The file is not valid JSON\. Upload the output of dep-ci graph --format json\.$/,
    ],
    ['an array', [], /not a JSON object/],
    ['no files', { ...REPORT, files: undefined }, /no "files" array/],
    ['a file not a path', { ...REPORT, files: ['a.ts', 3] }, /"files\[1\]" is not a file path/],
    ['a file twice', { ...REPORT, files: ['a.ts', 'a.ts'] }, /lists the file "a.ts" twice/],
    ['an edge not an object', { ...REPORT, edges: ['x'] }, /"edges\[0\]" is not an object/],
    [
      'an edge without typeOnly',
      { ...REPORT, edges: [{ from: 'src/b.ts', to: 'src/a.ts' }] },
      /"edges\[0\]\.typeOnly" is not true or false/,
    ],
    [
      'an edge from outside files',
      { ...REPORT, edges: [{ from: 'x.ts', to: 'src/a.ts', typeOnly: false }] },
      /"edges\[0\]\.from" \("x.ts"\) is not in "files"/,
    ],
    [
      'a test outside files',
      { ...REPORT, tests: ['src/gone.ts'] },
      /"tests\[0\]" \("src\/gone.ts"\)/,
    ],
    ['unparsable not an object', { ...REPORT, unparsable: [] }, /"unparsable" is not an object/],
    ['a reason not text', { ...REPORT, unparsable: { 'a.ts': 1 } }, /reason of "a.ts" is not text/],
    ['stats not an object', { ...REPORT, stats: 'x' }, /"stats" is not an object/],
    ['a negative count', { ...REPORT, stats: { ms: -1 } }, /"stats.ms" is not a count/],
  ];
  for (const [name, report, message] of cases) {
    const text = report === undefined ? '{"files": [' : JSON.stringify(report);
    t.throws(() => parseGraphReport(text), message, name);
    t.throws(() => parseGraphReport(text), GraphReportError, name);
  }
  const error = new GraphReportError('The report has no "files" array.');
  t.equal(error.code, 'DASHBOARD_GRAPH_REPORT_INVALID');
  t.equal(error.problem, 'The report has no "files" array.');
});

t.test('a dep-ci affected selection keeps its chains in test order', async (t) => {
  const selection = {
    changed: ['src/a.ts'],
    tests: ['test/a.test.ts', 'test/b.test.ts'],
    runAll: false,
    runAllReasons: [],
    reasons: {
      'test/b.test.ts': ['src/a.ts', 'test/b.test.ts'],
      'test/a.test.ts': ['src/a.ts', 'test/a.test.ts'],
    },
    stats: { files: 4, edges: 2, ms: 3 },
  };
  t.strictSame(toBaseSelection('main', selection), {
    base: 'main',
    changed: ['src/a.ts'],
    tests: ['test/a.test.ts', 'test/b.test.ts'],
    reasons: [
      { test: 'test/a.test.ts', chain: ['src/a.ts', 'test/a.test.ts'] },
      { test: 'test/b.test.ts', chain: ['src/a.ts', 'test/b.test.ts'] },
    ],
    runAll: false,
    runAllReasons: [],
  });
  t.match(
    toBaseSelection('main', {
      ...selection,
      runAll: true,
      reasons: {},
      runAllReasons: ['Base ref "main" not found.'],
    }),
    { runAll: true, reasons: [], runAllReasons: ['Base ref "main" not found.'] },
  );
  t.throws(() => toBaseSelection('main', null), /not a JSON object/);
  t.throws(
    () => toBaseSelection('main', { ...selection, tests: [1] }),
    /"tests" is not a list of paths/,
  );
  t.throws(
    () => toBaseSelection('main', { ...selection, reasons: [] }),
    /"reasons" is not an object/,
  );
  t.throws(
    () => toBaseSelection('main', { ...selection, runAll: 'no' }),
    /"runAll" is not true or false/,
  );
});
