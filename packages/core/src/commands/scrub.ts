import { createInterface } from 'node:readline';
import type { CliIo } from '../cli-io.js';
import { VelocityError } from '../errors.js';
import { createLogger, type Logger } from '../logger/index.js';
import { createScrubStream } from '../redact/index.js';

/** Options of `velocity scrub`. */
export interface ScrubOptions {
  /** Names of environment variables whose values are registered as secrets. */
  secretEnv: readonly string[];
  /** Input lines are `{"msg","fields","secrets"}` records; output lines are the logger's JSON records. */
  json: boolean;
}

/** `velocity scrub --json` met input lines it could not read; the others were still written. */
export class ScrubInputError extends VelocityError {
  constructor(badLines: readonly number[]) {
    super(
      'SCRUB_BAD_INPUT',
      `${badLines.length} input line(s) were not JSON records and were dropped (line ${badLines
        .slice(0, 5)
        .join(
          ', ',
        )}${badLines.length > 5 ? ', …' : ''}). Each line must be {"msg": string, "fields"?: object, "secrets"?: string[]}.`,
    );
  }
}

/**
 * `velocity scrub`: a filter that scrubs stdin to stdout.
 *
 * @remarks
 * Plain mode streams through {@link createScrubStream}: line-buffered, line endings kept, a secret split
 * across reads still caught. With `json`, each line is parsed, its `secrets` registered first, and the
 * record written by a JSON logger on stdout.
 *
 * @param logger - diagnostics (stderr); its scrubber holds the secrets
 * @throws {@link ScrubInputError} when some `--json` lines were malformed (after writing all good ones)
 * @returns exit code 0
 */
export async function scrub(options: ScrubOptions, io: CliIo, logger: Logger): Promise<number> {
  for (const name of options.secretEnv) {
    const value = io.env[name];
    if (value === undefined || value === '') {
      logger.warn('Secret environment variable is not set', { name });
    } else {
      logger.registerSecret(value, name);
    }
  }
  return options.json ? scrubJsonLines(io, logger) : scrubText(io, logger);
}

/** Streams stdin through the scrub stream; on SIGINT, ends the input so the held-back tail is flushed. */
async function scrubText(io: CliIo, logger: Logger): Promise<number> {
  const transform = createScrubStream(logger.scrubber);
  const stop = () => {
    io.stdin.unpipe(transform);
    io.stdin.destroy();
    transform.end();
  };
  io.signal.addEventListener('abort', stop, { once: true });
  io.stdin.once('error', (error) => transform.destroy(error));
  io.stdin.pipe(transform);
  try {
    for await (const chunk of transform as AsyncIterable<Buffer>) {
      // Bytes, not text: lines that are not UTF-8 pass through unchanged.
      if (!io.stdout.write(chunk)) {
        await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
      }
    }
  } finally {
    io.signal.removeEventListener('abort', stop);
  }
  return 0;
}

async function scrubJsonLines(io: CliIo, logger: Logger): Promise<number> {
  const out = createLogger({
    destination: io.stdout,
    format: 'json',
    level: 'trace',
    scrubber: logger.scrubber,
  });
  const badLines: number[] = [];
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  io.signal.addEventListener('abort', () => lines.close(), { once: true });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const record = parseRecord(line);
    if (record === undefined) {
      badLines.push(lineNumber);
      continue;
    }
    for (const secret of record.secrets) logger.registerSecret(secret);
    out.info(record.msg, record.fields);
  }
  if (badLines.length > 0) throw new ScrubInputError(badLines);
  return 0;
}

interface InputRecord {
  msg: string;
  fields: Record<string, unknown>;
  secrets: string[];
}

function parseRecord(line: string): InputRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { msg, fields = {}, secrets = [] } = value as Record<string, unknown>;
  if (typeof msg !== 'string') return undefined;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  if (!Array.isArray(secrets) || !secrets.every((s): s is string => typeof s === 'string')) {
    return undefined;
  }
  return { msg, fields: fields as Record<string, unknown>, secrets };
}
