import t from 'tap';
import { PARSE_WORKER_ROLE, isParseWorkerData } from '../../src/parsers/parse-protocol.js';

t.test('workerData is a parse worker’s only with the parse role', async (t) => {
  t.ok(isParseWorkerData({ role: PARSE_WORKER_ROLE, root: '/' }));
  for (const data of [undefined, null, 'dep-ci-parse', {}, { role: 'other' }]) {
    t.notOk(isParseWorkerData(data), JSON.stringify(data) ?? 'undefined');
  }
});
