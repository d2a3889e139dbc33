import { cac } from 'cac';
import pkg from '../package.json' with { type: 'json' };
import type { CliIo } from './cli-io.js';
import { configPrint } from './commands/config-print.js';
import { scrub } from './commands/scrub.js';
import { addCommonOptions, loadCliConfig, matchCommand } from './cli-support.js';
import { UsageError } from './errors.js';
import { processIo } from './process-io.js';
import { Scrubber } from './redact/index.js';
import { runCli } from './run-cli.js';

/** Global options every `velocity` command takes. */
interface GlobalOptions {
  config?: string;
  set?: string | string[];
  verbose?: boolean;
  help?: boolean;
  version?: boolean;
}

/**
 * Entry point of the `velocity` binary: parses `argv` and dispatches to a command.
 *
 * @param argv - arguments after the program name
 * @param io - the process; {@link processIo} by default
 * @returns the exit code (0 ok, 1 failure, 2 usage or config error, 130 interrupted)
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const scrubber = new Scrubber();
  const cli = cac('velocity');
  addCommonOptions(cli, 'log.level=debug');
  cli
    .command('config [action]', 'Configuration: `velocity config print [--sources]`')
    .option('--sources', 'Show where each value came from')
    .option('--format <format>', 'yaml or json', { default: 'yaml' })
    .example('  $ velocity config print --sources');
  cli
    .command('scrub', 'Scrub secrets from stdin to stdout')
    .option('--secret-env <name>', 'Register the value of env var NAME as a secret (repeatable)')
    .option(
      '--json',
      'Input lines are {"msg","fields","secrets"} records; output is JSON log lines',
    )
    .example('  $ npm test 2>&1 | velocity scrub --secret-env NPM_TOKEN');
  const parsed = cli.parse(['node', 'velocity', ...argv], { run: false });
  const options = parsed.options as GlobalOptions & Record<string, unknown>;
  return runCli({ tool: 'velocity', io, verbose: options.verbose === true, scrubber }, async () => {
    const command = matchCommand(cli, parsed, io, pkg.version);
    if (command === undefined) return 0;
    const { loaded, logger } = await loadCliConfig('velocity', io, options, scrubber);
    switch (command.name) {
      case 'config': {
        const action = parsed.args[0];
        if (action !== 'print') {
          throw new UsageError(
            `Unknown config action "${action ?? ''}". Use velocity config print [--sources].`,
          );
        }
        return configPrint(
          loaded,
          { sources: options['sources'] === true, format: String(options['format']) },
          io,
        );
      }
      default:
        return scrub(
          { secretEnv: toList(options['secretEnv']), json: options['json'] === true },
          io,
          logger,
        );
    }
  });
}

function toList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
