import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import {
  JOURNAL_NAME,
  JournalCorruptError,
  RollbackFailedError,
  beginBatch,
  recoverRoot,
} from '../../src/apply/index.js';
import type { ApplyLogger, Batch, JournalAction, JournalPlan } from '../../src/apply/index.js';
import { internalEntries, sha256, snapshotTree } from './helpers/tree.js';

/** Content and its hash and size, for writeFile. */
function file(text: string) {
  const content = Buffer.from(text);
  return [content, { expectedHash: sha256(content), expectedSize: content.byteLength }] as const;
}

/** The tree of every crash test, and a batch over it that exercises every kind of action. */
const FILES = {
  'a.txt': 'a',
  'b.txt': 'b',
  'c.txt': 'c',
  'd.txt': 'd',
  'e.txt': 'e',
  'exec.sh': 'x',
  'link-to-a': t.fixture('symlink', 'a.txt'),
  dir: { 'x.txt': 'x', sub: { 'y.txt': 'y' } },
  keep: {},
};

async function stageEverything(batch: Batch): Promise<void> {
  await batch.writeFile('a.txt', ...file('A'));
  await batch.writeFile('new/deep/file.txt', ...file('N'));
  await batch.remove('b.txt');
  await batch.remove('dir');
  await batch.rename('c.txt', 'renamed/c.txt');
  await batch.writeFile('c.txt', ...file('C again'));
  await batch.mkdir('made', 0o700);
  await batch.mkdir('keep', 0o700);
  await batch.symlink('link-to-a', 'b.txt');
  await batch.chmod('exec.sh', 0o755);
  await batch.writeFile('dir', ...file('a file where a directory was'));
  await batch.rename('a.txt', 'a2.txt');
  await batch.rename('d.txt', 'e.txt');
  await batch.rename('keep', 'b.txt');
}

/** One simulated crash: a copy of the root taken at a step, possibly adjusted. */
interface CrashPoint {
  name: string;
  root: string;
}

/**
 * Runs `run` on a fresh root and copies the root (`cp -a`, which keeps hard links) at every step the
 * logger announces, as a crash would leave it. Each `apply` step gives two crashes: before its journal
 * record, and recorded but not performed; each `undo` step gives: before the undo, and the previous undo
 * performed but not yet marked in the journal.
 */
async function crashEverywhere(
  t: Test,
  run: (root: string, logger: ApplyLogger) => Promise<void>,
): Promise<{ before: Record<string, string>; crashes: CrashPoint[] }> {
  const dir = t.testdir({ root: FILES, crashes: {} });
  const root = join(dir, 'root');
  const before = snapshotTree(root);
  const crashes: CrashPoint[] = [];
  const logger: ApplyLogger = {
    debug: (message, fields = {}) => {
      if (message !== 'apply' && message !== 'undo') return;
      const action = Object.fromEntries(
        Object.entries(fields).filter(([key]) => key !== 'batchId'),
      );
      const copy = (name: string) => {
        const target = join(dir, 'crashes', String(crashes.length));
        execFileSync('cp', ['-a', root, target]);
        crashes.push({ name: `${crashes.length} ${name} ${JSON.stringify(action)}`, root: target });
        return target;
      };
      copy(`before ${message}`);
      if (message === 'apply') {
        appendFileSync(
          join(copy('recorded, not performed'), JOURNAL_NAME),
          `${JSON.stringify(action)}\n`,
        );
      } else {
        const journal = join(copy('previous undo not marked'), JOURNAL_NAME);
        const lines = readFileSync(journal, 'utf8').split('\n').slice(0, -1);
        if (lines.at(-1)?.startsWith('{"undone"') === true) {
          writeFileSync(
            journal,
            lines
              .slice(0, -1)
              .map((line) => `${line}\n`)
              .join(''),
          );
        }
      }
    },
    info: () => {},
    warn: () => {},
    error: () => {},
  };
  await run(root, logger);
  return { before, crashes };
}

t.test('a crash at any step of a commit is rolled back to the previous tree', async (t) => {
  const { before, crashes } = await crashEverywhere(t, async (root, logger) => {
    const batch = await beginBatch({ root, batchId: 'crash', logger });
    await stageEverything(batch);
    await batch.commit();
  });
  t.ok(crashes.length > 30, `${crashes.length} crash points`);
  for (const crash of crashes) {
    const result = await recoverRoot(crash.root);
    t.equal(result.rolledBack, 'crash', crash.name);
    t.strictSame(result.failures, [], crash.name);
    t.strictSame(snapshotTree(crash.root), before, crash.name);
  }
});

