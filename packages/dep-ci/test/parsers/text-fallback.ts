import t from 'tap';
import { extractReferencesFromText } from '../../src/parsers/index.js';
import { FALLBACK_CASES } from './fixtures/fallback-cases.js';

for (const { name, language, source, references } of FALLBACK_CASES) {
  t.test(name, async (t) => {
    t.strictSame(extractReferencesFromText(source, language), references);
  });
}
