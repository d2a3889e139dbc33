import t from 'tap';
import { MultiPatternMatcher } from '../../src/redact/multi-pattern-matcher.js';
import { RedactionRanges } from '../../src/redact/redaction-ranges.js';
import { body } from './fixtures/samples.js';

function spans(matcher: MultiPatternMatcher, text: string) {
  const ranges = new RedactionRanges();
  const count = matcher.findAll(text, ranges);
  return { count, merged: ranges.merged() };
}

t.test('refuses short and duplicate patterns; reports size and longest', async (t) => {
  const matcher = new MultiPatternMatcher(8);
  t.equal(matcher.maxPatternLength, 0);
  t.notOk(matcher.add('short', 'k'));
  t.ok(matcher.add('long-enough', 'k'));
  t.notOk(matcher.add('long-enough', 'other'));
  t.ok(matcher.add('a-much-longer-pattern', 'k'));
  t.equal(matcher.size, 2);
  t.equal(matcher.maxPatternLength, 21);
  t.equal(new MultiPatternMatcher(1).add('abc', 'k'), true, 'never below the block size');
});

t.test('an empty matcher finds nothing', async (t) => {
  t.strictSame(spans(new MultiPatternMatcher(8), 'anything at all here'), { count: 0, merged: [] });
});

t.test('finds every occurrence of every pattern, overlapping ones included', async (t) => {
  const matcher = new MultiPatternMatcher(8);
  matcher.add('abcdefgh', 'one');
  matcher.add('efghijklmnop', 'two');
  matcher.add('zzzzzzzzzz', 'three');
  const text = 'xx abcdefghijklmnop yy abcdefgh zzzzzzzzzzzz';
  const { count, merged } = spans(matcher, text);
  t.equal(count, 6, 'one, two, one, and three at three offsets');
  t.strictSame(merged, [
    [3, 19, 'one'],
    [23, 31, 'one'],
    [32, 44, 'three'],
  ]);
});

t.test('patterns longer than the window and shorter ones added later', async (t) => {
  const matcher = new MultiPatternMatcher(8);
  const long = body(80, undefined, 3);
  matcher.add(long, 'long');
  t.strictSame(spans(matcher, `<${long}>`).merged, [[1, 81, 'long']]);
  matcher.add('later-12', 'short');
  t.strictSame(spans(matcher, `later-12 <${long}>`).merged, [
    [0, 8, 'short'],
    [10, 90, 'long'],
  ]);
});

t.test('finds each of many random patterns at any offset', async (t) => {
  const matcher = new MultiPatternMatcher(8);
  const patterns = Array.from({ length: 200 }, (_, index) =>
    body(8 + (index % 40), undefined, index + 1),
  );
  for (const pattern of patterns) matcher.add(pattern, 'k');
  for (const [index, pattern] of patterns.entries()) {
    const text = `${' '.repeat(index % 17)}${pattern}${'.'.repeat(index % 5)}`;
    const { merged } = spans(matcher, text);
    t.ok(
      merged.some(([start, end]) => start <= index % 17 && end >= (index % 17) + pattern.length),
      `pattern ${index}`,
    );
  }
});

t.test('non-ASCII patterns and text', async (t) => {
  const matcher = new MultiPatternMatcher(8);
  matcher.add('пароль-секрет', 'ru');
  matcher.add('🔑🔑🔑🔑-key', 'emoji');
  t.strictSame(spans(matcher, 'я пароль-секрет и 🔑🔑🔑🔑-key').merged, [
    [2, 15, 'ru'],
    [18, 30, 'emoji'],
  ]);
});
