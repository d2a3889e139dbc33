import type { TreeEntry } from '@velocity/livepatch-agent/tree';

/**
 * One change to make at the agent, before its content is encoded.
 *
 * - `mkdir`, `symlink`, `chmod`, `remove`: as the protocol's operations
 * - `write`: the local file at `path` goes over whole or as a delta (encoded later)
 * - `copy`: the agent already has this content at `from`, which stays; `rename`: at `from`, which goes
 */
export type PlannedChange =
  | { kind: 'mkdir'; path: string; mode: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chmod'; path: string; mode: number }
  | { kind: 'remove'; path: string }
  | { kind: 'write'; path: string; entry: TreeEntry; remote: TreeEntry | undefined }
  | { kind: 'copy'; path: string; from: string; entry: TreeEntry }
  | { kind: 'rename'; path: string; from: string; entry: TreeEntry };

/** A path on both sides: `local` is what the agent must end up with, `remote` what it has. */
export interface PathState {
  path: string;
  local: TreeEntry | undefined;
  remote: TreeEntry | undefined;
}

/**
 * The changes that turn the agent's entries into the local ones for the given paths, in an order the agent
 * can apply them in one batch.
 *
 * @remarks
 * A local file whose content the agent holds at a path that is going away becomes a `rename` (no payload);
 * at a path that stays, a `copy` (`remoteByHash`: content hash in hex → agent paths holding it, as far as
 * the caller knows them). Order: removals of entries whose type changes (so a file can become a directory),
 * directories (parents first), copies and renames (their sources still in place), writes, symlinks and
 * modes, then the remaining removals (deepest first). O(paths log paths).
 *
 * @param states - every path that may differ; paths whose sides agree produce nothing
 */
export function planChanges(
  states: readonly PathState[],
  remoteByHash: ReadonlyMap<string, readonly string[]> = new Map(),
): PlannedChange[] {
  const typeChanges: PlannedChange[] = [];
  const directories: PlannedChange[] = [];
  const contents: Array<{ path: string; entry: TreeEntry; remote: TreeEntry | undefined }> = [];
  const others: PlannedChange[] = [];
  const removals = new Set<string>();
  for (const { path, local, remote } of states) {
    if (local === undefined) {
      if (remote !== undefined) removals.add(path);
      continue;
    }
    if (remote !== undefined && remote.type !== local.type) {
      typeChanges.push({ kind: 'remove', path });
    }
    const sameType = remote?.type === local.type;
    switch (local.type) {
      case 'directory':
        if (!sameType || remote.mode !== local.mode) {
          directories.push({ kind: 'mkdir', path, mode: local.mode });
        }
        break;
      case 'symlink':
        if (!sameType || !remote.hash.equals(local.hash)) {
          others.push({ kind: 'symlink', path, target: local.target ?? '' });
        }
        break;
      case 'file':
        if (!sameType || !remote.hash.equals(local.hash) || remote.size !== local.size) {
          contents.push({ path, entry: local, remote: sameType ? remote : undefined });
        } else if (remote.mode !== local.mode) {
          others.push({ kind: 'chmod', path, mode: local.mode });
        }
        break;
    }
  }
  // Removals under a removed directory are implied by it.
  const removed = [...removals].filter((path) => !hasAncestorIn(path, removals));

  const renamedFrom = new Set<string>();
  const writes: PlannedChange[] = [];
  const moves: PlannedChange[] = [];
  for (const { path, entry, remote } of contents) {
    const holders = remoteByHash.get(entry.hash.toString('hex')) ?? [];
    const leaving = holders.find(
      (from) => from !== path && removals.has(from) && !renamedFrom.has(from),
    );
    const staying = holders.find(
      (from) => from !== path && !removals.has(from) && !hasAncestorIn(from, removals),
    );
    if (leaving !== undefined) {
      renamedFrom.add(leaving);
      moves.push({ kind: 'rename', path, from: leaving, entry });
    } else if (staying !== undefined) {
      moves.push({ kind: 'copy', path, from: staying, entry });
    } else {
      writes.push({ kind: 'write', path, entry, remote });
    }
  }
  // Copies read their source before any rename moves it away.
  moves.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'copy' ? -1 : 1));
  directories.sort((a, b) => depth(a.path) - depth(b.path) || compare(a.path, b.path));
  const finalRemovals: PlannedChange[] = removed
    .filter((path) => !renamedFrom.has(path))
    .sort((a, b) => depth(b) - depth(a) || compare(a, b))
    .map((path) => ({ kind: 'remove', path }));
  // A renamed file changes mode with its rename target's write; a mode of a moved file follows the entry.
  return [...typeChanges, ...directories, ...moves, ...writes, ...others, ...finalRemovals];
}

function hasAncestorIn(path: string, set: ReadonlySet<string>): boolean {
  for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) {
    if (set.has(path.slice(0, at))) return true;
  }
  return false;
}

const depth = (path: string): number => path.split('/').length;
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
