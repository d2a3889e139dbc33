/**
 * Test helpers: a byte-exact description of a directory tree, and batch shortcuts.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isInternalName } from '../../../src/apply/index.js';

/** SHA-256 of `data`, as 32 bytes. */
export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Every entry under `root` (not following links), root-relative → `file 644 <sha256 hex>`, `dir 755` or
 * `link -> <target>`. Agent-internal names are included, so leftovers show up as differences.
 */
export function snapshotTree(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = dir === '' ? name : `${dir}/${name}`;
      const absolute = join(root, path);
      const stats = lstatSync(absolute);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) entries[path] = `link -> ${readlinkSync(absolute)}`;
      else if (stats.isDirectory()) {
        entries[path] = `dir ${mode}`;
        walk(path);
      } else entries[path] = `file ${mode} ${sha256(readFileSync(absolute)).toString('hex')}`;
    }
  };
  walk('');
  return entries;
}

/** {@link snapshotTree} without the agent-internal entries: the tree as the CLI sees it. */
export function visibleTree(root: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(snapshotTree(root)).filter(
      ([path]) => !path.split('/').some((name) => isInternalName(name)),
    ),
  );
}

/** Root-relative paths of the agent-internal entries under `root` (temps, backups, journal). */
export function internalEntries(root: string): string[] {
  return Object.keys(snapshotTree(root)).filter((path) =>
    path.split('/').some((name) => isInternalName(name)),
  );
}

/** Yields `data` in chunks of `size` bytes, as a content stream. */
export async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += size) {
    await Promise.resolve();
    yield data.subarray(offset, offset + size);
  }
}
