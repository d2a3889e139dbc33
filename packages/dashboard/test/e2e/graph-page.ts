/**
 * The import graph page end to end: the built dashboard runs the built dep-ci in a real git repository, driven
 * in headless Chromium: load, clusters, search, picking changed files, affected tests and chains (compared with
 * `dep-ci affected` itself), a base ref, uploads, and the errors shown for each way it can fail.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import t from 'tap';
import {
  hasChromium,
  launchBrowser,
  logIn,
  screenshot,
  startDashboard,
  tableRows,
} from '../helpers/dashboard.js';
import { depCiJson, GRAPH_REPO_FILES, makeGraphRepo } from '../helpers/graph-repo.js';

interface DepCiSelection {
  changed: string[];
  tests: string[];
  runAll: boolean;
  reasons: Record<string, string[]>;
}

const GRAPH_READY = 'velocity:graph-ready';

/** Runs `action` and waits until the canvas has drawn the change it makes. */
async function redrawn(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(
    (name) => performance.getEntriesByName(name).length,
    GRAPH_READY,
  );
  await action();
  await page.waitForFunction(
    ([name, count]) => performance.getEntriesByName(name as string).length > (count as number),
    [GRAPH_READY, before],
  );
}

/** The affected tests the page lists, with their chains as shown (test first). */
function listedTests(page: Page): Promise<Array<{ test: string; chain: string }>> {
  return page.locator('[data-testid=affected-tests] li').evaluateAll((items) =>
    items.map((item) => ({
      test: item.getAttribute('data-test') ?? '',
      chain: item.querySelector('[data-testid=chain]')?.textContent ?? '',
    })),
  );
}

/** What dep-ci selected, in the page's form. */
function asListed(selection: DepCiSelection): Array<{ test: string; chain: string }> {
  return selection.tests.map((test) => ({
    test,
    chain: [...(selection.reasons[test] ?? [])].reverse().join(' → '),
  }));
}

/** `data-node` of the table row drawing `path`. */
async function nodeOf(page: Page, path: string): Promise<string> {
  return (
    (await page
      .locator(`[data-testid=graph-nodes] tr[data-path="${path}"]`)
      .getAttribute('data-node')) ?? ''
  );
}

/** `data-highlight` of the table row drawing `path`. */
async function highlightOf(page: Page, path: string): Promise<string | null> {
  return page
    .locator(`[data-testid=graph-nodes] tr[data-path="${path}"]`)
    .getAttribute('data-highlight');
}

if (hasChromium(t)) await run();