t.test('recovery resumes an interrupted undo without undoing a step twice', async (t) => {
  const dir = t.testdir({ root: FILES, crashes: {} });
  const root = join(dir, 'root');
  const before = snapshotTree(root);
  let copying = false;
  const crashes: CrashPoint[] = [];
  const logger: ApplyLogger = {
    debug: (message) => {
      if (!copying || message !== 'undo') return;
      for (const adjust of [false, true]) {
        const target = join(dir, 'crashes', String(crashes.length));
        execFileSync('cp', ['-a', root, target]);
        crashes.push({ name: `${crashes.length} ${adjust ? 'unmarked' : 'before'}`, root: target });
        if (!adjust) continue;
        const journal = join(target, JOURNAL_NAME);
        const lines = readFileSync(journal, 'utf8').split('\n').slice(0, -1);
        if (lines.at(-1)?.startsWith('{"undone"') === true) {
          writeFileSync(
            journal,
            lines
              .slice(0, -1)
              .map((line) => `${line}\n`)
              .join(''),
          );
        }
      }
    },
    info: () => {},
    warn: () => {},
    error: () => {},
  };
  const batch = await beginBatch({ root, batchId: 'undo', logger });
  await stageEverything(batch);
  const committed = await batch.commit();
  copying = true;
  await committed.undo();
  t.strictSame(snapshotTree(root), before, 'the undo itself restored the tree');
  t.ok(crashes.length > 20, `${crashes.length} crash points`);
  for (const crash of crashes) {
    const result = await recoverRoot(crash.root);
    t.equal(result.rolledBack, 'undo', crash.name);
    t.strictSame(snapshotTree(crash.root), before, crash.name);
  }
});

t.test('a journal written by hand, with some renames done, is rolled back', async (t) => {
  const root = t.testdir({
    'one.txt': 'old 1',
    'two.txt': 'old 2',
    sub: { 'three.txt': 'old 3' },
    // Staged temps, as the batch leaves them before its commit.
    '.one.txt.lp-0000000000000001.tmp': 'new 1',
    '.two.txt.lp-0000000000000002.tmp': 'new 2',
    '.four.txt.lp-0000000000000004.tmp': 'new 4',
    sub2: { '.three.txt.lp-0000000000000003.tmp': 'new 3' },
  });
  const old = {
    'one.txt': 'old 1',
    'two.txt': 'old 2',
    'sub/three.txt': 'old 3',
  };
  const plan: JournalPlan = {
    version: 1,
    batchId: 'by-hand',
    startedAtMs: 1,
    operations: [
      {
        op: 'write',
        path: 'one.txt',
        temp: '.one.txt.lp-0000000000000001.tmp',
        backup: '.one.txt.lp-by-hand-0.bak',
      },
      {
        op: 'write',
        path: 'two.txt',
        temp: '.two.txt.lp-0000000000000002.tmp',
        backup: '.two.txt.lp-by-hand-1.bak',
      },
      {
        op: 'write',
        path: 'new/four.txt',
        temp: '.four.txt.lp-0000000000000004.tmp',
        backup: 'new/.four.txt.lp-by-hand-2.bak',
      },
      { op: 'rename', from: 'sub', path: 'sub3', backup: '.sub3.lp-by-hand-3.bak' },
    ],
  };
  const actions: JournalAction[] = [
    {
      action: 'backup',
      op: 0,
      path: 'one.txt',
      backup: '.one.txt.lp-by-hand-0.bak',
      method: 'link',
    },
    { action: 'place', op: 0, temp: '.one.txt.lp-0000000000000001.tmp', path: 'one.txt' },
    {
      action: 'backup',
      op: 1,
      path: 'two.txt',
      backup: '.two.txt.lp-by-hand-1.bak',
      method: 'move',
    },
    { action: 'place', op: 1, temp: '.two.txt.lp-0000000000000002.tmp', path: 'two.txt' },
    { action: 'mkdir', op: 2, path: 'new', mode: 0o755 },
    { action: 'place', op: 2, temp: '.four.txt.lp-0000000000000004.tmp', path: 'new/four.txt' },
    { action: 'move', op: 3, from: 'sub', to: 'sub3' },
  ];
  const at = (path: string) => join(root, path);
  // Done before the crash: operations 0 and 2 in full, operation 1's backup, operation 3's rename.
  linkSync(at('one.txt'), at('.one.txt.lp-by-hand-0.bak'));
  renameSync(at('.one.txt.lp-0000000000000001.tmp'), at('one.txt'));
  renameSync(at('two.txt'), at('.two.txt.lp-by-hand-1.bak'));
  mkdirSync(at('new'));
  renameSync(at('.four.txt.lp-0000000000000004.tmp'), at('new/four.txt'));
  renameSync(at('sub'), at('sub3'));
  writeFileSync(
    at(JOURNAL_NAME),
    [plan, ...actions].map((line) => `${JSON.stringify(line)}\n`).join('') + '{"action":"mkd',
  );
  const warnings: string[] = [];
  const result = await recoverRoot(root, {
    durable: true,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (message) => warnings.push(message),
      error: () => {},
    },
  });
  t.match(result, { rolledBack: 'by-hand', failures: [], removedTemps: 1 });
  t.strictSame(warnings, ['rolling back a batch interrupted by a crash']);
  const tree = snapshotTree(root);
  t.strictSame(Object.keys(tree).sort(), ['one.txt', 'sub', 'sub/three.txt', 'sub2', 'two.txt']);
  for (const [path, text] of Object.entries(old))
    t.equal(readFileSync(at(path), 'utf8'), text, path);
  t.strictSame(
    await recoverRoot(root),
    { removedTemps: 0, removedBackups: 0, failures: [] },
    'idempotent',
  );
});

