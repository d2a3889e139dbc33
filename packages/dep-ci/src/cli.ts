import {
  addCommonOptions,
  processIo,
  loadCliConfig,
  matchCommand,
  runCli,
  Scrubber,
  stringOption,
  type CliIo,
} from '@velocity/core';
import { cac } from 'cac';
import pkg from '../package.json' with { type: 'json' };
import { affectedCommand } from './commands/affected.js';
import { graphCommand } from './commands/graph.js';
import { runCommand } from './commands/run.js';
import { whyCommand } from './commands/why.js';
import { createContext } from './commands/context.js';

/** Options every dep-ci command may take, as cac parses them. */
type ParsedOptions = Record<string, unknown> & { '--'?: string[] };

/**
 * Entry point of the `dep-ci` binary: parses `argv` and dispatches to a command.
 *
 * @param argv - arguments after the program name
 * @param io - the process; {@link processIo} by default
 * @returns the exit code: 0 ok (whether or not tests were selected), 1 failure, 2 usage or config error,
 *   130 interrupted; `dep-ci run` returns the test runner's own code
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const scrubber = new Scrubber();
  const cli = cac('dep-ci');
  addCommonOptions(cli, 'depCi.runner=vitest');
  const changeOptions = (command: ReturnType<typeof cli.command>) =>
    command
      .option(
        '--base <ref>',
        'Base commit (default: merge-base with the default branch, or the PR base)',
      )
      .option('--head <ref>', 'Head commit (default: HEAD)')
      .option('--changed <file>', 'Changed file, root-relative (repeatable); skips git')
      .option('--include-uncommitted', 'Also count staged, unstaged and untracked changes')
      .option(
        '--ignore-type-imports',
        'Do not follow `import type` edges (depCi.ignoreTypeImports)',
      );
  changeOptions(cli.command('affected', 'Print the tests a change can affect')).option(
    '--format <format>',
    'json or text',
    { default: 'text' },
  );
  cli
    .command('graph', 'Print the import graph')
    .option('--format <format>', 'json, dot or mermaid', { default: 'json' })
    .option('--out <file>', 'Write to FILE instead of stdout');
  changeOptions(cli.command('why <test>', 'Print the import chain from a changed file to TEST'));
  changeOptions(
    cli.command('run', 'Run only the affected tests: dep-ci run [options] -- <command ...>'),
  )
    .option('--runner <name>', 'auto, jest, vitest, node, tap, pytest, mocha or playwright', {
      default: 'auto',
    })
    .option('--shard <i/n>', 'Run shard I of N (1-based), balanced by recorded durations')
    .option('--on-empty <action>', 'skip or run-all, when no test is affected', { default: 'skip' })
    .example('  $ dep-ci run -- npm test')
    .example('  $ dep-ci run --shard 2/4 -- npx vitest run');

  const parsed = cli.parse(['node', 'dep-ci', ...argv], { run: false });
  const options = parsed.options as ParsedOptions;
  return runCli(
    { tool: 'dep-ci', io, verbose: options['verbose'] === true, scrubber },
    async () => {
      const command = matchCommand(cli, parsed, io, pkg.version);
      if (command === undefined) return 0;
      const { loaded, logger } = await loadCliConfig('dep-ci', io, options, scrubber, {
        // Tool flags are config keys too: they sit above file and environment in the precedence.
        ...(options['ignoreTypeImports'] === true ? { 'depCi.ignoreTypeImports': true } : {}),
      });
      const context = await createContext({ io, loaded, logger, options });
      switch (command.name) {
        case 'affected':
          return affectedCommand(context, stringOption(options, 'format') ?? 'text');
        case 'graph':
          return graphCommand(context, {
            format: stringOption(options, 'format') ?? 'json',
            out: stringOption(options, 'out'),
          });
        case 'why':
          return whyCommand(context, String(parsed.args[0]));
        default:
          return runCommand(context, {
            command: options['--'] ?? [],
            runner: stringOption(options, 'runner') ?? 'auto',
            shard: stringOption(options, 'shard'),
            onEmpty: stringOption(options, 'onEmpty') ?? 'skip',
          });
      }
    },
  );
}
