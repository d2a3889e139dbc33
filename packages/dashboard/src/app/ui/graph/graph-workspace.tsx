'use client';
import { useCallback, useMemo, useState } from 'react';
import type { BaseSelection, LoadedGraph } from '../../../lib/graph-report';
import { findAffectedTests, indexImporters } from './affected';
import { AffectedPanel } from './affected-panel';
import { BaseRefForm } from './base-ref-form';
import {
  buildClusterTree,
  GROUPINGS,
  initialExpansion,
  revealFiles,
  toggleCluster,
  type ClusterTree,
  type Grouping,
} from './cluster-tree';
import { FileSearch } from './file-search';
import { GraphCanvas, type CanvasFocus } from './graph-canvas';
import { GraphTable } from './graph-table';
import { computeView, highlightView, type ViewHighlight } from './graph-view';

interface Clustering {
  readonly grouping: Grouping;
  readonly tree: ClusterTree;
  readonly expanded: ReadonlySet<number>;
}

function clusterBy(files: readonly string[], grouping: Grouping): Clustering {
  const tree = buildClusterTree(files, grouping);
  return { grouping, tree, expanded: initialExpansion(tree) };
}

/** `highlight` with the `found` class added to one node. */
function withFound(highlight: ViewHighlight, node: string | undefined): ViewHighlight {
  if (node === undefined) return highlight;
  const classes = new Map(highlight.classes);
  classes.set(node, `${classes.get(node) ?? ''} found`.trim());
  return { ...highlight, classes };
}

/**
 * One loaded graph, explored: clusters to expand and collapse, a file search, changed files picked in the graph
 * or from a base ref, and their affected tests with import chains, highlighted in the graph.
 */
