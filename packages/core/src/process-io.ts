import type { CliIo } from './cli-io.js';

/**
 * The real process as a {@link CliIo}: the only place a Velocity CLI reads `process`.
 *
 * @remarks
 * The first SIGINT aborts `signal` so the running command can stop cleanly (the CLI then exits 130); a second
 * SIGINT gets Node's default behaviour and ends the process at once.
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
}
