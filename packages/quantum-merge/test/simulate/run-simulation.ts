import t from 'tap';
import { isBadPr, poissonArrivals } from '../../src/simulate/arrivals.js';
import { perPrBound } from '../../src/simulate/per-pr-bound.js';
import { percentile } from '../../src/simulate/percentile.js';
import { mulberry32 } from '@velocity/core';
import { keyedRandom } from '../../src/simulate/prng.js';
import { runSimulation, type SimulationOptions } from '../../src/simulate/run-simulation.js';
import { silentLogger, startTestRedis } from '../helpers/redis.js';

const redis = await startTestRedis(t);
const options: SimulationOptions = {
  prs: 60,
  failureRate: 0.15,
  buildSeconds: 600,
  concurrency: 4,
  arrivalRatePerHour: 30,
  strategy: 'speculative',
  batchSize: 4,
  seed: 7,
  buildTimeoutMs: 3_600_000,
};

t.test('the same seed merges the same PRs, whatever the strategy', async (t) => {
  const first = await runSimulation(options, { redis, logger: silentLogger });
  const again = await runSimulation(options, { redis, logger: silentLogger });
  t.strictSame(again, first, 'a second run is identical');
  const good = Array.from({ length: options.prs }, (_, index) => index + 1).filter(
    (pr) => !isBadPr(options.seed, pr, options.failureRate),
  );
  t.ok(good.length < options.prs && good.length > 0, 'the seed makes some PRs bad');
  t.strictSame(
    [...first.mergedPrs].sort((a, b) => a - b),
    good,
    'exactly the good PRs merge',
  );
  for (const strategy of ['serial', 'batch'] as const) {
    const other = await runSimulation({ ...options, strategy }, { redis, logger: silentLogger });
    t.strictSame(
      [...other.mergedPrs].sort((a, b) => a - b),
      good,
      strategy,
    );
  }
  const otherSeed = await runSimulation({ ...options, seed: 8 }, { redis, logger: silentLogger });
  t.not(otherSeed.mergedPrs.join(), first.mergedPrs.join(), 'another seed, another outcome');
  t.equal(await redis.dbsize(), 0, 'the runs leave nothing in Redis');
});

t.test('the summary counts PRs, builds and times', async (t) => {
  const { summary, rejectedPrs } = await runSimulation(
    { ...options, strategy: 'serial', failureRate: 0, prs: 3, arrivalRatePerHour: 1e9 },
    { redis, logger: silentLogger },
  );
  // All three arrive at once; serial builds of 600 s merge at 600, 1200 and 1800 s.
  t.strictSame(summary, {
    merged: 3,
    rejected: 0,
    builds: 3,
    wastedBuilds: 0,
    throughputPerHour: 6,
    timeToMerge: { p50: 1200, p95: 1800 },
  });
  t.strictSame(rejectedPrs, []);
});

t.test('bad PRs depend on the seed and number alone', async (t) => {
  t.equal(isBadPr(3, 10, 0.5), isBadPr(3, 10, 0.5));
  t.equal(isBadPr(3, 10, 0), false);
  t.equal(isBadPr(3, 10, 1), true);
  const share = Array.from({ length: 10_000 }, (_, pr) => isBadPr(1, pr, 0.1)).filter(
    Boolean,
  ).length;
  t.ok(share > 900 && share < 1100, `about 10% bad (${share})`);
  t.not(keyedRandom(1, 1), keyedRandom(1, 2));
});

t.test('Poisson arrivals have the requested mean rate', async (t) => {
  const times = poissonArrivals(5000, 60, 1);
  t.strictSame(times, poissonArrivals(5000, 60, 1));
  const meanGapMs = (times.at(-1) ?? 0) / times.length;
  t.ok(Math.abs(meanGapMs - 60_000) < 3000, `mean gap ${meanGapMs} ms`);
  const random = mulberry32(1);
  t.ok(Array.from({ length: 100 }, () => random()).every((value) => value >= 0 && value < 1));
});

t.test('the per-PR bound builds every good PR once, C at a time', async (t) => {
  const bound = perPrBound([0, 0, 0, 0], (index) => index !== 1, 1000, 2);
  t.strictSame(bound, { merged: 3, throughputPerHour: 5400, timeToMerge: { p50: 1, p95: 2 } });
  t.strictSame(perPrBound([0], () => false, 1000, 1).timeToMerge, { p50: null, p95: null });
  t.equal(percentile([5, 1, 3], 50), 3);
});
