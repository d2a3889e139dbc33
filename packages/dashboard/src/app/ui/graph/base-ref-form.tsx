'use client';
import { useState } from 'react';
import type { BaseSelection } from '../../../lib/graph-report';

/** Props of {@link BaseRefForm}. */
export interface BaseRefFormProps {
  /** The configured repository the graph came from. */
  readonly repository: string;
  readonly onSelected: (selection: BaseSelection) => void;
}

/** Asks the server for `dep-ci affected --base <ref>` in the repository (`GET /api/graph/affected`). */
export function BaseRefForm({ repository, onSelected }: BaseRefFormProps) {
  const [base, setBase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const compare = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const query = new URLSearchParams({ repository, base: base.trim() });
      const response = await fetch(`/api/graph/affected?${query.toString()}`);
      const body = (await response.json()) as BaseSelection | { error: string };
      if ('error' in body) setError(body.error);
      else onSelected(body);
    } catch (caught) {
      setError(
        `Comparing failed: ${caught instanceof Error ? caught.message : String(caught)}. Try again.`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="graph-base"
      onSubmit={(event) => {
        event.preventDefault();
        void compare();
      }}
    >
      <label>
        Base ref{' '}
        <input
          name="base"
          data-testid="graph-base"
          placeholder="main"
          value={base}
          onChange={(event) => setBase(event.target.value)}
          required
        />
      </label>{' '}
      <button type="submit" disabled={busy}>
        {busy ? 'Running dep-ci…' : 'Compare'}
      </button>
      {error === undefined ? null : (
        <p className="error" role="alert" data-testid="graph-base-error">
          {error}
        </p>
      )}
    </form>
  );
}
