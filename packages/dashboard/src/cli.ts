/**
 * `velocity-dashboard`: starts the built Next server on `dashboard.listen` (127.0.0.1:3100 by default).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@velocity/core';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Splits `HOST:PORT` (`[::1]:3100` for IPv6) as the config schema validated it. */
export function splitListen(listen: string): { host: string; port: string } {
  const colon = listen.lastIndexOf(':');
  return {
    host: listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
    port: listen.slice(colon + 1),
  };
}

/**
 * Runs `next start -H <host> -p <port>` in the package directory until it exits; SIGINT and SIGTERM are passed
 * on. The config file found from `cwd` is handed to the server as `VELOCITY_CONFIG`, since the server runs in
 * another directory.
 *
 * @returns the server's exit code; 2 for a config error
 */
export async function main(
  argv: readonly string[],
  io: { env: NodeJS.ProcessEnv; cwd: string; stderr: NodeJS.WritableStream },
): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfig({ cwd: io.cwd, env: io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`velocity-dashboard: error: ${error.message}\n`);
    return 2;
  }
  const { host, port } = splitListen(loaded.config.dashboard.listen);
  const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const env = { ...io.env, ...(loaded.file === undefined ? {} : { VELOCITY_CONFIG: loaded.file }) };
  const child = spawn(process.execPath, [next, 'start', '-H', host, '-p', port, ...argv], {
    cwd: PACKAGE_DIR,
    env,
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
