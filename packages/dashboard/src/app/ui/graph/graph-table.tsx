'use client';
import { useMemo, useState } from 'react';
import type { GraphView, ViewHighlight } from './graph-view';

/** Props of {@link GraphTable}. */
export interface GraphTableProps {
  readonly view: GraphView;
  readonly highlight: ViewHighlight;
  readonly onToggleCluster: (nodeId: string) => void;
  readonly onToggleChanged: (path: string) => void;
}

/**
 * What the canvas draws, as a table for keyboards and screen readers: each drawn cluster and file, its
 * highlight, the nodes it imports, and the canvas's click action as a button. Rendered only while open.
 */
export function GraphTable({ view, highlight, onToggleCluster, onToggleChanged }: GraphTableProps) {
  const [open, setOpen] = useState(false);
  const imports = useMemo(() => {
    const paths = new Map(view.nodes.map((node) => [node.id, node.path]));
    const byNode = new Map<string, string[]>();
    for (const edge of view.edges) {
      const list = byNode.get(edge.source) ?? [];
      list.push(paths.get(edge.target) ?? edge.target);
      byNode.set(edge.source, list);
    }
    return byNode;
  }, [view]);
  return (
    <details
      className="graph-table"
      onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}
    >
      <summary>
        The graph as a table: {view.nodes.length} nodes, {view.edges.length} imports
      </summary>
      {open ? (
        <table data-testid="graph-nodes">
          <thead>
            <tr>
              <th>Node</th>
              <th>Kind</th>
              <th>Files</th>
              <th>Highlight</th>
              <th>Imports</th>
              <th>Action</th>
            </tr>
          </thead>
          <tbody>
            {view.nodes.map((node) => {
              const isCluster = node.kind === 'folder' || node.kind === 'package';
              const classes = highlight.classes.get(node.id) ?? '';
              return (
                <tr
                  key={node.id}
                  data-node={node.id}
                  data-kind={node.kind}
                  data-path={node.path}
                  data-highlight={classes}
                >
                  <td>
                    <code>{isCluster ? `${node.path}/` : node.path}</code>
                  </td>
                  <td>{isCluster ? `${node.kind}${node.expanded ? ', open' : ''}` : node.kind}</td>
                  <td>{node.size}</td>
                  <td>{classes}</td>
                  <td>{(imports.get(node.id) ?? []).join(', ')}</td>
                  <td>
                    {isCluster ? (
                      <button type="button" onClick={() => onToggleCluster(node.id)}>
                        {node.expanded ? 'Collapse' : 'Expand'}
                      </button>
                    ) : (
                      <button type="button" onClick={() => onToggleChanged(node.path)}>
                        {classes.split(' ').includes('changed') ? 'Unpick' : 'Pick as changed'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </details>
  );
}
