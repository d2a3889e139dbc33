import { appendFile, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleReference } from '../types.js';
import { CACHE_FORMAT, writeFileAtomically } from './graph-cache.js';

/** What the parser found in one file content. */
export interface StoredReferences {
  references: ModuleReference[];
  /** Why the content is unparsable, when it is. */
  unparsable?: string;
}

/** Module references by content hash (git blob id). */
export type ReferenceEntries = ReadonlyMap<string, StoredReferences>;

/** The reference store inside `cacheDir`. */
export function referenceStorePath(root: string, cacheDir: string): string {
  return join(root, cacheDir, 'references.ndjson');
}

const header = (parserVersion: string) =>
  `${JSON.stringify({ format: CACHE_FORMAT, parserVersion })}\n`;
const line = (hash: string, entry: StoredReferences) =>
  `${JSON.stringify(
    entry.unparsable === undefined
      ? [hash, entry.references]
      : [hash, entry.references, entry.unparsable],
  )}\n`;

/**
 * Reads the reference store: newline-delimited JSON, a header line `{"format","parserVersion"}` then one
 * `[hash, references, unparsable?]` line per file content, later lines winning.
 *
 * @remarks
 * Content-addressed and append-only, so a warm run adds the few files it parsed without reading the rest.
 * A missing or outdated store is empty, and a malformed line (a write cut short) is skipped: a content
 * with no entry is parsed again, never trusted.
 *
 * @param path - from {@link referenceStorePath}
 * @param parserVersion - the running parsers' version
 */
export async function readReferenceStore(
  path: string,
  parserVersion: string,
): Promise<Map<string, StoredReferences>> {
  const entries = new Map<string, StoredReferences>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return entries;
  }
  const expected = header(parserVersion);
  if (!text.startsWith(expected)) return entries;
  for (const row of text.slice(expected.length).split('\n')) {
    if (row === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      continue;
    }
    if (!Array.isArray(value) || typeof value[0] !== 'string' || !Array.isArray(value[1])) continue;
    const entry: StoredReferences = { references: value[1] as ModuleReference[] };
    if (typeof value[2] === 'string') entry.unparsable = value[2];
    entries.set(value[0], entry);
  }
  return entries;
}

/**
 * Saves references: appended to the store when it has this parser version's header, otherwise (or with
 * `replace`) written as a new store atomically.
 *
 * @param entries - contents parsed in this run; with `replace`, every content still in use
 * @param replace - rewrite the store with `entries` only (drops entries of contents no longer present)
 * @throws the file system's errors
 */
export async function saveReferences(
  path: string,
  parserVersion: string,
  entries: ReferenceEntries,
  replace: boolean,
): Promise<void> {
  const lines: string[] = [];
  for (const [hash, entry] of entries) lines.push(line(hash, entry));
  if (!replace && (await startsWith(path, header(parserVersion)))) {
    // A leading newline ends a line an earlier, interrupted append may have left unfinished.
    if (lines.length > 0) await appendFile(path, `\n${lines.join('')}`);
    return;
  }
  await writeFileAtomically(path, header(parserVersion) + lines.join(''));
}

/** Whether the file at `path` starts with `prefix` (`false` when it cannot be read). */
async function startsWith(path: string, prefix: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const wanted = Buffer.from(prefix);
    const buffer = Buffer.alloc(wanted.length);
    const { bytesRead } = await handle.read(buffer, 0, wanted.length, 0);
    return bytesRead === wanted.length && buffer.equals(wanted);
  } finally {
    await handle.close();
  }
}
