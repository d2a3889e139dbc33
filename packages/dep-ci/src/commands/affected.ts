import { UsageError } from '@velocity/core';
import type { Selection } from '../select-tests.js';
import type { CommandContext } from './context.js';

/**
 * `dep-ci affected`: prints the selection, as one JSON document (`--format json`) or as text.
 *
 * @throws {@link UsageError} for another format
 * @returns 0, whether or not any test is affected
 */
export async function affectedCommand(context: CommandContext, format: string): Promise<number> {
  if (format !== 'json' && format !== 'text') {
    throw new UsageError(`Unknown format "${format}". Use --format json or --format text.`);
  }
  const { selection } = await context.select(context.testGlobs());
  context.io.stdout.write(
    format === 'json' ? `${JSON.stringify(selection, null, 2)}\n` : formatSelectionText(selection),
  );
  return 0;
}

/** The selection for a person: what changed, which tests run and why. */
export function formatSelectionText(selection: Selection): string {
  const lines: string[] = [];
  lines.push(`${selection.changed.length} changed file(s):`);
  for (const file of selection.changed) lines.push(`  ${file}`);
  if (selection.runAll) {
    lines.push(`Running all ${selection.tests.length} test file(s), because:`);
    for (const reason of selection.runAllReasons) lines.push(`  - ${reason}`);
  } else {
    lines.push(`${selection.tests.length} affected test file(s):`);
    for (const test of selection.tests) {
      lines.push(`  ${test}`);
      const chain = selection.reasons[test] ?? [];
      if (chain.length > 1) lines.push(`    via ${chain.join(' → ')}`);
    }
  }
  lines.push(
    `(${selection.stats.files} files, ${selection.stats.edges} imports, ${selection.stats.ms} ms)`,
  );
  return `${lines.join('\n')}\n`;
}
