import {
  addCommonOptions,
  loadCliConfig,
  matchCommand,
  processIo,
  runCli,
  Scrubber,
  listOption,
  stringOption,
  UsageError,
  type CliIo,
} from '@velocity/core';
import { cac } from 'cac';
import pkg from '../package.json' with { type: 'json' };
import { certsInitCommand } from './commands/certs.js';
import { injectCommand } from './commands/inject.js';
import { logsCommand } from './commands/logs.js';
import { syncCommand } from './commands/sync.js';

/** Options as cac parses them. */
type ParsedOptions = Record<string, unknown> & { '--'?: string[] };

/**
 * Entry point of the `livepatch` binary.
 *
 * @param argv - arguments after the program name
 * @param io - the process; {@link processIo} by default
 * @param execPath - this executable, next to which `inject` looks for the agent
 * @returns the exit code: 0 ok, 1 failure, 2 usage or config error, 130 interrupted
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  execPath: string = process.execPath,
): Promise<number> {
  const scrubber = new Scrubber();
  const cli = cac('livepatch');
  const agentOptions = (command: ReturnType<typeof cli.command>) =>
    command
      .option('--agent <host:port>', 'The agent (livepatch.agent)')
      .option(
        '--certs <dir>',
        'ca.pem, client.pem, client-key.pem from certs init (livepatch.certs)',
      )
      .option(
        '--server-name <name>',
        "Name the agent's certificate must carry, when not the agent's host",
      );
  cli
    .command('certs <action>', 'certs init: write a project CA and the agent and CLI certificates')
    .option('--out <dir>', 'Directory to write into')
    .option('--host <name>', 'Extra name or address of the agent for its certificate (repeatable)')
    .option('--force', 'Replace existing files')
    .option('--json', 'Print what was written as JSON');
  agentOptions(cli.command('sync <src>', 'Mirror SRC into the agent and keep it mirrored'))
    .option('--once', 'Sync once and exit')
    .option('--json', 'Print one JSON summary per sync on stdout')
    .option('--full-modes', 'Mirror all permission bits, not only the executable bit')
    .option('--no-compress', 'Do not gzip the payloads that shrink (fastest level)')
    .option('--cache-dir <dir>', 'Signature store (default ~/.cache/velocity/livepatch)')
    .option('--reconcile-seconds <n>', 'Seconds between full tree comparisons in watch mode', {
      default: 10,
    })
    .example('  $ livepatch sync ./src --agent 127.0.0.1:7420 --certs .velocity/certs');
  agentOptions(cli.command('logs', "Print the agent's events and the app's output"))
    .option('--follow', 'Keep printing new lines')
    .option('--json', 'One JSON object per line');
  cli
    .command('inject', 'Copy the agent into a running container (docker) and start it')
    .option('--container <name>', 'Container name or id')
    .option('--root <dir>', 'Directory inside the container to mirror into')
    .option('--certs <dir>', 'The directory certs init wrote')
    .option('--listen <host:port>', 'Address for the agent inside the container', {
      default: '0.0.0.0:7420',
    })
    .option(
      '--agent-binary <path>',
      'Agent executable for the container (default: next to livepatch)',
    )
    .option('--docker <path>', 'docker CLI to use')
    .option('--restart', 'Have the agent supervise the app given after --');
  addCommonOptions(cli, 'livepatch.agent=127.0.0.1:7420');
  const parsed = cli.parse(['node', 'livepatch', ...argv], { run: false });
  const options = parsed.options as ParsedOptions;
  return runCli(
    { tool: 'livepatch', io, verbose: options['verbose'] === true, scrubber },
    async () => {
      const command = matchCommand(cli, parsed, io, pkg.version);
      if (command === undefined) return 0;
      const { loaded, logger } = await loadCliConfig('livepatch', io, options, scrubber, {
        ...(typeof options['agent'] === 'string' ? { 'livepatch.agent': options['agent'] } : {}),
        ...(typeof options['certs'] === 'string' ? { 'livepatch.certs': options['certs'] } : {}),
      });
      const { livepatch } = loaded.config;
      const serverName = stringOption(options, 'serverName');
      switch (command.name) {
        case 'certs': {
          if (parsed.args[0] !== 'init') {
            throw new UsageError(
              `Unknown certs action "${String(parsed.args[0])}". Use livepatch certs init --out DIR.`,
            );
          }
          const out = stringOption(options, 'out');
          if (out === undefined)
            throw new UsageError('Pass --out DIR, the directory to write the certificates into.');
          return certsInitCommand(io, logger, {
            out,
            hosts: listOption(options, 'host'),
            force: options['force'] === true,
            json: options['json'] === true,
          });
        }
        case 'sync':
          return syncCommand(io, logger, {
            src: String(parsed.args[0]),
            agent: livepatch.agent,
            certs: livepatch.certs,
            once: options['once'] === true,
            json: options['json'] === true,
            fullModes: options['fullModes'] === true,
            compress: options['compress'] !== false,
            serverName,
            cacheDir: stringOption(options, 'cacheDir'),
            ignore: livepatch.ignore,
            reconcileSeconds: Number(options['reconcileSeconds'] ?? 10),
          });
        case 'logs':
          return logsCommand(io, {
            agent: livepatch.agent,
            certs: livepatch.certs,
            follow: options['follow'] === true,
            json: options['json'] === true,
            serverName,
          });
        default:
          return injectCommand(io, logger, {
            container: stringOption(options, 'container'),
            root: stringOption(options, 'root'),
            certs: livepatch.certs,
            listen: stringOption(options, 'listen') ?? '0.0.0.0:7420',
            agentBinary: stringOption(options, 'agentBinary'),
            docker: stringOption(options, 'docker'),
            restart: options['restart'] === true ? (options['--'] ?? []) : undefined,
            execPath,
          });
      }
    },
  );
}
