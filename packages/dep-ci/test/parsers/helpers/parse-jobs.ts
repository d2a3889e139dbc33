import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, type LogFields, type Logger } from '@velocity/core';
import { languageOf, type ParseJob, type WorkerSource } from '../../../src/parsers/index.js';

/**
 * Starts parse workers from source: the package's entry under tsx. tap's own TypeScript loader, which a
 * worker would otherwise inherit, cannot `require` this package's ES modules from the `.cjs` entry.
 */
export const TSX_WORKER: WorkerSource = {
  kind: 'file',
  file: fileURLToPath(new URL('../../../bin/dep-ci.cjs', import.meta.url)),
  execArgv: ['--import', 'tsx'],
};

/** A logger that keeps its records, parsed. */
export function recordingLogger(): { logger: Logger; records: LogFields[] } {
  const records: LogFields[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: {
      write: (line: string) => {
        records.push(JSON.parse(line) as LogFields);
        return true;
      },
    },
  });
  return { logger, records };
}

const PACKAGE = fileURLToPath(new URL('../../..', import.meta.url));
const PYYAML = '/usr/lib/python3/dist-packages/yaml';

/**
 * Copies real source files into `dir`: this package's `src` and `test` (TypeScript, with the parser test
 * fixtures), zod's TypeScript sources, and PyYAML when installed. A copy, so that edits made meanwhile
 * cannot change files between two parses.
 *
 * @returns one job per file of a known language, sorted by path
 */
export function copyRealSources(dir: string): ParseJob[] {
  const zod = join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'src');
  cpSync(join(PACKAGE, 'src'), join(dir, 'dep-ci/src'), { recursive: true });
  cpSync(join(PACKAGE, 'test'), join(dir, 'dep-ci/test'), { recursive: true });
  cpSync(zod, join(dir, 'zod'), { recursive: true });
  if (existsSync(PYYAML)) cpSync(PYYAML, join(dir, 'pyyaml'), { recursive: true });
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => path.replaceAll('\\', '/'))
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort()
    .flatMap((path) => {
      const language = languageOf(path);
      return language === undefined ? [] : [{ path, language }];
    });
}
