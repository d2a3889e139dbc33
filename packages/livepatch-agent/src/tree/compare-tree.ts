/**
 * The GetTree descent: the agent answers directory queries from its snapshot ({@link answerTreeQuery}), and
 * the CLI compares each listing with its own directory ({@link compareDirectory}), querying next only the
 * subdirectories whose hashes differ ({@link descendTree}). An unchanged tree costs one query, the root's.
 *
 * @module
 */
import type {
  DirectoryListing__Output,
  Entry__Output,
  EntryType__Output,
} from '../protocol/index.js';
import { InvalidTreeListingError } from './errors.js';
import { sortEntries, TREE_HASH_BYTES } from './hash-tree.js';
import type { TreeEntry, TreeEntryType } from './hash-tree.js';
import type { DirectoryNode, TreeSnapshot } from './scan-tree.js';
import { assertTreePath, isValidEntryName, joinTreePath } from './tree-path.js';

/** One directory to list, with the asker's hash of it: the proto's `DirectoryQuery`. */
export interface TreeQuery {
  /** Tree path, `""` for the root. */
  path: string;
  /** The asker's hash of the directory (32 bytes). */
  hash: Uint8Array;
}

/** The proto's `EntryType` name of each tree entry type. */
export const WIRE_ENTRY_TYPES = {
  file: 'ENTRY_TYPE_FILE',
  directory: 'ENTRY_TYPE_DIRECTORY',
  symlink: 'ENTRY_TYPE_SYMLINK',
} as const satisfies Record<TreeEntryType, EntryType__Output>;

/** A tree entry as the proto's `Entry` (`target` is `""` except for symlinks). */
export function toWireEntry(entry: TreeEntry): Entry__Output {
  return {
    name: entry.name,
    type: WIRE_ENTRY_TYPES[entry.type],
    mode: entry.mode,
    size: entry.size,
    hash: entry.hash,
    target: entry.target ?? '',
  };
}

/** The tree entry type of a proto `EntryType` name, or `undefined` for `ENTRY_TYPE_UNSPECIFIED`. */
function fromWireType(type: EntryType__Output): TreeEntryType | undefined {
  switch (type) {
    case 'ENTRY_TYPE_FILE':
      return 'file';
    case 'ENTRY_TYPE_DIRECTORY':
      return 'directory';
    case 'ENTRY_TYPE_SYMLINK':
      return 'symlink';
    case 'ENTRY_TYPE_UNSPECIFIED':
      return undefined;
  }
}

/**
 * A proto `Entry` of the listing of `directory` as a tree entry.
 *
 * @throws {@link InvalidTreeListingError} when its name is not a valid entry name, its type is unspecified,
 *   or its hash is not 32 bytes
 */
export function fromWireEntry(directory: string, wire: Entry__Output): TreeEntry {
  if (!isValidEntryName(wire.name)) {
    throw new InvalidTreeListingError(
      directory,
      `entry ${JSON.stringify(wire.name)} has an invalid name`,
    );
  }
  const type = fromWireType(wire.type);
  if (type === undefined) {
    throw new InvalidTreeListingError(directory, `entry "${wire.name}" has type ${wire.type}`);
  }
  if (wire.hash.length !== TREE_HASH_BYTES) {
    throw new InvalidTreeListingError(
      directory,
      `entry "${wire.name}" has a ${wire.hash.length}-byte hash`,
    );
  }
  const entry = {
    name: wire.name,
    type,
    mode: wire.mode,
    size: Number(wire.size),
    hash: wire.hash,
  };
  return type === 'symlink' ? { ...entry, target: wire.target } : entry;
}

/** A directory node as the proto's `DirectoryListing`: it exists, differs, and lists its entries. */
export function toListing(node: DirectoryNode): DirectoryListing__Output {
  return {
    path: node.path,
    hash: node.hash,
    same: false,
    exists: true,
    entries: node.entries.map(toWireEntry),
  };
}

/**
 * Answers a GetTree request from `snapshot`: for each queried directory, in order, `same` when its hash
 * equals the query's, `exists: false` when the snapshot has no directory there (missing, ignored, or not a
 * directory), and otherwise its full listing ({@link toListing}).
 *
 * @throws {@link InvalidTreePathError} when a queried path is not a tree path (gRPC INVALID_ARGUMENT)
 */
export function answerTreeQuery(
  snapshot: TreeSnapshot,
  directories: readonly TreeQuery[],
): DirectoryListing__Output[] {
  return directories.map(({ path, hash }) => {
    assertTreePath(path);
    const node = snapshot.directories.get(path);
    if (node === undefined) {
      return { path, hash: Buffer.alloc(0), same: false, exists: false, entries: [] };
    }
    if (Buffer.compare(node.hash, hash) === 0) {
      return { path, hash: node.hash, same: true, exists: true, entries: [] };
    }
    return toListing(node);
  });
}

/** A field of an entry that differs between the two sides. */
export type EntryField = 'type' | 'mode' | 'size' | 'hash';

/** An entry present on both sides that differs (other than a directory's subtree hash alone). */
export interface EntryChange {
  /** Tree path of the entry. */
  path: string;
  local: TreeEntry;
  remote: TreeEntry;
  /** What differs, in this order: type, mode, size, hash. */
  fields: EntryField[];
}

