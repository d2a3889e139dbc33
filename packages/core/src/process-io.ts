import type { CliIo } from './cli-io.js';

/**
 * The real process as a {@link CliIo}: the only place a Velocity CLI reads `process`.
 *
 * @remarks
 * The first SIGINT aborts `signal` so the running command can stop cleanly (the CLI then exits 130); a second
 * SIGINT gets Node's default behaviour and ends the process at once. SIGTERM (a container or service manager
 * stopping the process) aborts it the same way, with the reason `'SIGTERM'` (exit 143). A closed stdout or stderr (EPIPE) drops
 * further output quietly.
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort('SIGTERM'));
  // A reader that goes away (`velocity scrub | head`) is no error: the rest of the output is dropped
  // instead of crashing with an unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
}