t.test('stale temps and backups are swept, without following links', async (t) => {
  const dir = t.testdir({
    outside: { '.x.lp-0123456789abcdef.tmp': 'not ours', '.y.lp-b-1.bak': 'not ours' },
    root: {
      '.a.lp-0123456789abcdef.tmp': 'stale',
      '.b.lp-batch-3.bak': 'stale',
      '.c.lp-zz.tmp': 'reserved but not a name we make',
      src: {
        deep: { '.d.js.lp-fedcba9876543210.tmp': t.fixture('symlink', '../../../outside') },
        '.olddir.lp-batch-0.bak': { inner: { 'f.txt': 'x' } },
        'app.js': 'kept',
      },
      escape: t.fixture('symlink', '../outside'),
    },
  });
  const root = join(dir, 'root');
  const result = await recoverRoot(root);
  t.strictSame(result, { removedTemps: 2, removedBackups: 2, failures: [] });
  t.strictSame(Object.keys(snapshotTree(root)).sort(), [
    '.c.lp-zz.tmp',
    'escape',
    'src',
    'src/app.js',
    'src/deep',
  ]);
  t.strictSame(Object.keys(snapshotTree(join(dir, 'outside'))).sort(), [
    '.x.lp-0123456789abcdef.tmp',
    '.y.lp-b-1.bak',
  ]);
});

t.test('a clean root needs nothing', async (t) => {
  const root = t.testdir({ 'a.txt': 'a', sub: { [JOURNAL_NAME]: 'not the root journal' } });
  t.strictSame(await recoverRoot(root), { removedTemps: 0, removedBackups: 0, failures: [] });
  t.equal(readFileSync(join(root, 'sub', JOURNAL_NAME), 'utf8'), 'not the root journal');
});

t.test('a corrupt journal is refused and nothing is changed', async (t) => {
  const plan = JSON.stringify({ version: 1, batchId: 'x', startedAtMs: 0, operations: [] });
  const cases: [string, string | undefined][] = [
    ['not json\n', 'line 1 is not JSON'],
    ['{"version":2}\n', 'line 1 is not a valid plan'],
    ['', 'it has no plan line'],
    [`${plan}\n{"action":"explode","op":0}\n`, 'line 2 is not a valid action'],
    [`${plan}\n{"action":"move","op":0,"from":"../x","to":"y"}\n`, 'line 2 is not a valid action'],
    [`${plan}\nnope\n`, 'line 2 is not JSON'],
    [`${plan}\n{"undone":-1}\n`, 'line 2 is not a valid action'],
    [`${plan}\n{"action":"mkdir","op":5,"path":"x","mode":493}\n`, 'line 2 is not a valid action'],
  ];
  for (const [text, reason] of cases) {
    const root = t.testdir({ [JOURNAL_NAME]: text, '.a.lp-0123456789abcdef.tmp': 'x' });
    const before = snapshotTree(root);
    const error = await recoverRoot(root).catch((error: unknown) => error);
    t.type(error, JournalCorruptError, text);
    t.match((error as Error).message, reason ?? '', text);
    t.strictSame(snapshotTree(root), before, `${text}: nothing changed`);
  }
  const root = t.testdir({ target: plan, [JOURNAL_NAME]: t.fixture('symlink', 'target') });
  await t.rejects(recoverRoot(root), { message: /is a symbolic link/ });
});

t.test('rollback steps that fail are reported, and the others still run', async (t) => {
  const root = t.testdir({ 'a.txt': 'a' });
  const warnings: unknown[] = [];
  const logger: ApplyLogger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => warnings.push({ message, ...fields }),
    error: () => {},
  };
  const batch = await beginBatch({ root, batchId: 'fails', logger });
  await batch.writeFile('a.txt', ...file('A'));
  await batch.mkdir('made');
  await batch.chmod('a.txt', 0o600);
  const committed = await batch.commit();
  // The app writes into the directory the batch made, and replaces the file the batch chmod-ed.
  writeFileSync(join(root, 'made/app.log'), 'log');
  renameSync(join(root, 'a.txt'), join(root, 'a-moved.txt'));
  symlinkSync('a-moved.txt', join(root, 'a.txt'));
  const error = await committed.undo().catch((error: unknown) => error);
  t.type(error, RollbackFailedError);
  t.match(error, {
    code: 'LIVEPATCH_ROLLBACK_FAILED',
    failures: [
      { path: 'a.txt', message: /symbolic link/ },
      { path: 'made', message: /ENOTEMPTY/ },
    ],
  });
  t.equal(warnings.length, 2);
  t.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'a', 'the file itself was restored');
  t.strictSame(internalEntries(root), []);
});
