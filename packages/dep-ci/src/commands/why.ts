import { UsageError } from '@velocity/core';
import { findImportChain } from '../affected.js';
import type { CommandContext } from './context.js';

/**
 * `dep-ci why TEST --changed FILE`: prints the import chain from each changed file to TEST, or says there is
 * none.
 *
 * @throws {@link UsageError} when no `--changed` file is given
 * @returns 0, whether or not there is a chain
 */
export async function whyCommand(context: CommandContext, test: string): Promise<number> {
  if (context.change.kind !== 'files') {
    throw new UsageError('Name the changed file: dep-ci why TEST --changed FILE.');
  }
  const target = test.replace(/\\/g, '/').replace(/^\.\//, '');
  const { graph } = await context.select(context.testGlobs());
  for (const changed of context.change.files) {
    const chain = findImportChain(graph, changed, target, context.config.depCi.ignoreTypeImports);
    if (chain === undefined) {
      context.io.stdout.write(`${target} does not depend on ${changed}\n`);
    } else {
      context.io.stdout.write(`${chain.join('\n  imported by ')}\n`);
    }
  }
  return 0;
}
