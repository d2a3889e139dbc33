import t from 'tap';
import {
  createReloadPlanner,
  planReload,
  ReloadConfigError,
  type ReloadRule,
} from '../../src/reload/index.js';

t.test(
  'each path goes to the first rule that matches it; unmatched paths do nothing',
  async (t) => {
    const rules: ReloadRule[] = [
      { paths: ['src/**/*.css'], action: 'sync' },
      { paths: ['src/**'], action: 'restart' },
    ];
    t.strictSame(planReload(rules, ['src/app.css', 'README.md']), [
      { action: 'sync', paths: ['src/app.css'] },
    ]);
    t.strictSame(planReload(rules, ['src/server.ts', 'src/app.css']), [
      { action: 'restart', paths: ['src/server.ts'] },
      { action: 'sync', paths: ['src/app.css'] },
    ]);
    t.strictSame(planReload(rules, ['docs/a.md']), [], 'no rule matches: implicit sync, no action');
    t.strictSame(planReload([], ['src/a.ts']), []);
  },
);

t.test('actions run exec first, then restart, then signals, then sync', async (t) => {
  const rules: ReloadRule[] = [
    { paths: ['public/**'], action: 'sync' },
    { paths: ['nginx/*.conf'], action: 'signal', signal: 'SIGHUP', pidFile: 'run/nginx.pid' },
    { paths: ['src/**'], action: 'restart' },
    { paths: ['package.json', 'package-lock.json'], action: 'exec', command: ['npm', 'install'] },
  ];
  const plan = planReload(rules, ['public/i.png', 'nginx/a.conf', 'src/a.ts', 'package.json']);
  t.strictSame(
    plan.map((planned) => planned.action),
    ['exec', 'restart', 'signal', 'sync'],
  );
  t.strictSame(plan[0], { action: 'exec', command: ['npm', 'install'], paths: ['package.json'] });
  t.strictSame(plan[2], {
    action: 'signal',
    signal: 'SIGHUP',
    target: { kind: 'pid-file', pidFile: 'run/nginx.pid' },
    paths: ['nginx/a.conf'],
  });
});

t.test('actions are deduplicated, their paths merged in batch order', async (t) => {
  const rules: ReloadRule[] = [
    { paths: ['a/**'], action: 'restart' },
    { paths: ['b/**'], action: 'exec', command: ['npm', 'install'] },
    { paths: ['c/**'], action: 'restart' },
    { paths: ['d/**'], action: 'exec', command: ['npm', 'install'] },
    { paths: ['e/**'], action: 'exec', command: ['make'] },
    { paths: ['f/**'], action: 'signal', signal: 'SIGHUP', pidFile: 'x.pid' },
    { paths: ['g/**'], action: 'signal', signal: 'SIGHUP', pidFile: 'x.pid' },
    { paths: ['h/**'], action: 'signal', signal: 'SIGHUP', pidFile: 'y.pid' },
    { paths: ['i/**'], action: 'signal', signal: 'SIGUSR2', pidFile: 'x.pid' },
    { paths: ['j/**'], action: 'sync' },
    { paths: ['k/**'], action: 'sync' },
  ];
  const batch = [
    'k/1',
    'c/1',
    'a/1',
    'd/1',
    'b/1',
    'e/1',
    'g/1',
    'f/1',
    'h/1',
    'i/1',
    'j/1',
    'a/2',
  ];
  t.strictSame(planReload(rules, batch), [
    { action: 'exec', command: ['npm', 'install'], paths: ['d/1', 'b/1'] },
    { action: 'exec', command: ['make'], paths: ['e/1'] },
    { action: 'restart', paths: ['c/1', 'a/1', 'a/2'] },
    {
      action: 'signal',
      signal: 'SIGHUP',
      target: { kind: 'pid-file', pidFile: 'x.pid' },
      paths: ['g/1', 'f/1'],
    },
    {
      action: 'signal',
      signal: 'SIGHUP',
      target: { kind: 'pid-file', pidFile: 'y.pid' },
      paths: ['h/1'],
    },
    {
      action: 'signal',
      signal: 'SIGUSR2',
      target: { kind: 'pid-file', pidFile: 'x.pid' },
      paths: ['i/1'],
    },
    { action: 'sync', paths: ['k/1', 'j/1'] },
  ]);
});

t.test('a signal to the supervised app is dropped when the app restarts anyway', async (t) => {
  const rules: ReloadRule[] = [
    { paths: ['config/**'], action: 'signal', signal: 'SIGHUP' },
    { paths: ['other/**'], action: 'signal', signal: 'SIGHUP', pidFile: 'other.pid' },
    { paths: ['src/**'], action: 'restart' },
  ];
  t.strictSame(planReload(rules, ['config/a.yaml']), [
    { action: 'signal', signal: 'SIGHUP', target: { kind: 'app' }, paths: ['config/a.yaml'] },
  ]);
  t.strictSame(
    planReload(rules, ['config/a.yaml', 'other/b', 'src/a.ts']).map((planned) => planned.action),
    ['restart', 'signal'],
  );
});

t.test('globs match dotfiles, and ! globs exclude', async (t) => {
  const plan = createReloadPlanner([
    { paths: ['src/**', '!**/*.test.ts'], action: 'restart' },
    { paths: ['!**/*.md'], action: 'sync' },
  ]);
  t.strictSame(plan(['src/.env']), [{ action: 'restart', paths: ['src/.env'] }]);
  t.strictSame(plan(['src/a.test.ts', 'x.md']), [{ action: 'sync', paths: ['src/a.test.ts'] }]);
  t.strictSame(plan([]), []);
});

t.test('invalid rules are refused with the rule named', async (t) => {
  const cases: Array<[string, ReloadRule, RegExp]> = [
    ['no paths', { paths: [], action: 'sync' }, /^livepatch\.reload\[0\]\.paths is empty\./],
    ['an empty glob', { paths: [''], action: 'sync' }, /paths holds ""/],
    [
      'an unknown action',
      { paths: ['a'], action: 'reboot' as 'sync' },
      /action is "reboot"\. Use one of sync, signal, restart, exec\./,
    ],
    ['signal without signal', { paths: ['a'], action: 'signal' }, /signal is missing/],
    [
      'an unknown signal',
      { paths: ['a'], action: 'signal', signal: 'SIGNOPE' as NodeJS.Signals },
      /signal is "SIGNOPE"/,
    ],
    ['a signal on restart', { paths: ['a'], action: 'restart', signal: 'SIGHUP' }, /signal is set/],
    ['a pidFile on exec', { paths: ['a'], action: 'sync', pidFile: 'x.pid' }, /pidFile is set/],
    [
      'an empty pidFile',
      { paths: ['a'], action: 'signal', signal: 'SIGHUP', pidFile: '' },
      /pidFile is empty/,
    ],
    ['exec without command', { paths: ['a'], action: 'exec' }, /command is missing/],
    [
      'exec with an empty command',
      { paths: ['a'], action: 'exec', command: [] },
      /command is missing/,
    ],
    ['a command on sync', { paths: ['a'], action: 'sync', command: ['x'] }, /command is set/],
  ];
  for (const [name, rule, message] of cases) {
    t.throws(() => createReloadPlanner([rule]), { name: 'ReloadConfigError', message }, name);
  }
  t.throws(
    () =>
      planReload(
        [
          { paths: ['a'], action: 'sync' },
          { paths: [], action: 'sync' },
        ],
        [],
      ),
    new ReloadConfigError(
      'livepatch.reload[1].paths is empty. List at least one glob, e.g. "src/**".',
    ),
  );
});