async function run(): Promise<void> {
  const root = t.testdir({ repo: {}, server: {} });
  const repo = join(root, 'repo');
  const missing = join(root, 'missing');
  await makeGraphRepo(repo);
  const dashboard = await startDashboard(
    t,
    { VELOCITY_DASHBOARD_REPOSITORIES: JSON.stringify([repo, missing]) },
    join(root, 'server'),
  );
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await logIn(page, dashboard.url);
  const files = Object.keys(GRAPH_REPO_FILES).sort();

  t.test('the page offers the configured repositories and loads one with dep-ci', async (t) => {
    await page.goto(`${dashboard.url}/graph`);
    t.strictSame(await page.locator('[data-testid=graph-repository] option').allTextContents(), [
      repo,
      missing,
    ]);
    await page.getByTestId('graph-empty').waitFor();
    await page.getByTestId('graph-repository').selectOption(repo);
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await page.locator('[data-testid=graph-canvas][data-state=ready]').waitFor();
    t.equal(new URL(page.url()).searchParams.get('repository'), repo);
    t.match(
      await page.getByTestId('graph-summary').textContent(),
      `: ${files.length} files, 9 imports, 4 tests`,
    );
  });

  t.test('a small repository opens fully: every folder drawn around its files', async (t) => {
    await page.locator('.graph-table summary').click();
    await page.getByTestId('graph-nodes').waitFor();
    const rows = await page
      .locator('[data-testid=graph-nodes] tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-path'), row.getAttribute('data-kind')]),
      );
    t.strictSame(rows, [
      ['packages', 'folder'],
      ['packages/app', 'folder'],
      ['packages/app/src', 'folder'],
      ['packages/app/test', 'folder'],
      ['packages/core', 'folder'],
      ['packages/core/src', 'folder'],
      ['packages/core/test', 'folder'],
      ...files.map((file) => [file, file.endsWith('.test.ts') ? 'test' : 'file']),
    ]);
    const main = (await tableRows(page, 'graph-nodes')).find(
      (row) => row[0] === 'packages/app/src/main.ts',
    );
    t.equal(main?.[4], 'packages/core/src/index.ts', 'its import');
  });

  t.test('a collapsed folder stands for its files and their imports', async (t) => {
    await redrawn(page, () =>
      page.locator('[data-testid=graph-nodes] tr[data-path="packages/core"] button').click(),
    );
    const rows = await tableRows(page, 'graph-nodes');
    t.match(
      rows.find((row) => row[0] === 'packages/core/'),
      ['packages/core/', 'folder', '7'],
    );
    t.notOk(
      rows.some((row) => row[0]?.startsWith('packages/core/src')),
      'its content is not drawn',
    );
    t.equal(rows.find((row) => row[0] === 'packages/app/src/main.ts')?.[4], 'packages/core');
    t.equal(rows.find((row) => row[0] === 'packages/app/src/view.ts')?.[4], 'packages/core');
  });

  t.test('grouped by package, the workspace packages sit at the top', async (t) => {
    await redrawn(page, () => page.getByTestId('graph-grouping').selectOption('package'));
    const top = await page
      .locator('[data-testid=graph-nodes] tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-path'), row.getAttribute('data-kind')]),
      );
    t.strictSame(
      top.filter(([, kind]) => kind === 'package').map(([path]) => path),
      ['packages/app', 'packages/core'],
    );
    t.notOk(
      top.some(([path]) => path === 'packages'),
      'no folder between them and the root',
    );
    await redrawn(page, () => page.getByTestId('graph-grouping').selectOption('folder'));
  });

  t.test(
    'search reveals a file inside a collapsed folder; clicking it picks it as changed',
    async (t) => {
      await redrawn(page, () =>
        page.locator('[data-testid=graph-nodes] tr[data-path="packages/core"] button').click(),
      );
      t.equal(
        await page
          .locator('[data-testid=graph-nodes] tr[data-path="packages/core/src/math.ts"]')
          .count(),
        0,
      );
      await page.getByTestId('graph-search').fill('math');
      await page.locator('[data-testid=graph-search-results] li').nth(1).waitFor();
      t.strictSame(
        await page
          .locator('[data-testid=graph-search-results] li')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-path'))),
        ['packages/core/src/math.ts', 'packages/core/test/math.test.ts'],
      );
      await redrawn(page, () => page.getByTestId('graph-search').press('Enter'));
      t.match(await highlightOf(page, 'packages/core/src/math.ts'), /found/);
      // The found file is fitted in the viewport: it is under the canvas's centre.
      const box = await page.getByTestId('graph-canvas').boundingBox();
      if (box === null) throw new Error('no canvas');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page
        .locator('[data-testid=changed-files] li[data-path="packages/core/src/math.ts"]')
        .waitFor();
      await page.getByTestId('graph-search').fill('');
    },
  );

  t.test(
    'the affected tests and import chains of a change are those of dep-ci affected',
    async (t) => {
      const expected = (await depCiJson(
        repo,
        'affected',
        '--changed',
        'packages/core/src/math.ts',
        '--format',
        'json',
      )) as DepCiSelection;
      t.strictSame(expected.tests, [
        'packages/app/test/main.test.ts',
        'packages/core/test/format.test.ts',
        'packages/core/test/math.test.ts',
      ]);
      t.strictSame(await listedTests(page), asListed(expected));
      t.match(await listedTests(page), [
        {
          chain:
            'packages/app/test/main.test.ts → packages/app/src/main.ts → packages/core/src/index.ts → packages/core/src/math.ts',
        },
      ]);
      t.equal(await page.getByTestId('affected-count').textContent(), '3');
      t.equal(await highlightOf(page, 'packages/core/src/math.ts'), 'changed chain found');
      t.equal(await highlightOf(page, 'packages/core/test/format.test.ts'), 'affected chain');
      t.equal(await highlightOf(page, 'packages/app/src/main.ts'), 'chain');
      t.equal(await highlightOf(page, 'packages/app/src/view.ts'), '', 'not on any chain');
      await page.getByRole('button', { name: 'Fit', exact: true }).click();
      await screenshot(page, 'graph');
    },
  );

  t.test('a collapsed folder is marked for the affected tests it holds', async (t) => {
    await redrawn(page, () =>
      page.locator('[data-testid=graph-nodes] tr[data-path="packages/app/test"] button').click(),
    );
    t.equal(await highlightOf(page, 'packages/app/test'), 'affected chain');
    const focusOn = await nodeOf(page, 'packages/app/test');
    t.ok(focusOn.startsWith('c'));
    await redrawn(page, () =>
      page
        .locator(
          '[data-testid=affected-tests] li[data-test="packages/app/test/main.test.ts"] button',
        )
        .click(),
    );
    t.equal(
      await highlightOf(page, 'packages/app/test/main.test.ts'),
      'affected chain focus',
      'focusing a test reveals its chain',
    );
    t.equal(await highlightOf(page, 'packages/core/src/index.ts'), 'chain focus');
    t.equal(
      await highlightOf(page, 'packages/core/src/format.ts'),
      'chain',
      'another test’s chain',
    );
  });

  t.test(
    'type-only imports are ignored as the repository configures, unless followed',
    async (t) => {
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByTestId('graph-search').fill('types.ts');
      await page.getByRole('checkbox', { name: 'packages/core/src/types.ts changed' }).check();
      await page
        .locator('[data-testid=changed-files] li[data-path="packages/core/src/types.ts"]')
        .waitFor();
      await page.getByTestId('graph-search').fill('');
      const ignored = (await depCiJson(
        repo,
        'affected',
        '--changed',
        'packages/core/src/types.ts',
        '--format',
        'json',
      )) as DepCiSelection;
      t.strictSame(ignored.tests, []);
      t.equal(await page.getByTestId('affected-count').textContent(), '0');
      await page.getByRole('checkbox', { name: 'Follow import type' }).check();
      await page.locator('[data-testid=affected-tests] li').waitFor();
      const followed = (await depCiJson(
        repo,
        'affected',
        '--changed',
        'packages/core/src/types.ts',
        '--set',
        'depCi.ignoreTypeImports=false',
        '--format',
        'json',
      )) as DepCiSelection;
      t.strictSame(followed.tests, ['packages/app/test/view.test.ts']);
      t.strictSame(await listedTests(page), asListed(followed));
      await page.getByRole('checkbox', { name: 'Follow import type' }).uncheck();
      await page.getByRole('button', { name: 'Clear' }).click();
    },
  );

  t.test('a base ref selects with dep-ci affected --base in the repository', async (t) => {
    await page.getByTestId('graph-base').fill('main');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByTestId('base-selection').waitFor();
    const expected = (await depCiJson(
      repo,
      'affected',
      '--base=main',
      '--format',
      'json',
    )) as DepCiSelection;
    t.strictSame(expected.changed, ['packages/core/src/format.ts']);
    t.strictSame(
      await page
        .locator('[data-testid=changed-files] li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-path'))),
      expected.changed,
    );
    t.strictSame(await listedTests(page), asListed(expected));
    t.equal(await highlightOf(page, 'packages/core/src/format.ts'), 'changed chain');
    await screenshot(page, 'graph-base-ref');

    await page.getByTestId('graph-base').fill('no-such-branch');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByTestId('run-all').waitFor();
    t.match(await page.getByTestId('run-all').textContent(), /"no-such-branch"/);

    await page.getByTestId('graph-base').fill('--exec=x');
    await page.getByRole('button', { name: 'Compare' }).click();
    t.match(
      await page.getByTestId('graph-base-error').textContent(),
      'Base "--exec=x" is not a git ref.',
    );
  });

  t.test('an upload that is not a report says why; a real report loads', async (t) => {
    await page.getByTestId('graph-upload').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"files": 3}'),
    });
    t.equal(
      await page.getByTestId('graph-upload-error').textContent(),
      'The report has no "files" array. Upload the output of dep-ci graph --format json.',
    );
    await page.getByTestId('graph-upload').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not json'),
    });
    await page.getByText('The file is not valid JSON.').waitFor();

    const report = await depCiJson(repo, 'graph', '--format', 'json');
    await redrawn(page, () =>
      page.getByTestId('graph-upload').setInputFiles({
        name: 'graph.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(report)),
      }),
    );
    t.equal(await page.getByTestId('graph-upload-error').count(), 0);
    t.match(await page.getByTestId('graph-summary').textContent(), /^Report graph\.json: 15 files/);
    t.equal(await page.getByTestId('graph-base').count(), 0, 'no base ref without a repository');
    await page.getByTestId('graph-search').fill('format.ts');
    await page.getByRole('checkbox', { name: 'packages/core/src/format.ts changed' }).check();
    await page.locator('[data-testid=affected-tests] li').nth(1).waitFor();
    t.strictSame(
      (await listedTests(page)).map((item) => item.test),
      ['packages/app/test/main.test.ts', 'packages/core/test/format.test.ts'],
    );
  });

  t.test('the upload API refuses large bodies and requests without a session', async (t) => {
    const large = await page.request.post(`${dashboard.url}/api/graph/report`, {
      data: Buffer.alloc(33 * 1024 * 1024, 32),
      headers: { 'content-type': 'application/json' },
    });
    t.equal(large.status(), 413);
    t.match(((await large.json()) as { error: string }).error, /larger than 32 MB/);
    const anonymous = await fetch(`${dashboard.url}/api/graph/report`, {
      method: 'POST',
      body: '{}',
    });
    t.equal(anonymous.status, 401);
    const affected = await fetch(
      `${dashboard.url}/api/graph/affected?${new URLSearchParams({ repository: repo, base: 'main' }).toString()}`,
    );
    t.equal(affected.status, 401);
  });

  t.test(
    'a repository that is not configured, or not there, is an error in the page',
    async (t) => {
      await page.goto(
        `${dashboard.url}/graph?${new URLSearchParams({ repository: '/etc' }).toString()}`,
      );
      t.equal(
        await page.getByTestId('graph-error').textContent(),
        'Repository "/etc" is not in dashboard.repositories. Pick one of the listed repositories, or add it to dashboard.repositories.',
      );
      await page.goto(
        `${dashboard.url}/graph?${new URLSearchParams({ repository: missing }).toString()}`,
      );
      t.match(
        await page.getByTestId('graph-error').textContent(),
        `Repository "${missing}" is not a directory`,
      );
      await screenshot(page, 'graph-error');
    },
  );
}
