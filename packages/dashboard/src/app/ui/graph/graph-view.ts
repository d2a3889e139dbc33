/**
 * What the graph page draws for a set of expanded clusters: the visible clusters and files, the imports between
 * them aggregated, and the highlight of a change's affected tests and import chains.
 *
 * @module
 */
import type { AffectedTests, GraphData } from '../../../lib/graph-report';
import type { Cluster, ClusterTree } from './cluster-tree';

/** A drawn node: a cluster (collapsed, or the box of an expanded one) or a file. */
export interface ViewNode {
  /** `c<cluster id>` or `f<file id>`. */
  readonly id: string;
  readonly kind: 'folder' | 'package' | 'file' | 'test';
  /** Cluster label (see {@link Cluster.label}) or file name. */
  readonly label: string;
  /** Directory or file path, root-relative POSIX. */
  readonly path: string;
  /** Id of the expanded cluster drawn around it; absent at the top level. */
  readonly parent?: string;
  /** Whether a cluster is drawn open (its content inside it); false for files. */
  readonly expanded: boolean;
  /** Files it stands for: 1 for a file. */
  readonly size: number;
}

/** Imports from the files of `source` to those of `target`, drawn as one edge. */
export interface ViewEdge {
  /** `<source>><target>`, e.g. `c3>f12`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** File-level import edges it stands for. */
  readonly count: number;
  /** Every one of them imports types only. */
  readonly typeOnly: boolean;
}

/**
 * The drawn graph.
 *
 * - `nodes`: parents before their children (cytoscape adds compound nodes in that order)
 * - `edges`: by first appearance in the graph's edge list
 * - `repOf`: file id → id of the node standing for it (the file itself, or the collapsed cluster holding it)
 */
export interface GraphView {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  readonly repOf: readonly string[];
}

/**
 * Computes the drawn graph. A cluster is drawn when every cluster above it (but the root, never drawn) is
 * expanded; a file when its cluster is drawn expanded. Imports inside one collapsed cluster are not drawn.
 *
 * @remarks One preorder pass over the clusters, then one over the edges: O(C + F + E).
 *
 * @param expanded - expanded cluster ids; clusters inside a collapsed one keep their state for later
 */
export function computeView(
  graph: GraphData,
  tree: ClusterTree,
  expanded: ReadonlySet<number>,
): GraphView {
  const { clusters } = tree;
  // rep[c]: the drawn node standing for cluster c's files; open[c]: c is drawn expanded (the root always).
  const rep: string[] = new Array<string>(clusters.length);
  const open = new Uint8Array(clusters.length);
  const nodes: ViewNode[] = [];
  open[0] = 1;
  rep[0] = '';
  for (let id = 1; id < clusters.length; id += 1) {
    const cluster = clusters[id] as Cluster;
    if (open[cluster.parent] !== 1) {
      rep[id] = rep[cluster.parent] as string;
      continue;
    }
    rep[id] = `c${id}`;
    open[id] = expanded.has(id) ? 1 : 0;
    nodes.push({
      id: `c${id}`,
      kind: cluster.kind === 'package' ? 'package' : 'folder',
      label: cluster.label,
      path: cluster.key,
      ...(cluster.parent === 0 ? {} : { parent: `c${cluster.parent}` }),
      expanded: open[id] === 1,
      size: cluster.size,
    });
  }
  const isTest = new Uint8Array(graph.files.length);
  for (const test of graph.tests) isTest[test] = 1;
  const repOf = graph.files.map((path, file) => {
    const cluster = tree.clusterOf[file] as number;
    if (open[cluster] !== 1) return rep[cluster] as string;
    nodes.push({
      id: `f${file}`,
      kind: isTest[file] === 1 ? 'test' : 'file',
      label: path.slice(path.lastIndexOf('/') + 1),
      path,
      ...(cluster === 0 ? {} : { parent: `c${cluster}` }),
      expanded: false,
      size: 1,
    });
    return `f${file}`;
  });
  const edges = new Map<
    string,
    { source: string; target: string; count: number; typeOnly: boolean }
  >();
  for (let at = 0; at < graph.edges.length; at += 3) {
    const source = repOf[graph.edges[at] as number] as string;
    const target = repOf[graph.edges[at + 1] as number] as string;
    if (source === target) continue;
    const id = `${source}>${target}`;
    const typeOnly = graph.edges[at + 2] === 1;
    const edge = edges.get(id);
    if (edge === undefined) edges.set(id, { source, target, count: 1, typeOnly });
    else {
      edge.count += 1;
      edge.typeOnly &&= typeOnly;
    }
  }
  return { nodes, edges: [...edges].map(([id, edge]) => ({ id, ...edge })), repOf };
}

/**
 * How a view shows a change.
 *
 * - `classes`: element id → its highlight classes, space-separated: `changed` (holds a changed file),
 *   `affected` (holds an affected test), `chain` (node or edge on an import chain), `focus` (on the chain of
 *   the focused test); elements not highlighted are absent
 * - `affectedCount`: node id → affected tests it holds, for the nodes holding any
 */
export interface ViewHighlight {
  readonly classes: ReadonlyMap<string, string>;
  readonly affectedCount: ReadonlyMap<string, number>;
}

/**
 * Marks the nodes and edges of a view that hold the change, its affected tests and their import chains; a
 * collapsed cluster is marked for whatever it holds.
 *
 * @param idOf - file path → file id; paths not in the graph (deleted files) are skipped
 * @param focus - a test whose chain is marked `focus`
 */
export function highlightView(
  view: GraphView,
  affected: AffectedTests,
  idOf: (path: string) => number | undefined,
  focus?: string,
): ViewHighlight {
  const classes = new Map<string, Set<string>>();
  const mark = (element: string | undefined, name: string) => {
    if (element === undefined) return;
    let set = classes.get(element);
    if (set === undefined) classes.set(element, (set = new Set()));
    set.add(name);
  };
  const nodeOf = (path: string) => {
    const id = idOf(path);
    return id === undefined ? undefined : view.repOf[id];
  };
  const affectedCount = new Map<string, number>();
  for (const path of affected.changed) mark(nodeOf(path), 'changed');
  for (const test of affected.tests) {
    const node = nodeOf(test);
    mark(node, 'affected');
    if (node !== undefined) affectedCount.set(node, (affectedCount.get(node) ?? 0) + 1);
  }
  for (const { test, chain } of affected.reasons) {
    const names = test === focus ? ['chain', 'focus'] : ['chain'];
    let previous: string | undefined;
    for (const path of chain) {
      const node = nodeOf(path);
      for (const name of names) mark(node, name);
      // Each file imports the previous one: the drawn edge goes from it to the previous file's node.
      if (node !== undefined && previous !== undefined && node !== previous)
        for (const name of names) mark(`${node}>${previous}`, name);
      previous = node;
    }
  }
  return {
    classes: new Map([...classes].map(([id, set]) => [id, [...set].join(' ')])),
    affectedCount,
  };
}
