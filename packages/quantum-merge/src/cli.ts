import {
  addCommonOptions,
  loadCliConfig,
  matchCommand,
  processIo,
  runCli,
  Scrubber,
  stringOption,
  type CliIo,
} from '@velocity/core';
import { cac } from 'cac';
import pkg from '../package.json' with { type: 'json' };
import { serveCommand, workerCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';

/**
 * Entry point of the `quantum-merge` binary: parses the command line and dispatches.
 *
 * @param argv - arguments after the program name
 * @param io - the process; {@link processIo} by default
 * @returns the exit code: 0 ok, 1 failure, 2 usage or config error, 130 interrupted
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const scrubber = new Scrubber();
  const cli = cac('quantum-merge');
  cli
    .command('simulate', 'Simulate the merge queue on a virtual clock (capacity planning)')
    .option('--prs <n>', 'Pull requests that arrive')
    .option('--failure-rate <p>', 'Probability that a PR breaks the build, 0-1')
    .option('--build-seconds <s>', 'Duration of every build, seconds')
    .option('--concurrency <c>', 'Builds at once (default: quantumMerge.concurrency)')
    .option('--arrival-rate <r>', 'Mean PR arrivals per hour (default: 30)')
    .option('--strategy <name>', 'serial, speculative or batch (default: speculative)')
    .option('--batch-size <b>', 'Entries per batch build (default: quantumMerge.batchSize)')
    .option('--seed <k>', 'Seeds arrivals and failing PRs (default: 1)')
    .option('--redis <url>', 'Redis to use (default: a private redis-server, started and stopped)')
    .option('--json', 'Print one JSON document')
    .example(
      '  $ quantum-merge simulate --prs 200 --failure-rate 0.1 --build-seconds 600 --concurrency 10 --json',
    );
  cli
    .command('serve', 'Receive GitHub webhooks and serve the JSON API; runs workers too')
    .option('--listen <host:port>', 'Address to listen on (default: quantumMerge.listen)')
    .option(
      '--no-worker',
      'Run no job workers in this process (run `quantum-merge worker` instead)',
    )
    .example('  $ quantum-merge serve --listen 0.0.0.0:3000');
  cli
    .command('worker', 'Run job workers against the shared Redis; SIGTERM finishes running jobs')
    .example('  $ quantum-merge worker');
  addCommonOptions(cli, 'quantumMerge.concurrency=4');
  const parsed = cli.parse(['node', 'quantum-merge', ...argv], { run: false });
  const options = parsed.options;
  return runCli(
    { tool: 'quantum-merge', io, verbose: options['verbose'] === true, scrubber },
    async () => {
      const command = matchCommand(cli, parsed, io, pkg.version);
      if (command === undefined) return 0;
      const { loaded, logger } = await loadCliConfig('quantum-merge', io, options, scrubber);
      const { quantumMerge } = loaded.config;
      if (command.name === 'serve') {
        return serveCommand(io, logger, quantumMerge, {
          worker: options['worker'] !== false,
          listen: stringOption(options, 'listen'),
        });
      }
      if (command.name === 'worker') return workerCommand(io, logger, quantumMerge);
      return simulateCommand(
        io,
        logger,
        {
          prs: stringOption(options, 'prs'),
          failureRate: stringOption(options, 'failureRate'),
          buildSeconds: stringOption(options, 'buildSeconds'),
          concurrency: stringOption(options, 'concurrency'),
          arrivalRate: stringOption(options, 'arrivalRate'),
          strategy: stringOption(options, 'strategy'),
          batchSize: stringOption(options, 'batchSize'),
          seed: stringOption(options, 'seed'),
          redis: stringOption(options, 'redis'),
          json: options['json'] === true,
        },
        quantumMerge,
      );
    },
  );
}
