import t from 'tap';
import { suggest } from '../../src/config/suggest.js';

t.test('suggests the closest candidate within one edit per three characters', async (t) => {
  t.equal(suggest('runer', ['runner', 'testGlobs']), 'runner');
  t.equal(suggest('depci', ['depCi', 'log']), 'depCi', 'case is ignored');
  t.equal(suggest('concurency', ['concurrency', 'batchSize']), 'concurrency');
  t.equal(suggest('lvl', ['level']), undefined, 'two edits are too many for three characters');
  t.equal(suggest('xyz', ['runner', 'level']), undefined);
  t.equal(
    suggest('lable', ['label', 'table']),
    'label',
    'a swap is one edit; ties go to the first candidate',
  );
  t.equal(suggest('nmae', ['name']), 'name');
  t.equal(suggest('runenr', ['runner']), 'runner');
  t.equal(suggest('a', []), undefined);
});
