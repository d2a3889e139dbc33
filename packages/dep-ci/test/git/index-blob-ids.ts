import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { indexBlobIds } from '../../src/git/index.js';
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
  const ids = await indexBlobIds(dir, { env: gitEnv(dir) });
  t.strictSame([...ids.keys()].sort(), ['a.ts', 'c.ts', 'with space.ts']);
  t.equal(ids.get('a.ts'), gitBlobId(Buffer.from('a\n')), 'the same id gitBlobId computes');
  t.equal(ids.get('c.ts'), gitBlobId(Buffer.from('c staged\n')), 'the staged content, as on disk');
  t.equal(ids.get('a.ts'), await runGit(dir, ['hash-object', 'a.ts']));
});
