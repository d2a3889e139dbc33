import t from 'tap';
import type * as WorkerSourceModule from '../src/default-worker-source.js';
import { BUNDLE_ASSET, defaultWorkerSource } from '../src/default-worker-source.js';

t.test('from source: no worker source, so files are parsed in-thread', async (t) => {
  t.equal(defaultWorkerSource(), undefined);
});

t.test('in the single executable: the embedded bundle, read when workers start', async (t) => {
  const reads: string[] = [];
  const { defaultWorkerSource: seaSource } = await t.mockImport<typeof WorkerSourceModule>(
    '../src/default-worker-source.js',
    {
      'node:sea': {
        isSea: () => true,
        getAsset: (name: string, encoding: string) => {
          reads.push(`${name} ${encoding}`);
          return '/* bundle */';
        },
      },
    },
  );
  const source = seaSource();
  t.equal(source?.kind, 'eval');
  t.strictSame(reads, [], 'nothing read yet');
  t.equal(source?.kind === 'eval' ? source.code() : undefined, '/* bundle */');
  t.strictSame(reads, [`${BUNDLE_ASSET} utf8`]);
});
