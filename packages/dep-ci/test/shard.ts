import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ShardError } from '../src/errors.js';
import { DURATIONS_FILE, parseShard, planShards, readDurations, shardTests } from '../src/shard.js';

/** A small seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

t.test('parseShard reads I/N, 1-based', async (t) => {
  t.strictSame(parseShard('2/4'), { index: 2, total: 4 });
  t.strictSame(parseShard('1/1'), { index: 1, total: 1 });
  t.strictSame(parseShard(' 3 / 3 '), { index: 3, total: 3 });
});

t.test('parseShard rejects malformed and out-of-range shards with a usage error', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /expected I\/N/],
    ['2', /expected I\/N/],
    ['a/b', /expected I\/N/],
    ['-1/4', /expected I\/N/],
    ['1.5/4', /expected I\/N/],
    ['0/4', /index must be a whole number from 1 to 4/],
    ['5/4', /index must be a whole number from 1 to 4/],
    ['1/0', /count must be a whole number from 1 to 1000/],
    ['1/1001', /count must be a whole number from 1 to 1000/],
    ['1/99999999999999999999', /count must be/],
  ];
  for (const [value, problem] of cases) {
    const error = t.throws(() => parseShard(value), value) as ShardError;
    t.type(error, ShardError);
    t.match(error, { code: 'DEPCI_SHARD_INVALID', exitCode: 2, value, message: problem });
  }
  t.equal(
    (t.throws(() => parseShard('0/4')) as Error).message,
    'Shard "0/4" is invalid: the shard index must be a whole number from 1 to 4. Pass --shard I/N with 1 <= I <= N, e.g. --shard 1/4.',
  );
});

t.test('shardTests rejects an out-of-range shard', async (t) => {
  t.throws(() => shardTests(['a'], { index: 0, total: 2 }), ShardError);
  t.throws(() => shardTests(['a'], { index: 3, total: 2 }), ShardError);
  t.throws(() => planShards(['a'], { total: 0 }), ShardError);
});

t.test('without durations, shards differ by at most one test, in path order', async (t) => {
  const tests = ['e', 'a', 'd', 'c', 'b'];
  t.strictSame(planShards(tests, { total: 2 }), [
    ['a', 'c', 'e'],
    ['b', 'd'],
  ]);
  t.strictSame(shardTests(tests, { index: 2, total: 2 }), ['b', 'd']);
  t.strictSame(planShards(tests, { total: 1 }), [['a', 'b', 'c', 'd', 'e']]);
  t.strictSame(planShards(['a'], { total: 3 }), [['a'], [], []]);
});

t.test('durations balance the shards: longest first onto the lightest shard', async (t) => {
  const durationsMs = { slow: 100, mid1: 50, mid2: 50, fast1: 10, fast2: 10 };
  // slow → 1; mid1 → 2; mid2 → 2 (50 < 100); fast1 → 1? no: loads 100 vs 100 → lowest index 1; fast2 → 2.
  t.strictSame(planShards(Object.keys(durationsMs), { total: 2, durationsMs }), [
    ['fast1', 'slow'],
    ['fast2', 'mid1', 'mid2'],
  ]);
});

t.test('an unknown duration counts as the median of the known ones', async (t) => {
  const durationsMs = { a: 10, b: 20, c: 90 };
  // median 20: new=20. Order: c 90, b 20, new 20, a 10 → c→1, b→2, new→2 (20 < 90), a→2.
  t.strictSame(planShards(['a', 'b', 'c', 'new'], { total: 2, durationsMs }), [
    ['c'],
    ['a', 'b', 'new'],
  ]);
  // Even count: median of 10 and 30 is 20, which outweighs a 15 ms test.
  t.strictSame(
    planShards(['x', 'y', 'z', 'new'], { total: 4, durationsMs: { x: 10, y: 30, z: 15 } }),
    [['y'], ['new'], ['z'], ['x']],
  );
});

t.test('invalid or inherited durations are treated as unknown', async (t) => {
  const durationsMs = JSON.parse('{"a": -5, "b": "7", "c": 1e400, "__proto__": 3}') as Record<
    string,
    number
  >;
  const plan = planShards(['a', 'b', 'c', 'constructor', '__proto__'], { total: 2, durationsMs });
  t.strictSame(plan.flat().sort(), ['__proto__', 'a', 'b', 'c', 'constructor']);
});

t.test(
  'property: every test lands in exactly one shard, the same one whatever the input order',
  async (t) => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const count = Math.floor(next() * 40);
      const tests = Array.from({ length: count }, () => `t/${Math.floor(next() * 30)}.test.ts`);
      const durationsMs: Record<string, number> = {};
      for (const test of tests) if (next() < 0.6) durationsMs[test] = Math.floor(next() * 1000);
      const unique = [...new Set(tests)].sort();
      for (let total = 1; total <= 8; total += 1) {
        const plan = planShards(tests, { total, durationsMs });
        const again = planShards(shuffled(tests, next), { total, durationsMs });
        const where = `seed ${seed}, N=${total}`;
        if (plan.length !== total) t.fail(`${where}: ${plan.length} shards`);
        const all = plan.flat();
        if (all.length !== unique.length || [...all].sort().join() !== unique.join()) {
          t.fail(`${where}: tests lost or duplicated`);
        }
        if (JSON.stringify(again) !== JSON.stringify(plan))
          t.fail(`${where}: depends on input order`);
        for (const [i, shard] of plan.entries()) {
          if (shard.join() !== [...shard].sort().join())
            t.fail(`${where}: shard ${i + 1} unsorted`);
          const viaShardTests = shardTests(tests, { index: i + 1, total, durationsMs });
          if (viaShardTests.join() !== shard.join()) t.fail(`${where}: shardTests disagrees`);
        }
      }
    }
    t.pass('200 random inputs × N=1..8');
  },
);

t.test('property: no shard exceeds the average load by more than the longest test', async (t) => {
  for (let seed = 1; seed <= 100; seed += 1) {
    const next = random(seed * 7919);
    const durationsMs: Record<string, number> = {};
    for (let i = 0; i < 5 + Math.floor(next() * 50); i += 1)
      durationsMs[`t${i}`] = 1 + next() * 500;
    const tests = Object.keys(durationsMs);
    const sum = tests.reduce((total, test) => total + (durationsMs[test] as number), 0);
    const longest = Math.max(...Object.values(durationsMs));
    for (let total = 1; total <= 8; total += 1) {
      for (const shard of planShards(tests, { total, durationsMs })) {
        const load = shard.reduce((acc, test) => acc + (durationsMs[test] as number), 0);
        if (load > sum / total + longest + 1e-9) t.fail(`seed ${seed}, N=${total}: load ${load}`);
      }
    }
  }
  t.pass('balanced within the greedy bound');
});

t.test('readDurations reads the recorded file', async (t) => {
  const root = t.testdir({
    '.velocity': {
      'durations.json': JSON.stringify({
        version: 1,
        durationsMs: { 'test/a.ts': 120, 'test/b.ts': 0 },
      }),
    },
  });
  t.strictSame(await readDurations(root), {
    durationsMs: { 'test/a.ts': 120, 'test/b.ts': 0 },
    warnings: [],
  });
});

t.test('readDurations without the file is undefined', async (t) => {
  t.equal(await readDurations(t.testdir({})), undefined);
});

t.test('readDurations warns instead of failing on a malformed file', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{', /is not valid JSON/],
    ['null', /has version undefined, expected 1/],
    ['{"version": 2, "durationsMs": {}}', /has version 2, expected 1/],
    ['{"version": 1}', /has no "durationsMs" object/],
    ['{"version": 1, "durationsMs": [1]}', /has no "durationsMs" object/],
  ];
  for (const [text, warning] of cases) {
    const root = t.testdir({ '.velocity': { 'durations.json': text } });
    const result = await readDurations(root);
    t.strictSame(result?.durationsMs, {}, text);
    t.match(result?.warnings, [warning], text);
    t.match(
      result?.warnings[0],
      /; shards are balanced by test count\. Delete it or record durations again\.$/,
    );
  }
});

t.test('readDurations warns about a file it cannot read', async (t) => {
  const root = t.testdir({});
  await mkdir(join(root, DURATIONS_FILE), { recursive: true });
  const result = await readDurations(root);
  t.match(result, { durationsMs: {}, warnings: [/cannot be read \(EISDIR\)/] });
});

t.test('readDurations skips entries that are not durations, with one warning', async (t) => {
  const bad = Array.from({ length: 7 }, (_, i) => `"bad${i}": ${i % 2 === 0 ? '-1' : '"slow"'}`);
  const root = t.testdir({
    '.velocity': {
      'durations.json': `{"version": 1, "durationsMs": {"good": 5, "__proto__": 7, ${bad.join(', ')}}}`,
    },
  });
  const result = await readDurations(root);
  t.equal(result?.durationsMs.good, 5);
  t.ok(Object.hasOwn(result?.durationsMs ?? {}, '__proto__'), '__proto__ is an ordinary entry');
  t.equal(Object.getPrototypeOf(result?.durationsMs), Object.prototype);
  t.strictSame(result?.warnings, [
    '.velocity/durations.json: ignored 7 entries whose value is not a duration in milliseconds ("bad0", "bad1", "bad2", "bad3", "bad4", …). Record durations again.',
  ]);
});

t.test('readDurations names every skipped entry when there are few', async (t) => {
  const root = t.testdir({
    '.velocity': { 'durations.json': '{"version": 1, "durationsMs": {"a": null, "b": 3}}' },
  });
  t.strictSame(await readDurations(root), {
    durationsMs: { b: 3 },
    warnings: [
      '.velocity/durations.json: ignored 1 entry whose value is not a duration in milliseconds ("a"). Record durations again.',
    ],
  });
});
