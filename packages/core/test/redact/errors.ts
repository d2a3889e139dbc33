import t from 'tap';
import { VelocityError } from '../../src/errors.js';
import { ScrubberOptionError } from '../../src/redact/errors.js';

t.test('a bad option names the option, its value and what is accepted', async (t) => {
  const error = new ScrubberOptionError('flushAfterMs', -1, 'a finite number >= 0');
  t.ok(error instanceof VelocityError);
  t.equal(error.name, 'ScrubberOptionError');
  t.equal(error.code, 'REDACT_BAD_OPTION');
  t.equal(error.exitCode, 1);
  t.equal(
    error.message,
    'Option flushAfterMs is "-1" but must be a finite number >= 0. Pass a valid value or leave it out for the default.',
  );
});
