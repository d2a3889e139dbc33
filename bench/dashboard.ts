/**
 * `npm run bench -- dashboard [--size 10000] [--runs 5]`: the import graph page of the built dashboard on a
 * generated TypeScript monorepo, in headless Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium).
 *
 * Measures, per run, from the navigation to `/graph?repository=…`: the first render, which is also the time to
 * interactive (the page's `velocity:graph-ready` mark, set by an effect once cytoscape drew the folder clusters:
 * the page is hydrated by then; before it the server ran `dep-ci graph` on the warm cache and streamed the
 * graph); then the first interaction answered: a file name typed into the search as soon as the graph is
 * drawn, the file revealed inside its collapsed clusters and drawn. The server's share is the response end.
 * The figures are medians over `--runs` page loads (the first with a cold browser cache).
 *
 * Anchor, same run, same browser: the same graph drawn the naive way, every file its own cytoscape node (see
 * `timeFlatGraph`: data already in the page, no server), printed as a ratio to the page's first render.
 * Target: under 1.5 s to a usable view. Needs the built dashboard (`NEXT_DIST_DIR` selects the build
 * directory) and dep-ci (`npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { flag } from './lib/flags.js';
import { generateMonorepo } from './lib/generate-monorepo.js';
import { logInBench, startBenchDashboard } from './lib/graph-dashboard.js';
import { timeFlatGraph, type FlatGraphReport } from './lib/graph-flat.js';
import { gitEnv } from './lib/bench-env.js';

const size = Number(flag('--size') ?? '10000');
const runs = Number(flag('--runs') ?? '5');
const TARGET_MS = 1500;
const READY = 'velocity:graph-ready';
const root = join(import.meta.dirname, '..');
const depCi = join(root, 'packages/dep-ci/dist/bin/dep-ci');
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
if (!existsSync(depCi)) throw new Error(`${depCi} is missing: run npm run build first.`);
if (!existsSync(chromiumPath))
  throw new Error(
    `Chromium not found at "${chromiumPath}": apt-get install -y chromium, or set CHROMIUM_PATH.`,
  );

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (value: number) => `${Math.round(value)} ms`;

const dir = mkdtempSync(join(tmpdir(), `dashboard-bench-${size}-`));
try {
  const tree = generateMonorepo(dir, size);
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'generated'],
  ])
    execFileSync('git', args, { cwd: dir, env: gitEnv, stdio: 'ignore' });
  // The first dep-ci run builds its cache, as any earlier use of dep-ci in the repository would have.
  const coldStart = performance.now();
  const reportText = execFileSync(depCi, ['graph', '--format', 'json'], {
    cwd: dir,
    env: gitEnv,
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
  });
  const report = JSON.parse(reportText) as FlatGraphReport;
  process.stdout.write(
    `${report.files.length} files, ${report.edges.length} imports, ${tree.tests.length} tests in ${dir}; dep-ci cold graph ${ms(performance.now() - coldStart)}\n`,
  );
  const dashboard = await startBenchDashboard({
    VELOCITY_DASHBOARD_REPOSITORIES: JSON.stringify([dir]),
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await logInBench(await context.newPage(), dashboard.url);
    // A module deep in the last package: search must reveal it inside two collapsed clusters.
    const target = (tree.modules.at(-1) as string).split('/').at(-1) as string;
    const rows: Array<{ render: number; interactive: number; server: number }> = [];
    process.stdout.write(
      `${['run', 'first render', 'first search answered', 'server (dep-ci + render)'].map((cell) => cell.padEnd(26)).join('')}\n`,
    );
    for (let run = 1; run <= runs; run += 1) {
      const page = await context.newPage();
      await page.goto(
        `${dashboard.url}/graph?${new URLSearchParams({ repository: dir }).toString()}`,
        {
          waitUntil: 'commit',
        },
      );
      await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, READY, {
        timeout: 120_000,
      });
      await page.getByTestId('graph-search').fill(target);
      await page.getByTestId('graph-search').press('Enter');
      await page.waitForFunction((name) => performance.getEntriesByName(name).length > 1, READY);
      const row = await page.evaluate((name) => {
        const [first, second] = performance.getEntriesByName(name);
        // Runs in the page: its navigation entry (bench/tsconfig.json has Node's types, not the DOM's).
        const timing = performance as unknown as {
          getEntriesByType(type: 'navigation'): Array<{ responseEnd: number }>;
        };
        const navigation = timing.getEntriesByType('navigation')[0];
        return {
          render: first?.startTime ?? NaN,
          interactive: second?.startTime ?? NaN,
          server: navigation?.responseEnd ?? NaN,
        };
      }, READY);
      rows.push(row);
      process.stdout.write(
        `${[String(run), ms(row.render), ms(row.interactive), ms(row.server)].map((cell) => cell.padEnd(26)).join('')}\n`,
      );
      await page.close();
    }
    const render = median(rows.map((row) => row.render));
    const interactive = median(rows.map((row) => row.interactive));
    const anchor = await timeFlatGraph(browser, report);
    process.stdout.write(
      [
        `graph page, median of ${runs}: first render (hydrated: interactive) ${ms(render)} (target < ${TARGET_MS} ms to a usable view: ${render < TARGET_MS ? 'met' : 'NOT met'}), first search answered ${ms(interactive)}`,
        `anchor: every file its own node (plain cytoscape, grid layout, data already in the page, no server): ${ms(anchor)} to first render = ${(anchor / render).toFixed(1)}x the graph page's first render`,
      ].join('\n') + '\n',
    );
  } finally {
    await browser.close();
    await dashboard.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