/** What differs between a local directory and its remote listing. */
export interface DirectoryDiff {
  /** Tree path of the directory, `""` for the root. */
  path: string;
  /** Whether the directory exists remotely; when not, every local entry is in `missing`. */
  remoteExists: boolean;
  /** Local entries absent remotely (a directory: its whole subtree), in name order. */
  missing: TreeEntry[];
  /** Remote entries absent locally, in name order. */
  extra: TreeEntry[];
  /** Entries on both sides that differ, in name order. */
  changed: EntryChange[];
  /** Subdirectories on both sides whose hashes differ, with the local hash: the queries of the next round. */
  descend: TreeQuery[];
}

/** Whether a diff has nothing to do. */
export function isEmptyDiff(diff: DirectoryDiff): boolean {
  return (
    diff.missing.length === 0 &&
    diff.extra.length === 0 &&
    diff.changed.length === 0 &&
    diff.descend.length === 0
  );
}

/** The fields in which two entries of the same name differ; a directory's hash is left to the descent. */
function differingFields(local: TreeEntry, remote: TreeEntry): EntryField[] {
  const fields: EntryField[] = [];
  if (local.type !== remote.type) fields.push('type');
  if (local.mode !== remote.mode) fields.push('mode');
  if (local.size !== remote.size) fields.push('size');
  const bothDirectories = local.type === 'directory' && remote.type === 'directory';
  if (!bothDirectories && !local.hash.equals(remote.hash)) fields.push('hash');
  return fields;
}

/**
 * Compares a local directory with the remote listing of the same path.
 *
 * @remarks
 * A `same` listing yields an empty diff; one with `exists: false` makes every local entry missing. Modes are
 * compared as they are: both sides normalize them alike ({@link normalizeMode}, the same `fullModes`).
 * O(local + remote entries): both lists are in name order, merged in one pass.
 *
 * @param local - the local directory, or `undefined` when it does not exist locally
 * @param remote - the listing received for the same path
 * @throws {@link InvalidTreeListingError} when the listing is for another path or an entry is malformed
 */
export function compareDirectory(
  local: DirectoryNode | undefined,
  remote: DirectoryListing__Output,
): DirectoryDiff {
  const path = local?.path ?? remote.path;
  if (remote.path !== path) {
    throw new InvalidTreeListingError(path, `it is the listing of ${JSON.stringify(remote.path)}`);
  }
  const diff: DirectoryDiff = {
    path,
    remoteExists: remote.exists,
    missing: [],
    extra: [],
    changed: [],
    descend: [],
  };
  if (remote.same && remote.exists) return diff;
  const remoteEntries = new Map<string, TreeEntry>();
  for (const wire of remote.exists ? remote.entries : []) {
    const entry = fromWireEntry(path, wire);
    if (remoteEntries.has(entry.name)) {
      throw new InvalidTreeListingError(path, `entry "${entry.name}" is listed twice`);
    }
    remoteEntries.set(entry.name, entry);
  }
  for (const entry of local?.entries ?? []) {
    const other = remoteEntries.get(entry.name);
    if (other === undefined) {
      diff.missing.push(entry);
      continue;
    }
    remoteEntries.delete(entry.name);
    const entryPath = joinTreePath(path, entry.name);
    const fields = differingFields(entry, other);
    if (fields.length > 0)
      diff.changed.push({ path: entryPath, local: entry, remote: other, fields });
    if (
      entry.type === 'directory' &&
      other.type === 'directory' &&
      !entry.hash.equals(other.hash)
    ) {
      diff.descend.push({ path: entryPath, hash: entry.hash });
    }
  }
  diff.extra = sortEntries([...remoteEntries.values()]);
  return diff;
}

/** Options of {@link descendTree}. */
export interface DescendTreeOptions {
  /** Stops the descent between rounds; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Most directories per query, to keep each GetTree response under gRPC's message size limit.
   *
   * @defaultValue 256
   */
  batchSize?: number;
}

/** Lists remote directories: one GetTree call, answering every query (as {@link answerTreeQuery} does). */
export type TreeQueryFunction = (
  directories: TreeQuery[],
) => Promise<readonly DirectoryListing__Output[]>;

/**
 * Runs the GetTree descent of `local` against the remote tree behind `query`, and returns what differs.
 *
 * @remarks
 * Breadth-first: the first round queries the root with the local root hash; each round queries together
 * (in batches of `batchSize`) every subdirectory whose hashes differed in the previous one. A subtree that
 * is missing or extra on one side is reported once, at its top. Round trips: at most the depth of the
 * deepest changed directory + 1; one for an unchanged tree.
 *
 * @returns the diffs that are not empty ({@link isEmptyDiff}), shallowest first
 * @throws {@link InvalidTreeListingError} when a queried directory is not answered or a listing is malformed
 */
export async function descendTree(
  local: TreeSnapshot,
  query: TreeQueryFunction,
  options: DescendTreeOptions = {},
): Promise<DirectoryDiff[]> {
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const diffs: DirectoryDiff[] = [];
  let round: TreeQuery[] = [{ path: '', hash: local.rootHash }];
  while (round.length > 0) {
    const next: TreeQuery[] = [];
    for (let start = 0; start < round.length; start += batchSize) {
      options.signal?.throwIfAborted();
      const batch = round.slice(start, start + batchSize);
      const listings = new Map((await query(batch)).map((listing) => [listing.path, listing]));
      for (const { path } of batch) {
        const listing = listings.get(path);
        if (listing === undefined) {
          throw new InvalidTreeListingError(path, 'the directory was queried but not answered');
        }
        const diff = compareDirectory(local.directories.get(path), listing);
        if (!isEmptyDiff(diff)) diffs.push(diff);
        next.push(...diff.descend);
      }
    }
    round = next;
  }
  return diffs;
}
