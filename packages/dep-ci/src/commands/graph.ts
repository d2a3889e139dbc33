import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '@velocity/core';
import type { ImportGraph } from '../graph/import-graph.js';
import type { CommandContext } from './context.js';

/** Options of `dep-ci graph`. */
export interface GraphCommandOptions {
  /** `json`, `dot` or `mermaid`. */
  format: string;
  /** Write here (relative to the working directory) instead of stdout. */
  out: string | undefined;
}

/**
 * `dep-ci graph`: the import graph as JSON (an object with `files`, `edges` as `from`/`to`/`typeOnly`
 * objects, `tests`, `unparsable` and `stats`), Graphviz dot, or a Mermaid flowchart.
 *
 * @throws {@link UsageError} for an unknown format
 * @returns 0
 */
export async function graphCommand(
  context: CommandContext,
  options: GraphCommandOptions,
): Promise<number> {
  const render = RENDERERS[options.format];
  if (render === undefined) {
    throw new UsageError(
      `Unknown format "${options.format}". Use --format json, --format dot or --format mermaid.`,
    );
  }
  // The graph does not depend on the change: no git range to read.
  const { graph, allTests } = await context.select(context.testGlobs(), {
    kind: 'files',
    files: [],
  });
  const text = render(graph, allTests());
  if (options.out === undefined) {
    context.io.stdout.write(text);
  } else {
    // Written beside the target and renamed over it: never a half-written file.
    const target = resolve(context.io.cwd, options.out);
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, target);
  }
  return 0;
}

type Renderer = (graph: ImportGraph, tests: readonly string[]) => string;

function edgesOf(graph: ImportGraph): Array<{ from: string; to: string; typeOnly: boolean }> {
  return [...graph.edges()];
}

const RENDERERS: Record<string, Renderer | undefined> = {
  json: (graph, tests) =>
    `${JSON.stringify(
      {
        files: graph.files,
        edges: edgesOf(graph),
        tests,
        unparsable: Object.fromEntries(graph.unparsable),
        stats: graph.stats,
      },
      null,
      2,
    )}\n`,
  dot: (graph, tests) => {
    const testSet = new Set(tests);
    const lines = ['digraph imports {', '  rankdir=LR;', '  node [shape=box, fontsize=10];'];
    for (const file of graph.files) {
      lines.push(
        `  ${JSON.stringify(file)}${testSet.has(file) ? ' [style=filled, fillcolor="#d0f0d0"]' : ''};`,
      );
    }
    for (const { from, to, typeOnly } of edgesOf(graph)) {
      lines.push(
        `  ${JSON.stringify(from)} -> ${JSON.stringify(to)}${typeOnly ? ' [style=dashed]' : ''};`,
      );
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
  },
  mermaid: (graph, tests) => {
    const ids = new Map(graph.files.map((file, index) => [file, `n${index}`]));
    const id = (file: string) => {
      let value = ids.get(file);
      if (value === undefined) {
        value = `n${ids.size}`;
        ids.set(file, value);
      }
      return value;
    };
    const lines = ['flowchart LR'];
    for (const file of graph.files) lines.push(`  ${id(file)}["${file.replace(/"/g, '#quot;')}"]`);
    for (const { from, to, typeOnly } of edgesOf(graph)) {
      lines.push(`  ${id(from)} ${typeOnly ? '-.->' : '-->'} ${id(to)}`);
    }
    const testIds = tests.map((test) => ids.get(test)).filter((value) => value !== undefined);
    if (testIds.length > 0) {
      lines.push('  classDef test fill:#d0f0d0', `  class ${testIds.join(',')} test`);
    }
    return `${lines.join('\n')}\n`;
  },
};
