/**
 * The Merkle tree of LivePatch: entry records, their normalized modes, and the byte encoding of a directory
 * whose SHA-256 is the directory's hash. The CLI (over SRC) and the agent (over its root) must produce the
 * same bytes for the same tree, so this encoding is part of the wire protocol.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { InternalError } from '@velocity/core';

/** Bytes of every hash in the tree (SHA-256). */
export const TREE_HASH_BYTES = 32;

/** The kinds of entries a tree holds; anything else (sockets, FIFOs, devices) is left out. */
export const TREE_ENTRY_TYPES = ['file', 'directory', 'symlink'] as const;

/** One of {@link TREE_ENTRY_TYPES}. */
export type TreeEntryType = (typeof TREE_ENTRY_TYPES)[number];

/** The type byte of each entry type in the encoding; the same numbers as the proto's `EntryType`. */
export const TREE_ENTRY_TYPE_BYTES = {
  file: 1,
  directory: 2,
  symlink: 3,
} as const satisfies Record<TreeEntryType, number>;

/** One entry of a directory. */
export interface TreeEntry {
  /** The name within its directory (a valid entry name: no `/`, not `.` or `..`). */
  readonly name: string;
  readonly type: TreeEntryType;
  /** Permission bits, normalized by {@link normalizeMode}. */
  readonly mode: number;
  /** Bytes of content for files; 0 for directories and symlinks. */
  readonly size: number;
  /**
   * 32 bytes: SHA-256 of the content for files, the subtree hash ({@link hashDirectory}) for directories,
   * SHA-256 of the UTF-8 target for symlinks.
   */
  readonly hash: Buffer;
  /** Symlinks only: the link's target as stored, never resolved. */
  readonly target?: string;
}

/**
 * The mode an entry carries in the tree.
 *
 * @remarks
 * Only permission bits count: `mode & 0o777`, so setuid, setgid and sticky bits and the file type are
 * dropped. Without `fullModes` only the owner-executable bit of files counts: files are `0o755` or `0o644`,
 * directories always `0o755`. Symlinks are always `0o777` (Linux cannot change their mode and macOS ignores
 * it, so a real value would make the two sides differ forever).
 *
 * @param type - the entry's type
 * @param mode - `stats.mode`
 * @param fullModes - compare all permission bits, not only the owner-executable bit
 */
export function normalizeMode(type: TreeEntryType, mode: number, fullModes: boolean): number {
  switch (type) {
    case 'symlink':
      return 0o777;
    case 'directory':
      return fullModes ? mode & 0o777 : 0o755;
    case 'file':
      return fullModes ? mode & 0o777 : mode & 0o100 ? 0o755 : 0o644;
  }
}

/** A UTF-16 code unit's rank in code point order: surrogates (code points above U+FFFF) sort last. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/**
 * Compares two names in the byte order of their UTF-8 encodings (code point order), without encoding them.
 *
 * @remarks JavaScript's `<` compares UTF-16 code units, which puts U+E000–U+FFFF after astral characters.
 */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Sorts entries by name, UTF-8 byte order ({@link compareNames}), in place; returns them. */
export function sortEntries<T extends Pick<TreeEntry, 'name'>>(entries: T[]): T[] {
  return entries.sort((a, b) => compareNames(a.name, b.name));
}

/** Entries in name order, sorting a copy only when they are not already sorted. */
function inNameOrder(entries: readonly TreeEntry[]): readonly TreeEntry[] {
  for (let index = 1; index < entries.length; index++) {
    const order = compareNames(entries[index - 1]!.name, entries[index]!.name);
    if (order === 0) throw new InternalError(`Duplicate entry name "${entries[index]!.name}".`);
    if (order > 0) return inNameOrder(sortEntries([...entries]));
  }
  return entries;
}

/** Fixed bytes of one encoded entry besides its name: length, type, mode, size, hash. */
const ENTRY_FIXED_BYTES = 4 + 1 + 4 + 8 + TREE_HASH_BYTES;

/**
 * The bytes a directory's hash is computed over.
 *
 * @remarks
 * The entries in name order (UTF-8 byte order, {@link compareNames}), each encoded as, all integers
 * big-endian:
 *
 * | bytes | field |
 * |---|---|
 * | 4 | `n`, the length of the name in bytes, u32 |
 * | n | the name, UTF-8 |
 * | 1 | the type: 1 file, 2 directory, 3 symlink ({@link TREE_ENTRY_TYPE_BYTES}) |
 * | 4 | the mode ({@link normalizeMode}), u32 |
 * | 8 | the size, u64 |
 * | 32 | the hash (see {@link TreeEntry.hash}) |
 *
 * Nothing else: no header, count or separator (each record's length is known from its first 4 bytes). An
 * empty directory encodes to zero bytes. O(total name length + 49 × entries).
 *
 * @throws {@link InternalError} when two entries share a name or a hash is not 32 bytes
 */
export function encodeDirectory(entries: readonly TreeEntry[]): Buffer {
  const sorted = inNameOrder(entries);
  const names = sorted.map((entry) => Buffer.from(entry.name, 'utf8'));
  const total = names.reduce((sum, name) => sum + ENTRY_FIXED_BYTES + name.length, 0);
  const bytes = Buffer.allocUnsafe(total);
  let offset = 0;
  sorted.forEach((entry, index) => {
    const name = names[index]!;
    if (entry.hash.length !== TREE_HASH_BYTES) {
      throw new InternalError(
        `Entry "${entry.name}" has a ${entry.hash.length}-byte hash, not ${TREE_HASH_BYTES}.`,
      );
    }
    offset = bytes.writeUInt32BE(name.length, offset);
    offset += name.copy(bytes, offset);
    offset = bytes.writeUInt8(TREE_ENTRY_TYPE_BYTES[entry.type], offset);
    offset = bytes.writeUInt32BE(entry.mode >>> 0, offset);
    // u64 as two u32 halves: sizes are below 2^53, and this avoids a BigInt per entry.
    offset = bytes.writeUInt32BE(Math.floor(entry.size / 0x1_0000_0000), offset);
    offset = bytes.writeUInt32BE(entry.size >>> 0, offset);
    offset += entry.hash.copy(bytes, offset);
  });
  return bytes;
}

/**
 * A directory's hash: SHA-256 of {@link encodeDirectory}.
 *
 * @throws {@link InternalError} when two entries share a name or a hash is not 32 bytes
 */
export function hashDirectory(entries: readonly TreeEntry[]): Buffer {
  return createHash('sha256').update(encodeDirectory(entries)).digest();
}

/** A symlink's hash: SHA-256 of its target, UTF-8. */
export function hashSymlinkTarget(target: string): Buffer {
  return createHash('sha256').update(target, 'utf8').digest();
}

/** The hash of an empty directory (SHA-256 of no bytes, the same as an empty file's). */
export const EMPTY_DIRECTORY_HASH: Buffer = hashDirectory([]);
