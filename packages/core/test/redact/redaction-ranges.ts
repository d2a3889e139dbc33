import t from 'tap';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';

t.test('returns the same string when there is nothing to replace', async (t) => {
  const ranges = new RedactionRanges();
  const text = 'nothing here';
  t.equal(ranges.applyTo(text), text);
  ranges.add(3, 3, 'empty');
  t.equal(ranges.size, 0, 'empty spans are ignored');
});

t.test('replaces the union of overlapping spans, named after the earliest', async (t) => {
  const ranges = new RedactionRanges();
  ranges.add(10, 14, 'b');
  ranges.add(2, 6, 'a');
  ranges.add(4, 12, 'c');
  ranges.add(20, 22, 'd');
  ranges.add(20, 24, 'e');
  ranges.add(21, 23, 'inside');
  t.strictSame(ranges.merged(), [
    [2, 14, 'a'],
    [20, 24, 'e'],
  ]);
  t.equal(ranges.applyTo('0123456789abcdefghijklmnop'), '01[REDACTED:a]efghij[REDACTED:e]op');
});

t.test('of spans added in order with the same start, the longest names the union', async (t) => {
  const ranges = new RedactionRanges();
  ranges.add(0, 4, 'short');
  ranges.add(0, 8, 'long');
  ranges.add(2, 6, 'inside');
  t.strictSame(ranges.merged(), [[0, 8, 'long']]);
});

t.test('touching spans stay separate', async (t) => {
  const ranges = new RedactionRanges();
  ranges.add(0, 2, 'a');
  ranges.add(2, 4, 'b');
  t.equal(ranges.applyTo('abcdef'), '[REDACTED:a][REDACTED:b]ef');
});

t.test('clear forgets every span', async (t) => {
  const ranges = new RedactionRanges();
  ranges.clear();
  ranges.add(5, 6, 'late');
  ranges.add(0, 1, 'early');
  ranges.clear();
  t.equal(ranges.size, 0);
  ranges.add(1, 2, 'x');
  t.equal(ranges.applyTo('abc'), 'a[REDACTED:x]c');
});
