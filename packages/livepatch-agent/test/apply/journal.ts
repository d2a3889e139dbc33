import * as fsSync from '../../src/apply/fs-sync.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { JOURNAL_NAME } from '../../src/apply/index.js';
import type { JournalPlan } from '../../src/apply/index.js';
import { Journal, parseJournal } from '../../src/apply/journal.js';
import type * as JournalModule from '../../src/apply/journal.js';

const plan: JournalPlan = {
  version: 1,
  batchId: 'j',
  startedAtMs: 0,
  operations: [{ op: 'mkdir', path: 'd', mode: 0o755 }],
};
const action = { action: 'mkdir', op: 0, path: 'd', mode: 0o755 } as const;

t.test('parseJournal reads plans, actions, undo marks, and drops a torn last line', async (t) => {
  const text = [plan, action, { undone: 0 }].map((line) => `${JSON.stringify(line)}\n`).join('');
  t.strictSame(parseJournal(`${text}{"undo`, '/j'), {
    plan,
    actions: [action],
    undone: new Set([0]),
  });
});

t.test('the journal is JSON Lines: the plan, then each action before it runs', async (t) => {
  const root = t.testdir({});
  for (const durable of [false, true]) {
    const journal = await Journal.create(root, plan, [], durable);
    await journal.perform(action, async () => {});
    await t.rejects(
      journal.perform(action, () => Promise.reject(new Error('failed'))),
      { message: 'failed' },
    );
    t.strictSame(
      readFileSync(join(root, JOURNAL_NAME), 'utf8').split('\n'),
      [JSON.stringify(plan), JSON.stringify(action), JSON.stringify(action), '{"undone":1}', ''],
      'a failed action is marked undone at once',
    );
    t.strictSame(readdirSync(root), [JOURNAL_NAME], 'the temp used to write it is gone');
    await journal.remove();
    t.strictSame(readdirSync(root), []);
  }
});

t.test('without hard links the journal is renamed into place, never over another', async (t) => {
  const { Journal: Mocked } = await t.mockImport<typeof JournalModule>(
    '../../src/apply/journal.js',
    {
      '../../src/apply/fs-sync.ts': {
        ...fsSync,
        link: () =>
          Promise.reject(
            Object.assign(new Error('EPERM: link'), { code: 'EPERM', syscall: 'link' }),
          ),
      },
    },
  );
  const root = t.testdir({});
  const journal = await Mocked.create(root, plan, [action], false);
  t.equal(readFileSync(join(root, JOURNAL_NAME), 'utf8').split('\n').length, 3);
  // The mocked module graph has its own copy of the error classes: match the error by name and code.
  await t.rejects(Mocked.create(root, plan, [], false), {
    name: 'BatchStateError',
    code: 'LIVEPATCH_BATCH_STATE',
  });
  t.strictSame(readdirSync(root), [JOURNAL_NAME]);
  await journal.remove();
});

t.test('other errors while linking the journal are thrown as they are', async (t) => {
  const { Journal: Mocked } = await t.mockImport<typeof JournalModule>(
    '../../src/apply/journal.js',
    {
      '../../src/apply/fs-sync.ts': {
        ...fsSync,
        link: () =>
          Promise.reject(Object.assign(new Error('EIO: link'), { code: 'EIO', syscall: 'link' })),
      },
    },
  );
  const root = t.testdir({});
  await t.rejects(Mocked.create(root, plan, [], false), { code: 'EIO' });
  t.strictSame(readdirSync(root), [], 'the temp is deleted');
});
