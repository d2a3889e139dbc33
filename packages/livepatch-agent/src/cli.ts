import { resolve } from 'node:path';
import {
  addCommonOptions,
  loadCliConfig,
  matchCommand,
  processIo,
  runCli,
  Scrubber,
  UsageError,
  type CliIo,
  type LoadedConfig,
} from '@velocity/core';
import { cac } from 'cac';
import pkg from '../package.json' with { type: 'json' };
import { startAgent } from './agent.js';
import type { ReloadRule } from './reload/index.js';

/** Options as cac parses them. */
type ParsedOptions = Record<string, unknown> & { '--'?: string[] };

/**
 * Entry point of the `livepatch-agent` binary: serves until SIGINT or SIGTERM.
 *
 * @param argv - arguments after the program name
 * @param io - the process; {@link processIo} by default
 * @returns the exit code: 130 after SIGINT and 143 after SIGTERM (each after a graceful stop), 2 for bad
 *   usage or config, 1 when the agent cannot start
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const scrubber = new Scrubber();
  const cli = cac('livepatch-agent');
  cli
    .command('', 'Serve LivePatch: mirror what the CLI sends into --root and hot-reload the app')
    .option('--root <dir>', 'Directory to mirror into (must exist)')
    .option(
      '--listen <host:port>',
      'Address to listen on (livepatch.listen, default 127.0.0.1:7420)',
    )
    .option(
      '--certs <dir>',
      'ca.pem, server.pem, server-key.pem from livepatch certs init (livepatch.certs)',
    )
    .option('--durable', 'fsync every file before a batch is acknowledged (livepatch.durable)')
    .option('--allow-external-symlinks', 'Accept symbolic links that point outside the root')
    .option('--restart', 'Supervise the app given after --: restart it for restart rules')
    .example('  $ livepatch-agent --root /app --certs /certs --restart -- node server.js');
  addCommonOptions(cli, 'livepatch.durable=true');
  const parsed = cli.parse(['node', 'livepatch-agent', ...argv], { run: false });
  const options = parsed.options as ParsedOptions;
  return runCli(
    { tool: 'livepatch-agent', io, verbose: options['verbose'] === true, scrubber },
    async () => {
      if (matchCommand(cli, parsed, io, pkg.version) === undefined) return 0;
      const { loaded, logger } = await loadCliConfig('livepatch-agent', io, options, scrubber, {
        ...(typeof options['listen'] === 'string' ? { 'livepatch.listen': options['listen'] } : {}),
        ...(typeof options['certs'] === 'string' ? { 'livepatch.certs': options['certs'] } : {}),
        ...(options['durable'] === true ? { 'livepatch.durable': true } : {}),
      });
      const { livepatch } = loaded.config;
      const root = options['root'];
      if (typeof root !== 'string')
        throw new UsageError('No --root given. Pass the directory to mirror into.');
      if (livepatch.certs === undefined) {
        throw new UsageError(
          'No certificates given. Pass --certs DIR (from livepatch certs init --out DIR).',
        );
      }
      const command = options['--'] ?? [];
      if (options['restart'] === true && command.length === 0) {
        throw new UsageError('--restart needs the app after --, e.g. --restart -- node server.js.');
      }
      const agent = await startAgent({
        root: resolve(io.cwd, root),
        listen: livepatch.listen,
        certsDir: resolve(io.cwd, livepatch.certs),
        durable: livepatch.durable,
        allowExternalSymlinks: options['allowExternalSymlinks'] === true,
        reloadRules: reloadRules(loaded),
        restart: options['restart'] === true ? command : undefined,
        appCwd: io.cwd,
        rollbackWindowMs: livepatch.rollbackWindowMs,
        stopTimeoutMs: livepatch.stopTimeoutMs,
        logger,
        scrubber,
        appOutput: {
          stdout: (line) => io.stdout.write(`${line}\n`),
          stderr: (line) => io.stderr.write(`${line}\n`),
        },
      });
      await new Promise<void>((done) => {
        if (io.signal.aborted) done();
        else io.signal.addEventListener('abort', () => done(), { once: true });
      });
      logger.info('Stopping', { reason: String(io.signal.reason ?? 'SIGINT') });
      await agent.close();
      return 0;
    },
  );
}

/** `livepatch.reload` from velocity.yaml as the reloader's rules: `exec` commands as argument lists. */
function reloadRules(loaded: LoadedConfig): ReloadRule[] {
  return loaded.config.livepatch.reload.map((rule) => ({
    paths: [...rule.paths],
    action: rule.action,
    ...(rule.signal === undefined ? {} : { signal: rule.signal as NodeJS.Signals }),
    ...(rule.pidFile === undefined ? {} : { pidFile: rule.pidFile }),
    ...(rule.command === undefined
      ? {}
      : {
          command:
            typeof rule.command === 'string'
              ? rule.command.split(' ').filter((part) => part !== '')
              : [...rule.command],
        }),
  }));
}
