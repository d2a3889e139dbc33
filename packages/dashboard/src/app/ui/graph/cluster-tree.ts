/**
 * Folder and package clusters of an import graph: what the graph page draws instead of every file, expanded on
 * demand.
 *
 * @module
 */

/** How files are grouped into clusters. */
export const GROUPINGS = ['folder', 'package'] as const;

/**
 * `folder`: the directory tree. `package`: workspace packages (directories holding a `package.json`) directly
 * under the root, each holding its own directory tree; files outside any package keep their folders.
 */
export type Grouping = (typeof GROUPINGS)[number];

/** One cluster: a directory, or the root. */
export interface Cluster {
  /** Directory path, root-relative POSIX; `''` for the root. */
  readonly key: string;
  /** `key` relative to the parent cluster's (`src`, or `packages/core` for a package under the root). */
  readonly label: string;
  readonly kind: 'root' | 'folder' | 'package';
  /** Parent cluster id; -1 for the root. */
  readonly parent: number;
  /** Child cluster ids, by key. */
  readonly children: readonly number[];
  /** Ids of the files directly in this cluster, ascending. */
  readonly files: readonly number[];
  /** Files in this cluster and every cluster below it. */
  readonly size: number;
}

/**
 * The clusters of a file list.
 *
 * - `clusters`: by id; id 0 is the root and every parent's id is lower than its children's (preorder)
 * - `clusterOf`: file id → the id of the cluster holding it directly
 */
export interface ClusterTree {
  readonly clusters: readonly Cluster[];
  readonly clusterOf: Int32Array;
}

/** Nodes the first view of a graph draws at most, unless the root alone holds more (see {@link initialExpansion}). */
export const INITIAL_VISIBLE_NODES = 40;

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

interface RawCluster {
  readonly key: string;
  readonly children: Set<string>;
  readonly files: number[];
}

/**
 * Groups files into clusters.
 *
 * @remarks
 * A directory holding no file itself and only one subdirectory is merged with it (`packages/core/src` rather
 * than three clicks), except the root. O(F × depth) for F files.
 *
 * @param files - root-relative POSIX paths; a file's index is its id
 */
export function buildClusterTree(files: readonly string[], grouping: Grouping): ClusterTree {
  const packages = new Set<string>();
  if (grouping === 'package') {
    for (const file of files) {
      const dir = dirOf(file);
      if (dir !== '' && file.slice(dir.length + 1) === 'package.json') packages.add(dir);
    }
  }
  const parentKey = (dir: string): string => {
    if (!packages.has(dir)) return dirOf(dir);
    for (let up = dirOf(dir); up !== ''; up = dirOf(up)) if (packages.has(up)) return up;
    return '';
  };
  const raw = new Map<string, RawCluster>();
  const ensure = (key: string): RawCluster => {
    let cluster = raw.get(key);
    if (cluster === undefined) {
      cluster = { key, children: new Set(), files: [] };
      raw.set(key, cluster);
      if (key !== '') ensure(parentKey(key)).children.add(key);
    }
    return cluster;
  };
  const root = ensure('');
  files.forEach((file, id) => ensure(dirOf(file)).files.push(id));

  const clusters: Cluster[] = [];
  const clusterOf = new Int32Array(files.length);
  const build = (start: RawCluster, parent: number): number => {
    let node = start;
    while (node.key !== '' && node.files.length === 0 && node.children.size === 1)
      node = raw.get([...node.children][0] as string) as RawCluster;
    const id = clusters.length;
    const parentCluster = clusters[parent];
    const label =
      parentCluster === undefined || parentCluster.key === ''
        ? node.key
        : node.key.slice(parentCluster.key.length + 1);
    const entry = {
      key: node.key,
      label,
      kind: node.key === '' ? 'root' : packages.has(node.key) ? 'package' : 'folder',
      parent,
      children: [] as number[],
      files: node.files,
      size: node.files.length,
    } satisfies Cluster;
    clusters.push(entry);
    for (const file of node.files) clusterOf[file] = id;
    for (const child of [...node.children].sort()) {
      const childId = build(raw.get(child) as RawCluster, id);
      entry.children.push(childId);
      entry.size += (clusters[childId] as Cluster).size;
    }
    return id;
  };
  build(root, -1);
  return { clusters, clusterOf };
}

/**
 * The clusters expanded when a graph is first shown: the root, then whole levels of clusters while the
 * number of drawn nodes (files, clusters and the boxes of expanded clusters) stays within `budget`.
 *
 * @returns ids of the expanded clusters (the root included)
 */
export function initialExpansion(
  tree: ClusterTree,
  budget: number = INITIAL_VISIBLE_NODES,
): Set<number> {
  const root = tree.clusters[0] as Cluster;
  const expanded = new Set([0]);
  let visible = root.children.length + root.files.length;
  let level = root.children;
  while (level.length > 0) {
    let added = 0;
    for (const id of level) {
      const cluster = tree.clusters[id] as Cluster;
      added += cluster.children.length + cluster.files.length;
    }
    if (visible + added > budget) break;
    visible += added;
    for (const id of level) expanded.add(id);
    level = level.flatMap((id) => (tree.clusters[id] as Cluster).children);
  }
  return expanded;
}

/** `expanded` plus every cluster on the way to the given files, so that each file is drawn on its own. */
export function revealFiles(
  tree: ClusterTree,
  expanded: ReadonlySet<number>,
  fileIds: Iterable<number>,
): Set<number> {
  const next = new Set(expanded);
  for (const file of fileIds)
    for (
      let at = tree.clusterOf[file] as number;
      at >= 0;
      at = (tree.clusters[at] as Cluster).parent
    )
      next.add(at);
  return next;
}

/** `expanded` with cluster `id` expanded, or collapsed when it was expanded; the root stays expanded. */
export function toggleCluster(expanded: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(expanded);
  if (id !== 0 && next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