export function GraphWorkspace({ loaded }: { loaded: LoadedGraph }) {
  const { graph, source } = loaded;
  const [clustering, setClustering] = useState(() => clusterBy(graph.files, 'folder'));
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [base, setBase] = useState<BaseSelection | undefined>();
  const [followTypeImports, setFollowTypeImports] = useState(!loaded.ignoreTypeImports);
  const [focusTest, setFocusTest] = useState<string | undefined>();
  const [found, setFound] = useState<number | undefined>();
  const [focus, setFocus] = useState<CanvasFocus | undefined>();

  const ids = useMemo(() => new Map(graph.files.map((file, id) => [file, id])), [graph]);
  const importers = useMemo(() => indexImporters(graph), [graph]);
  const view = useMemo(
    () => computeView(graph, clustering.tree, clustering.expanded),
    [graph, clustering],
  );
  const affected = useMemo(
    () => base ?? findAffectedTests(graph, importers, picked, !followTypeImports),
    [base, graph, importers, picked, followTypeImports],
  );
  const highlight = useMemo(
    () =>
      withFound(
        highlightView(view, affected, (path) => ids.get(path), focusTest),
        found === undefined ? undefined : view.repOf[found],
      ),
    [view, affected, ids, focusTest, found],
  );
  const changedSet = useMemo(() => new Set(affected.changed), [affected]);

  /** Expands the clusters holding `fileIds` and fits them in the viewport. */
  const reveal = useCallback((fileIds: readonly number[]) => {
    setClustering((current) => ({
      ...current,
      expanded: revealFiles(current.tree, current.expanded, fileIds),
    }));
    setFocus((current) => ({
      nodes: fileIds.map((id) => `f${id}`),
      nonce: (current?.nonce ?? 0) + 1,
    }));
  }, []);

  const toggleChanged = useCallback(
    (path: string) => {
      // Editing the change leaves the base ref's selection: the picked files start from its changed files.
      const current = base?.changed ?? picked;
      setPicked(
        current.includes(path) ? current.filter((file) => file !== path) : [...current, path],
      );
      setBase(undefined);
    },
    [base, picked],
  );

  /** Expands a cluster and fits it in the viewport, or collapses it and fits the whole graph. */
  const toggleNode = useCallback(
    (nodeId: string) => {
      const id = Number(nodeId.slice(1));
      if (!clustering.expanded.has(id))
        setFocus((current) => ({ nodes: [nodeId], nonce: (current?.nonce ?? 0) + 1 }));
      setClustering({ ...clustering, expanded: toggleCluster(clustering.expanded, id) });
    },
    [clustering],
  );

  const onTapNode = useCallback(
    (nodeId: string) => {
      if (nodeId.startsWith('c')) toggleNode(nodeId);
      else toggleChanged(graph.files[Number(nodeId.slice(1))] as string);
    },
    [graph, toggleChanged, toggleNode],
  );

  const focusOnTest = useCallback(
    (test: string) => {
      setFocusTest(test);
      const chain = affected.reasons.find((reason) => reason.test === test)?.chain ?? [test];
      reveal(chain.flatMap((path) => (ids.has(path) ? [ids.get(path) as number] : [])));
    },
    [affected, ids, reveal],
  );

  return (
    <>
      <p className="muted" data-testid="graph-summary">
        {source.kind === 'repository' ? (
          <>
            Repository <code>{source.repository}</code>
          </>
        ) : (
          <>
            Report <code>{source.name}</code>
          </>
        )}
        : {graph.stats.files} files, {graph.stats.edges} imports, {graph.tests.length} tests (dep-ci
        built the graph in {graph.stats.ms} ms).
      </p>
      {graph.unparsable.length === 0 ? null : (
        <details className="graph-unparsable">
          <summary className="error">
            {graph.unparsable.length} files dep-ci could not parse
          </summary>
          <ul>
            {graph.unparsable.map(({ file, reason }) => (
              <li key={file}>
                <code>{file}</code>: {reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="graph-toolbar">
        <FileSearch
          files={graph.files}
          changed={changedSet}
          onShow={(id) => {
            setFound(id);
            reveal([id]);
          }}
          onToggleChanged={toggleChanged}
        />
        <label>
          Group by{' '}
          <select
            data-testid="graph-grouping"
            value={clustering.grouping}
            onChange={(event) => {
              setFound(undefined);
              setFocus(undefined);
              setClustering(clusterBy(graph.files, event.target.value as Grouping));
            }}
          >
            {GROUPINGS.map((grouping) => (
              <option key={grouping} value={grouping}>
                {grouping}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() =>
            setClustering((current) => ({ ...current, expanded: initialExpansion(current.tree) }))
          }
        >
          Collapse all
        </button>
        <button
          type="button"
          onClick={() => setFocus((current) => ({ nodes: [], nonce: (current?.nonce ?? 0) + 1 }))}
        >
          Fit
        </button>
        <label
          title={base === undefined ? '' : 'dep-ci used the repository’s depCi.ignoreTypeImports'}
        >
          <input
            type="checkbox"
            checked={followTypeImports}
            disabled={base !== undefined}
            onChange={(event) => setFollowTypeImports(event.target.checked)}
          />{' '}
          Follow <code>import type</code>
        </label>
        {source.kind === 'repository' ? (
          <BaseRefForm
            repository={source.repository}
            onSelected={(selection) => {
              setBase(selection);
              setFocusTest(undefined);
            }}
          />
        ) : null}
      </div>
      <p className="muted graph-help">
        Click a folder to expand or collapse it, a file to pick it as changed; scroll to zoom, drag
        to pan.
      </p>
      <div className="graph-layout">
        <GraphCanvas
          key={clustering.grouping}
          view={view}
          highlight={highlight}
          focus={focus}
          onTapNode={onTapNode}
        />
        <AffectedPanel
          affected={affected}
          base={base}
          focusTest={focusTest}
          onUnpick={toggleChanged}
          onClear={() => {
            setPicked([]);
            setBase(undefined);
            setFocusTest(undefined);
          }}
          onFocusTest={focusOnTest}
        />
      </div>
      <GraphTable
        view={view}
        highlight={highlight}
        onToggleCluster={toggleNode}
        onToggleChanged={toggleChanged}
      />
    </>
  );
}
