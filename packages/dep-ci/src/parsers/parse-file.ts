import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseResult } from '../types.js';
import type { ParseJob } from './parse-protocol.js';
import type { SourceParser } from './source-parser.js';

/**
 * Reads one repository file and parses it. Never throws.
 *
 * @param parser - the parser of this thread
 * @param root - absolute repository root
 * @param job - the file, relative to `root`, and its language
 * @returns the parser's result; for a file that cannot be read, an unparsable result with no references
 *   and `error` naming the system error code, e.g. `could not read the file (ENOENT)`
 *
 * @remarks One synchronous read (faster than async reads for many small files), decoded as UTF-8 with
 * invalid bytes replaced by U+FFFD and a byte-order mark kept, as `Buffer#toString` does.
 */
export function parseFile(
  parser: Pick<SourceParser, 'parse'>,
  root: string,
  job: ParseJob,
): ParseResult {
  let source: string;
  try {
    source = readFileSync(join(root, job.path), 'utf8');
  } catch (error) {
    return { references: [], unparsable: true, error: `could not read the file (${why(error)})` };
  }
  return parser.parse(source, job.language);
}

/** The system error code (`ENOENT`, `EISDIR`), else the message: never the absolute path. */
function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  /* c8 ignore next -- readFileSync throws system errors, which carry a code */
  return typeof code === 'string' ? code : String(error);
}
