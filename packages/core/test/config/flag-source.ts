import t from 'tap';
import { matchFlags } from '../../src/config/flag-source.js';

t.test('flags naming a leaf are kept in order, with their values as given', async (t) => {
  t.strictSame(matchFlags({ 'log.level': 'debug', 'quantumMerge.concurrency': 8 }), {
    entries: [
      { path: 'log.level', value: 'debug' },
      { path: 'quantumMerge.concurrency', value: 8 },
    ],
    issues: [],
  });
});

t.test(
  'other flags are issues: unknown keys get a suggestion, sections list their fields',
  async (t) => {
    t.strictSame(
      matchFlags({
        'quantumMerge.concurency': '8',
        depCi: {},
        'nothing.like.it': 1,
      }).issues,
      [
        {
          path: '--set quantumMerge.concurency',
          message:
            'unknown key "quantumMerge.concurency" (did you mean "quantumMerge.concurrency"?)',
        },
        {
          path: '--set depCi',
          message:
            '"depCi" is a section; set one of its fields (depCi.runner, depCi.testGlobs, depCi.runAllOn, depCi.baseBranch, depCi.roots, depCi.ignore, depCi.languages, depCi.cacheDir, depCi.ignoreTypeImports, depCi.threads, depCi.minThreadJobs, depCi.aliases)',
        },
        {
          path: '--set nothing.like.it',
          message: 'unknown key "nothing.like.it"',
        },
      ],
    );
  },
);
