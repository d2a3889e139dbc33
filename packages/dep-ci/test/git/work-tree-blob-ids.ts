import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readWorkTree } from '../../src/git/index.js';
import { gitBlobId } from '../../src/graph/content-hash.js';
import { gitEnv, runGit } from './helpers/repo.js';

t.test('clean tracked files get their blob id; modified and untracked ones do not', async (t) => {
  const dir = t.testdir({ 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': 'c\n', 'with space.ts': 'x\n' });
  await runGit(dir, ['init', '-q', '-b', 'main']);
  await runGit(dir, ['add', '-A']);
  await runGit(dir, ['commit', '-q', '-m', 'one']);
  writeFileSync(join(dir, 'b.ts'), 'b changed\n');
  writeFileSync(join(dir, 'c.ts'), 'c staged\n');
  await runGit(dir, ['add', 'c.ts']);
  writeFileSync(join(dir, 'new.ts'), 'new\n');
  const { blobIds: ids, files } = await readWorkTree(dir, { env: gitEnv(dir) });
  t.strictSame(files, ['a.ts', 'b.ts', 'c.ts', 'new.ts', 'with space.ts']);
  t.strictSame([...ids.keys()].sort(), ['a.ts', 'c.ts', 'with space.ts']);
  t.equal(ids.get('a.ts'), gitBlobId(Buffer.from('a\n')), 'the same id gitBlobId computes');
  t.equal(ids.get('c.ts'), gitBlobId(Buffer.from('c staged\n')), 'the staged content, as on disk');
  t.equal(ids.get('a.ts'), await runGit(dir, ['hash-object', 'a.ts']));
});

t.test('a conflicted, deleted or submodule path has no blob id', async (t) => {
  const dir = t.testdir({ 'a.ts': 'base\n', 'gone.ts': 'x\n' });
  await runGit(dir, ['init', '-q', '-b', 'main']);
  await runGit(dir, ['add', '-A']);
  await runGit(dir, ['commit', '-q', '-m', 'base']);
  await runGit(dir, ['checkout', '-q', '-b', 'other']);
  writeFileSync(join(dir, 'a.ts'), 'other\n');
  await runGit(dir, ['commit', '-q', '-am', 'other']);
  await runGit(dir, ['checkout', '-q', 'main']);
  writeFileSync(join(dir, 'a.ts'), 'main\n');
  await runGit(dir, ['commit', '-q', '-am', 'main']);
  await t.rejects(runGit(dir, ['merge', '-q', 'other']));
  rmSync(join(dir, 'gone.ts'));
  const { files, blobIds } = await readWorkTree(dir, { env: gitEnv(dir) });
  t.strictSame(files, ['a.ts']);
  t.strictSame([...blobIds.keys()], []);
});
