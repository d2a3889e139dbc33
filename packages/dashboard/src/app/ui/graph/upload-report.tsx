'use client';
import { useState } from 'react';
import type { LoadedGraph } from '../../../lib/graph-report';

/** Props of {@link UploadReport}. */
export interface UploadReportProps {
  /** Largest file accepted, bytes (the server's limit). */
  readonly maxBytes: number;
  readonly onLoaded: (loaded: LoadedGraph) => void;
}

/** A file input sending a `dep-ci graph --format json` report to `POST /api/graph/report`. */
export function UploadReport({ maxBytes, onLoaded }: UploadReportProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const upload = async (file: File) => {
    setError(undefined);
    if (file.size > maxBytes) {
      setError(
        `"${file.name}" is larger than ${maxBytes / 1024 / 1024} MB. Upload a dep-ci graph --format json report, or load the repository on the server.`,
      );
      return;
    }
    setBusy(true);
    try {
      const response = await fetch(`/api/graph/report?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: file,
      });
      const body = (await response.json()) as LoadedGraph | { error: string };
      if ('error' in body) setError(body.error);
      else onLoaded(body);
    } catch (caught) {
      setError(
        `Uploading "${file.name}" failed: ${caught instanceof Error ? caught.message : String(caught)}. Try again.`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="graph-upload">
      <label>
        Or upload a report (<code>dep-ci graph --format json</code>):{' '}
        <input
          type="file"
          accept=".json,application/json"
          data-testid="graph-upload"
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file !== undefined) void upload(file);
          }}
        />
      </label>
      {busy ? <span className="muted"> Checking the report…</span> : null}
      {error === undefined ? null : (
        <p className="error" role="alert" data-testid="graph-upload-error">
          {error}
        </p>
      )}
    </div>
  );
}
