/**
 * `velocity-dashboard`: starts the built Next server on `dashboard.listen` (127.0.0.1:3100 by default).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
 * The server's environment: `env`, plus `VELOCITY_DASHBOARD_DEP_CI_PATH` naming the workspace's dep-ci build
 * (`@velocity/dep-ci`'s `dist/bin/dep-ci`, as `npm run build` makes it) when `dashboard.depCiPath` is unset and
 * that build exists; the server cannot look it up itself, its code is bundled by webpack.
 */
export function withDepCiPath(
  env: NodeJS.ProcessEnv,
  depCiPath: string | undefined,
): NodeJS.ProcessEnv {
  if (depCiPath !== undefined) return env;
  let built: string;
  try {
    built = join(
      dirname(createRequire(import.meta.url).resolve('@velocity/dep-ci/package.json')),
      'dist/bin/dep-ci',
    );
  } catch {
    return env;
  }
  return existsSync(built) ? { ...env, VELOCITY_DASHBOARD_DEP_CI_PATH: built } : env;
}

/**
 * Runs `next start <package dir> -H <host> -p <port>` in `cwd` until it exits; SIGINT and SIGTERM are passed on.
 * The server keeps the caller's working directory, so it finds the same `velocity.yaml`, and relative paths in
 * `VELOCITY_*` variables (`dashboard.repositories`, agents' `certs`) mean what they meant where the command ran.
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
  const child = spawn(
    process.execPath,
    [next, 'start', PACKAGE_DIR, '-H', host, '-p', port, ...argv],
    {
      cwd: io.cwd,
      env: withDepCiPath(io.env, loaded.config.dashboard.depCiPath),
      stdio: 'inherit',
    },
  );
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
