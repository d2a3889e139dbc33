import t from 'tap';
import { formatAddMask } from '../../src/logger/index.js';

t.test('one ::add-mask:: command per non-blank line', async (t) => {
  t.equal(formatAddMask('abc'), '::add-mask::abc\n');
  t.equal(formatAddMask('a\r\nb\n\n  \nc'), '::add-mask::a\n::add-mask::b\n::add-mask::c\n');
  t.equal(formatAddMask('\n'), '');
});
