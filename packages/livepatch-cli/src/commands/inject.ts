import { dirname, join, resolve } from 'node:path';
import { UsageError, type CliIo, type Logger } from '@velocity/core';
import { injectAgent } from '../inject/index.js';

/**
 * `livepatch inject`: copies the agent into a running container and starts it
 * (`--container NAME --root DIR --certs DIR`, optionally `--listen`, `--agent-binary`, `--restart -- CMD`).
 *
 * @returns 0
 * @throws {@link UsageError} for missing options; the inject module's `InjectError` when docker fails
 */
export async function injectCommand(
  io: CliIo,
  logger: Logger,
  options: {
    container: string | undefined;
    root: string | undefined;
    certs: string | undefined;
    listen: string;
    agentBinary: string | undefined;
    docker: string | undefined;
    restart: readonly string[] | undefined;
    /** This executable's path: the agent is looked for next to it. */
    execPath: string;
  },
): Promise<number> {
  if (options.container === undefined) throw new UsageError('Pass --container NAME.');
  if (options.root === undefined)
    throw new UsageError('Pass --root DIR, the directory inside the container to mirror into.');
  if (options.certs === undefined)
    throw new UsageError('Pass --certs DIR (from livepatch certs init --out DIR).');
  const installDir = await injectAgent({
    container: options.container,
    agentBinary: resolve(
      io.cwd,
      options.agentBinary ?? join(dirname(options.execPath), 'livepatch-agent'),
    ),
    certsDir: resolve(io.cwd, options.certs),
    root: options.root,
    listen: options.listen,
    restart: options.restart,
    ...(options.docker === undefined ? {} : { docker: options.docker }),
    env: io.env,
    logger,
  });
  io.stdout.write(`${installDir}\n`);
  return 0;
}
