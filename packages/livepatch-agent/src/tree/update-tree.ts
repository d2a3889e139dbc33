/**
 * Updating a {@link TreeSnapshot} for a batch of changed paths, without rescanning the tree.
 *
 * @module
 */
import { InvalidTreePathError, TreeRootNotFoundError } from './errors.js';
import { normalizeMode } from './hash-tree.js';
import type { TreeEntry } from './hash-tree.js';
import { createDirectoryNode, TreeWalker } from './scan-tree.js';
import type { DirectoryNode, ScanTreeOptions, TreeSnapshot } from './scan-tree.js';
import {
  isTreePath,
  isWellFormedPath,
  joinTreePath,
  splitTreePath,
  treePathDepth,
} from './tree-path.js';

/** Options of {@link updateTree}: those of {@link scanTree} but `fullModes`, which is the snapshot's. */
export type UpdateTreeOptions = Omit<ScanTreeOptions, 'fullModes'>;

/** What one probed path turned out to be. */
type Probe =
  /** An entry to set (`undefined`: to remove), with the nodes of a newly scanned subtree. */
  | {
      kind: 'entry';
      path: string;
      entry: TreeEntry | undefined;
      nodes: Map<string, DirectoryNode>;
    }
  /** A directory already in the snapshot, listed again; `entry` is `undefined` for the root. */
  | {
      kind: 'relist';
      path: string;
      entry: TreeEntry | undefined;
      entries: TreeEntry[];
      nodes: Map<string, DirectoryNode>;
    };

/**
 * The path to probe for changed path `path`: the topmost of its ancestors missing from the snapshot (a new
 * directory, scanned whole), or `path` itself.
 */
function probeTarget(snapshot: TreeSnapshot, path: string): string {
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const ancestor = path.slice(0, slash);
    if (!snapshot.directories.has(ancestor)) return ancestor;
  }
  return path;
}

/** Probes one path: what it is now on disk. */
async function probe(walker: TreeWalker, snapshot: TreeSnapshot, path: string): Promise<Probe> {
  const nodes = new Map<string, DirectoryNode>();
  const absent: Probe = { kind: 'entry', path, entry: undefined, nodes };
  if (path === '') {
    await walker.assertRoot();
    const entries = await walker.relistDirectory('', snapshot.directories.get('')!, nodes);
    // Never an empty root for a vanished one: the other side would delete everything.
    if (entries === undefined) throw new TreeRootNotFoundError(walker.root);
    return { kind: 'relist', path, entry: undefined, entries, nodes };
  }
  const stats = await walker.lstat(path);
  if (stats === undefined || walker.ignore(path, stats.isDirectory())) return absent;
  const previous = snapshot.directories.get(path);
  if (stats.isDirectory() && previous !== undefined) {
    const entries = await walker.relistDirectory(path, previous, nodes, stats);
    if (entries === undefined) return absent;
    const entry: TreeEntry = {
      name: splitTreePath(path).name,
      type: 'directory',
      mode: normalizeMode('directory', stats.mode, snapshot.fullModes),
      size: 0,
      // Recomputed from the entries once every probe is applied.
      hash: previous.hash,
    };
    return { kind: 'relist', path, entry, entries, nodes };
  }
  return { kind: 'entry', path, entry: await walker.entryFromStats(path, stats, nodes), nodes };
}

/**
 * The directories of a snapshot being edited: copy-on-write nodes, and the directories whose hash must be
 * recomputed.
 */
class TreeEdit {
  readonly #snapshot: TreeSnapshot;
  readonly #nodes: Map<string, DirectoryNode>;
  /** Directories being edited: tree path → entries by name (unsorted until {@link TreeEdit.finish}). */
  readonly #edited = new Map<string, Map<string, TreeEntry>>();

  constructor(snapshot: TreeSnapshot) {
    this.#snapshot = snapshot;
    this.#nodes = new Map(snapshot.directories);
  }

