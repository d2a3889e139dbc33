import { resolve } from 'node:path';
import type { CliIo, Logger } from '@velocity/core';
import { initCertificates } from '../certs/index.js';

/**
 * `livepatch certs init --out DIR [--host NAME ...]`: writes the project CA, the agent's and the CLI's
 * certificates and keys.
 *
 * @returns 0
 * @throws the certificate module's errors (files exist without `--force`, bad host names)
 */
export async function certsInitCommand(
  io: CliIo,
  logger: Logger,
  options: { out: string; hosts: readonly string[]; force: boolean; json: boolean },
): Promise<number> {
  const result = await initCertificates({
    outDir: resolve(io.cwd, options.out),
    hosts: options.hosts,
    force: options.force,
  });
  const summary = {
    files: result.files,
    serverNames: result.serverNames.map((name) => name.value),
    notAfter: result.notAfter.toISOString(),
    caFingerprint256: result.caFingerprint256,
  };
  if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    logger.info('Certificates written', summary);
    io.stdout.write(
      `${result.files.join('\n')}\nCopy ca.pem, server.pem and server-key.pem to the agent; keep the rest here.\n`,
    );
  }
  return 0;
}
