import t from 'tap';
import { unescapeJs } from '../../src/parsers/js-escapes.js';

t.test('escape sequences are decoded', async (t) => {
  const table: [string, string][] = [
    ['plain', 'plain'],
    ['a\\nb\\tc\\rd\\be\\ff\\vg\\0h', 'a\nb\tc\rd\be\ff\vg\0h'],
    ['\\x41\\u0042\\u{43}\\u{1F600}', 'ABC😀'],
    ['\\\'\\"\\\\\\/\\q', '\'"\\/q'],
    ['line\\\ncontinued\\\r\nagain\\\u2028!', 'linecontinuedagain!'],
    ['\\u{110000}', 'u{110000}'],
  ];
  // Messages are case numbers: a raw U+2028 in a message would break the TAP stream.
  table.forEach(([raw, cooked], index) => t.equal(unescapeJs(raw), cooked, `case ${index}`));
});