  /** The editable entries of directory `path`, or `undefined` when it is not in the tree. */
  #entriesOf(path: string): Map<string, TreeEntry> | undefined {
    let entries = this.#edited.get(path);
    if (entries === undefined) {
      const node = this.#nodes.get(path);
      if (node === undefined) return undefined;
      entries = new Map(node.byName);
      this.#edited.set(path, entries);
    }
    return entries;
  }

  /** Removes the nodes of directory `path` and of every directory below it. */
  #removeSubtree(path: string): void {
    const entries = this.#edited.get(path) ?? this.#nodes.get(path)?.byName;
    if (entries === undefined) return;
    for (const entry of entries.values()) {
      if (entry.type === 'directory') this.#removeSubtree(joinTreePath(path, entry.name));
    }
    this.#nodes.delete(path);
    this.#edited.delete(path);
  }

  /** Sets (or removes, when `entry` is `undefined`) the entry at `path`, then adds new subtree `nodes`. */
  setEntry(
    path: string,
    entry: TreeEntry | undefined,
    nodes: ReadonlyMap<string, DirectoryNode>,
  ): void {
    const { directory, name } = splitTreePath(path);
    const entries = this.#entriesOf(directory);
    // The parent vanished or was replaced earlier in this batch; its own change accounts for this one.
    if (entries === undefined) return;
    if (entries.get(name)?.type === 'directory') this.#removeSubtree(path);
    if (entry === undefined) entries.delete(name);
    else entries.set(name, entry);
    this.#addNodes(nodes);
  }

  /** Replaces the entries of directory `path` (and its own entry, for its mode), keeping unchanged subtrees. */
  relist(
    path: string,
    entry: TreeEntry | undefined,
    listed: readonly TreeEntry[],
    nodes: ReadonlyMap<string, DirectoryNode>,
  ): void {
    if (entry !== undefined) {
      const { directory, name } = splitTreePath(path);
      const parent = this.#entriesOf(directory);
      if (parent?.get(name)?.type !== 'directory') return;
      parent.set(name, entry);
    }
    const entries = this.#entriesOf(path);
    if (entries === undefined) return;
    const kept = new Set(listed);
    for (const old of entries.values()) {
      // Kept entries are the very same objects; anything else below a directory entry is gone.
      if (old.type === 'directory' && !kept.has(old)) {
        this.#removeSubtree(joinTreePath(path, old.name));
      }
    }
    entries.clear();
    for (const listedEntry of listed) entries.set(listedEntry.name, listedEntry);
    this.#addNodes(nodes);
  }

  #addNodes(nodes: ReadonlyMap<string, DirectoryNode>): void {
    for (const [path, node] of nodes) {
      this.#nodes.set(path, node);
      this.#edited.delete(path);
    }
  }

  /**
   * Recomputes the hashes of the edited directories and of their ancestors, deepest first, and returns the
   * new snapshot.
   */
  finish(): TreeSnapshot {
    const byDepth: Array<Set<string>> = [];
    const mark = (path: string) => {
      const depth = treePathDepth(path);
      (byDepth[depth] ??= new Set()).add(path);
    };
    for (const path of this.#edited.keys()) mark(path);
    for (let depth = byDepth.length - 1; depth >= 0; depth--) {
      for (const path of byDepth[depth] ?? []) {
        // Marked paths are all being edited: the keys of `#edited`, and parents `#entriesOf` added.
        const edited = this.#edited.get(path)!;
        const node = createDirectoryNode(path, [...edited.values()]);
        this.#nodes.set(path, node);
        if (path === '') continue;
        const { directory, name } = splitTreePath(path);
        const parent = this.#entriesOf(directory);
        const entry = parent?.get(name);
        /* c8 ignore next -- edits keep each node's parent, holding a directory entry for it */
        if (parent === undefined || entry?.type !== 'directory') continue;
        if (!entry.hash.equals(node.hash)) parent.set(name, { ...entry, hash: node.hash });
        mark(directory);
      }
    }
    const root = this.#nodes.get('')!;
    return {
      root: this.#snapshot.root,
      fullModes: this.#snapshot.fullModes,
      rootHash: root.hash,
      directories: this.#nodes,
    };
  }
}

/**
 * A snapshot of the same tree after `changedPaths` changed: only those paths are read again, and only the
 * hashes of their directories and those directories' ancestors are recomputed. `snapshot` is left as it was.
 *
 * @remarks
 * Meant for watch mode, after each batch of events (renames give both paths). For each path:
 * - gone, or now ignored: its entry is removed, with everything below it;
 * - a file or symlink: stat'ed and hashed again (through `hashCache`);
 * - a directory new to the snapshot: scanned whole; so is the topmost new directory above a path whose
 *   parent is not in the snapshot yet;
 * - a directory already in the snapshot: its mode is read again and it is listed again, shallowly: new
 *   names are scanned, missing ones removed, and entries whose name and type are unchanged are kept as they
 *   were (`""` lists the root again). Pass the changed files themselves to have them hashed again.
 *
 * Paths are probed concurrently, then applied shallowest first. Cost: O(changed paths + new subtrees) file
 * system calls, plus O(entries) hashing per directory on the way up to the root.
 *
 * Paths naming entries no tree holds (a name with a backslash or that is not UTF-8) are skipped.
 *
 * @throws {@link InvalidTreePathError} when a path is malformed (absolute, `.`, `..`, empty names, NUL)
 * @throws {@link TreeRootNotFoundError} when the root is gone
 * @throws {@link TreeReadError} when an entry cannot be read for a reason other than having vanished
 */
export async function updateTree(
  snapshot: TreeSnapshot,
  changedPaths: Iterable<string>,
  options: UpdateTreeOptions = {},
): Promise<TreeSnapshot> {
  const paths = new Set<string>();
  for (const path of changedPaths) {
    if (isTreePath(path)) paths.add(path);
    // A name no tree can hold (a backslash, not UTF-8): scans leave it out, and so does this.
    else if (!isWellFormedPath(path)) throw new InvalidTreePathError(path);
  }
  if (paths.size === 0) return snapshot;
  const targets = new Set([...paths].map((path) => probeTarget(snapshot, path)));
  const walker = new TreeWalker(snapshot.root, { ...options, fullModes: snapshot.fullModes });
  const probes = await walker.run(() =>
    Promise.all([...targets].map((path) => probe(walker, snapshot, path))),
  );
  probes.sort((a, b) => treePathDepth(a.path) - treePathDepth(b.path));
  const edit = new TreeEdit(snapshot);
  for (const result of probes) {
    if (result.kind === 'relist') {
      edit.relist(result.path, result.entry, result.entries, result.nodes);
    } else {
      edit.setEntry(result.path, result.entry, result.nodes);
    }
  }
  return edit.finish();
}
