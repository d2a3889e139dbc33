import t from 'tap';
import * as config from '../../src/config/index.js';

t.test('the public API is exported by name', async (t) => {
  t.strictSame(Object.keys(config).sort(), [
    'REDACTED',
    'configJsonSchema',
    'findConfigFile',
    'formatConfig',
    'formatSource',
    'loadConfig',
    'secretPaths',
    'velocityConfigSchema',
  ]);
});
