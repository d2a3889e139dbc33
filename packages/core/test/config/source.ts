import t from 'tap';
import { formatSource } from '../../src/config/source.js';

t.test('formats each kind of source', async (t) => {
  t.equal(formatSource({ kind: 'default' }), 'default');
  t.equal(
    formatSource({ kind: 'file', file: 'velocity.yaml', line: 3, column: 11 }),
    'velocity.yaml:3:11',
  );
  t.equal(formatSource({ kind: 'env', name: 'VELOCITY_LOG_LEVEL' }), 'env VELOCITY_LOG_LEVEL');
  t.equal(formatSource({ kind: 'flag', name: 'depCi.runner' }), 'flag --set depCi.runner');
});
