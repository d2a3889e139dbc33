/**
 * The anchor of the dashboard benchmark: an import graph drawn the naive way, every file its own cytoscape
 * node, in a blank page of the same browser.
 *
 * @module
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

const CYTOSCAPE = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  'cytoscape',
  'dist',
  'cytoscape.min.js',
);

/** The parts of a `dep-ci graph --format json` report the anchor draws. */
export interface FlatGraphReport {
  readonly files: readonly string[];
  readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/**
 * Time for plain cytoscape to first draw `report` with one labelled node per file and one edge per import, in
 * a 1000 × 700 px container, ms: from creating the graph (the data already in the page: no server, no
 * download, no parsing) to its first `render` event.
 *
 * @remarks
 * The `grid` layout, the cheapest cytoscape has: `cose` on 10,000 nodes is O(N²) per iteration and does not
 * finish in minutes.
 */
export async function timeFlatGraph(browser: Browser, report: FlatGraphReport): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  try {
    await page.setContent('<div id="graph" style="width:1000px;height:700px"></div>');
    await page.addScriptTag({ path: CYTOSCAPE });
    return await page.evaluate(async ({ files, edges }) => {
      const elements = [
        ...files.map((file) => ({
          data: { id: file, label: file.slice(file.lastIndexOf('/') + 1) },
        })),
        ...edges.map((edge, index) => ({
          data: { id: `e${index}`, source: edge.from, target: edge.to },
        })),
      ];
      // Runs in the page (bench/tsconfig.json has Node's types, not the DOM's): cytoscape's script global.
      const page = globalThis as unknown as {
        cytoscape: (options: object) => { one: (event: string, handler: () => void) => void };
        document: { getElementById: (id: string) => unknown };
      };
      const cytoscape = page.cytoscape;
      const started = performance.now();
      const cy = cytoscape({
        container: page.document.getElementById('graph'),
        elements,
        layout: { name: 'grid' },
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'font-size': 11,
              shape: 'round-rectangle',
              width: 150,
              height: 30,
            },
          },
          {
            selector: 'edge',
            style: { 'curve-style': 'straight', 'target-arrow-shape': 'triangle' },
          },
        ],
        pixelRatio: 1,
      });
      await new Promise<void>((resolve) => cy.one('render', () => resolve()));
      return performance.now() - started;
    }, report);
  } finally {
    await page.close();
  }
}
