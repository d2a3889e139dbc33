import type { Metadata } from 'next';
import Form from 'next/form';
import { Suspense } from 'react';
import { listRepositories } from '../../../lib/graph';
import { RepositoryGraph } from '../../ui/graph/repository-graph';

export const metadata: Metadata = { title: 'Import graph' };

interface GraphPageProps {
  readonly searchParams: Promise<{ repository?: string | string[] }>;
}

/**
 * The import graph of a configured repository (`?repository=<one of dashboard.repositories>`, built by dep-ci
 * on the server) or of an uploaded report, explored by folder or package clusters.
 */
export default async function GraphPage({ searchParams }: GraphPageProps) {
  const { repository } = await searchParams;
  const selected = typeof repository === 'string' ? repository : undefined;
  const repositories = await listRepositories();
  return (
    <>
      <h1>Import graph</h1>
      {repositories.length === 0 ? (
        <p className="muted">
          No repository configured: list directories in dashboard.repositories
          (VELOCITY_DASHBOARD_REPOSITORIES), or upload a report.
        </p>
      ) : (
        <Form action="/graph" className="graph-repository">
          <label>
            Repository{' '}
            <select name="repository" defaultValue={selected} data-testid="graph-repository">
              {repositories.map((path) => (
                <option key={path} value={path}>
                  {path}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit">Load</button>
        </Form>
      )}
      {/* Keyed by repository: loading another shows the fallback again while dep-ci runs. */}
      <Suspense
        key={selected ?? ''}
        fallback={
          <p className="muted" data-testid="graph-loading">
            {selected === undefined ? 'Loading…' : `Running dep-ci graph in ${selected}…`}
          </p>
        }
      >
        <RepositoryGraph repository={selected} />
      </Suspense>
    </>
  );
}
