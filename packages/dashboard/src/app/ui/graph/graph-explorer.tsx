'use client';
import { useState } from 'react';
import type { LoadedGraph } from '../../../lib/graph-report';
import { GraphWorkspace } from './graph-workspace';
import { UploadReport } from './upload-report';

/** Props of {@link GraphExplorer}. */
export interface GraphExplorerProps {
  /** The repository graph the server loaded, if one was asked for and loaded. */
  readonly initial: LoadedGraph | undefined;
  /** Largest report an upload may be, bytes. */
  readonly maxReportBytes: number;
}

/** The graph page's body: the report upload, and the graph loaded last (the server's, or an upload). */
export function GraphExplorer({ initial, maxReportBytes }: GraphExplorerProps) {
  // Each new graph starts a fresh workspace (clusters, picks, focus).
  const [current, setCurrent] = useState({ loaded: initial, version: 0 });
  return (
    <>
      <UploadReport
        maxBytes={maxReportBytes}
        onLoaded={(loaded) => setCurrent(({ version }) => ({ loaded, version: version + 1 }))}
      />
      {current.loaded === undefined ? (
        <p className="muted" data-testid="graph-empty">
          Load a repository or upload a report to see its import graph.
        </p>
      ) : (
        <GraphWorkspace key={current.version} loaded={current.loaded} />
      )}
    </>
  );
}
