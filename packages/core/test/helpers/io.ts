import { Readable, type PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli-io.js';
import { MemorySink } from './sink.js';

/** A {@link CliIo} over memory streams, for running a CLI's `main` in-process. */
export interface TestIo extends CliIo {
  stdout: MemorySink;
  stderr: MemorySink;
  controller: AbortController;
}

/**
 * Builds a test {@link CliIo}.
 *
 * @param input - stdin content, or a stream the test writes to (a `PassThrough` that never ends, for SIGINT)
 */
export function testIo(options: {
  cwd: string;
  env?: Record<string, string>;
  input?: string | Buffer | PassThrough;
}): TestIo {
  const controller = new AbortController();
  const { input = '' } = options;
  return {
    stdin: typeof input === 'string' || Buffer.isBuffer(input) ? Readable.from([input]) : input,
    stdout: new MemorySink(),
    stderr: new MemorySink(),
    env: options.env ?? {},
    cwd: options.cwd,
    signal: controller.signal,
    controller,
  };
}
