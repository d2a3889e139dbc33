/** Helpers shared by the tree tests: comparing snapshots. */
import type { TreeSnapshot } from '../../../src/tree/scan-tree.js';

/** A snapshot as plain data: directory path → hash and entries (hex hashes), for `t.strictSame`. */
export function plain(snapshot: TreeSnapshot): Record<string, unknown> {
  const directories: Record<string, unknown> = {};
  for (const path of [...snapshot.directories.keys()].sort()) {
    const node = snapshot.directories.get(path)!;
    directories[path] = {
      hash: node.hash.toString('hex'),
      entries: node.entries.map((entry) => ({ ...entry, hash: entry.hash.toString('hex') })),
      names: [...node.byName.keys()],
    };
  }
  return {
    rootHash: snapshot.rootHash.toString('hex'),
    fullModes: snapshot.fullModes,
    directories,
  };
}

/** The directories present in both snapshots whose hashes differ, plus those in only one, sorted. */
export function changedDirectories(a: TreeSnapshot, b: TreeSnapshot): string[] {
  const paths = new Set([...a.directories.keys(), ...b.directories.keys()]);
  return [...paths]
    .filter((path) => {
      const x = a.directories.get(path)?.hash;
      const y = b.directories.get(path)?.hash;
      return x === undefined || y === undefined || !x.equals(y);
    })
    .sort();
}
