/**
 * Finding `velocity.yaml`.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** File names searched for in each directory, in order of preference. */
const CONFIG_FILE_NAMES = ['velocity.yaml', 'velocity.yml'] as const;

/** Options of {@link findConfigFile}. */
export interface FindConfigFileOptions {
  /** A file the user named explicitly (absolute, or relative to `startDir`); it must exist. */
  configFile?: string;
  /**
   * How the user named `configFile`, used in the error when it does not exist.
   * @defaultValue `'--config'`
   */
  configFileFrom?: string;
}

/**
 * Finds the config file: `options.configFile` when given, otherwise the first `velocity.yaml` (or
 * `velocity.yml`) in `startDir` or one of its parents, up to the filesystem root.
 *
 * @param startDir - Directory the search starts in, usually the working directory.
 * @returns The absolute path of the file, or `undefined` when there is none (the defaults apply).
 * @throws {@link ConfigError} when `options.configFile` does not exist or is not a file.
 */
export async function findConfigFile(
  startDir: string,
  options: FindConfigFileOptions = {},
): Promise<string | undefined> {
  if (options.configFile !== undefined) {
    const file = resolve(startDir, options.configFile);
    const kind = await fileKind(file);
    if (kind === 'file') return file;
    const from = options.configFileFrom ?? '--config';
    throw new ConfigError([
      {
        path: from,
        message:
          kind === 'missing'
            ? `config file "${file}" does not exist; fix the path, or omit ${from} to use velocity.yaml from the working directory or a parent`
            : `"${file}" is not a file; pass the path of a velocity.yaml file`,
      },
    ]);
  }
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if ((await fileKind(file)) === 'file') return file;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether `path` is a file, something else (a directory), or missing (or unreadable). */
async function fileKind(path: string): Promise<'file' | 'other' | 'missing'> {
  try {
    return (await stat(path)).isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}
