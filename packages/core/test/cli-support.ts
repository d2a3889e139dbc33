import t from 'tap';
import { listOption, stringOption } from '../src/cli-support.js';

t.test(
  'stringOption: the last of a repeated option, numbers as strings, flags as absent',
  async (t) => {
    const options = { out: ['a', 'b'], port: 7420, once: true, none: undefined };
    t.equal(stringOption(options, 'out'), 'b');
    t.equal(stringOption(options, 'port'), '7420');
    t.equal(stringOption(options, 'once'), undefined);
    t.equal(stringOption(options, 'missing'), undefined);
  },
);

t.test('listOption: every value of a repeatable option', async (t) => {
  t.strictSame(listOption({ host: ['a', 'b'] }, 'host'), ['a', 'b']);
  t.strictSame(listOption({ host: 'a' }, 'host'), ['a']);
  t.strictSame(listOption({}, 'host'), []);
});
