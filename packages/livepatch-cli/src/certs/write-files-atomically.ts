import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificatesExistError } from './errors.js';

/** One file for {@link writeFilesAtomically} to write. */
export interface FileToWrite {
  /** File name inside the target directory, no slashes. */
  name: string;
  /** The whole contents. */
  contents: string;
  /** Permission bits the file is created with (before the umask), e.g. `0o600`. */
  mode: number;
}

/** Options of {@link writeFilesAtomically}. */
export interface WriteFilesAtomicallyOptions {
  /**
   * Replace files that already exist.
   *
   * @defaultValue false
   */
  overwrite?: boolean;
}

/**
 * Writes several files into `dir` so that each one appears complete, with its final mode, or not at all.
 *
 * @remarks
 * Each file is first written to a temporary file in `dir`, created with `O_EXCL` and its final mode, so
 * a private key is never readable by others, not even for a moment, then flushed with `fsync`. It is then
 * published under its name: with `rename` when overwriting (atomic replace), otherwise with `link`, which
 * fails with `EEXIST` instead of replacing a file created in the meantime. Without `overwrite`, a failure
 * removes the files this call already published, so the directory is left as it was; with `overwrite`,
 * files already replaced stay replaced.
 *
 * @throws {@link CertificatesExistError} when `overwrite` is false and one of the files exists
 */
export async function writeFilesAtomically(
  dir: string,
  files: readonly FileToWrite[],
  options: WriteFilesAtomicallyOptions = {},
): Promise<void> {
  const suffix = randomBytes(6).toString('hex');
  const temporary = files.map((file) => join(dir, `.${file.name}.${suffix}.tmp`));
  const published: string[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const handle = await open(temporary[index] as string, 'wx', file.mode);
      try {
        await handle.writeFile(file.contents);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [index, file] of files.entries()) {
      const from = temporary[index] as string;
      const to = join(dir, file.name);
      if (options.overwrite === true) {
        await rename(from, to);
      } else {
        try {
          await link(from, to);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new CertificatesExistError([to], { cause: error });
          }
          throw error;
        }
      }
      published.push(to);
    }
  } catch (error) {
    if (options.overwrite !== true) {
      await Promise.all(published.map((path) => rm(path, { force: true })));
    }
    throw error;
  } finally {
    await Promise.all(temporary.map((path) => rm(path, { force: true })));
  }
}
