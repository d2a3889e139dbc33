'use client';
import { useEffect, useState } from 'react';
import type { QueueView } from '@/lib/merge-queue';
import { MetricsCharts } from './metrics-charts';
import { formatDuration } from './format';
import { ConnectionBadge, type Connection } from '../connection-badge';

/** The queue page's body: starts from the server render, then follows the event stream. */
export function LiveQueue({ initial, eventsUrl }: { initial: QueueView; eventsUrl: string }) {
  const [view, setView] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    // EventSource reconnects by itself after a dropped connection.
    const source = new EventSource(eventsUrl);
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection('reconnecting'));
    source.addEventListener('queue', (event) => {
      setView(JSON.parse((event as MessageEvent<string>).data) as QueueView);
    });
    return () => source.close();
  }, [eventsUrl]);
  const { detail, history, metrics } = view;
  const running = detail.builds.filter((build) => build.state === 'running');
  return (
    <>
      <h1>
        {detail.repo} → {detail.base} <ConnectionBadge connection={connection} />
      </h1>
      <div className="cards">
        <div className="card">
          In queue<strong data-testid="active-count">{detail.entries.length}</strong>
        </div>
        <div className="card">
          Running builds<strong>{running.length}</strong>
        </div>
        <div className="card">
          Merged<strong data-testid="merged-count">{metrics.merged}</strong>
        </div>
        <div className="card">
          Failed<strong>{metrics.failed}</strong>
        </div>
        <div className="card">
          Time to merge p50
          <strong>{formatDuration(metrics.timeToMerge.p50)}</strong>
        </div>
      </div>

      <h2>Queue</h2>
      {detail.entries.length === 0 ? (
        <p className="muted" data-testid="queue-empty">
          The queue is empty.
        </p>
      ) : (
        <table data-testid="queue">
          <thead>
            <tr>
              <th>#</th>
              <th>PR</th>
              <th>Title</th>
              <th>State</th>
              <th>Build</th>
              <th>Build contains</th>
            </tr>
          </thead>
          <tbody>
            {detail.entries.map((entry) => {
              const build = detail.builds.find((candidate) => candidate.id === entry.buildId);
              return (
                <tr key={entry.pr} data-pr={entry.pr} data-state={entry.state}>
                  <td>{entry.position}</td>
                  <td>#{entry.pr}</td>
                  <td>{entry.title ?? <span className="muted">—</span>}</td>
                  <td className={`state state-${entry.state}`}>{entry.state}</td>
                  <td data-testid="build-id">{entry.buildId ?? '—'}</td>
                  <td data-testid="build-contents">
                    {build === undefined ? '—' : build.contents.map((pr) => `#${pr}`).join(' + ')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2>Builds running or awaiting a decision</h2>
      {detail.builds.length === 0 ? (
        <p className="muted">No build running.</p>
      ) : (
        <table data-testid="builds">
          <thead>
            <tr>
              <th>Build</th>
              <th>State</th>
              <th>Contains (base order)</th>
              <th>Decides</th>
              <th>Attempt</th>
            </tr>
          </thead>
          <tbody>
            {detail.builds.map((build) => (
              <tr key={build.id} data-build={build.id}>
                <td>{build.url === undefined ? build.id : <a href={build.url}>{build.id}</a>}</td>
                <td className={`state state-${build.state}`}>{build.state}</td>
                <td>{build.contents.map((pr) => `#${pr}`).join(' + ')}</td>
                <td>{build.targets.map((pr) => `#${pr}`).join(', ')}</td>
                <td>{build.attempt ?? 1}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Metrics</h2>
      <div className="cards">
        <div className="card">
          Throughput<strong>{metrics.throughputPerHour?.toFixed(1) ?? '—'}</strong>
          <span className="muted">PRs/hour</span>
        </div>
        <div className="card">
          Builds per merged PR<strong>{metrics.buildsPerMergedPr?.toFixed(2) ?? '—'}</strong>
        </div>
        <div className="card">
          Time to merge p95<strong>{formatDuration(metrics.timeToMerge.p95)}</strong>
        </div>
      </div>
      <MetricsCharts hourly={metrics.hourly} />

      <h2>History</h2>
      {history.entries.length === 0 ? (
        <p className="muted">Nothing finished yet.</p>
      ) : (
        <table data-testid="history">
          <thead>
            <tr>
              <th>PR</th>
              <th>Title</th>
              <th>Result</th>
              <th>Finished</th>
              <th>Time in queue</th>
            </tr>
          </thead>
          <tbody>
            {history.entries.map((entry) => (
              <tr key={entry.pr} data-pr={entry.pr} data-state={entry.state}>
                <td>#{entry.pr}</td>
                <td>{entry.title ?? <span className="muted">—</span>}</td>
                <td className={`state state-${entry.state}`}>{entry.state}</td>
                <td>
                  {entry.finishedAt === undefined ? '—' : new Date(entry.finishedAt).toISOString()}
                </td>
                <td>
                  {formatDuration(
                    entry.finishedAt === undefined
                      ? null
                      : (entry.finishedAt - entry.enqueuedAt) / 1000,
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
