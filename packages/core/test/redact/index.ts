import t from 'tap';
import * as redact from '../../src/redact/index.js';

t.test('the public API is exported by name', async (t) => {
  t.strictSame(Object.keys(redact).sort(), [
    'Scrubber',
    'ScrubberOptionError',
    'createScrubStream',
    'registerSecretEnv',
  ]);
});
