'use client';
import { useEffect, useState } from 'react';
import type { AgentLogLine, AgentView } from '../../../lib/agents';
import { AgentEvents } from './agent-events';
import { AgentState } from './agent-state';
import { formatTime } from './format';
import { LastBatch } from './last-batch';
import { LogLines } from './log-lines';
import { ConnectionBadge, type Connection } from '../connection-badge';

/** Log lines kept in the page, the oldest dropped first. */
const MAX_LINES = 500;
/** Lines arriving within this many ms are rendered together (the agent replays up to 1,000 at once). */
const FLUSH_MS = 50;

/** An agent's page body: starts from the server render, then follows the agent's event stream. */
export function LiveAgent({ initial, eventsUrl }: { initial: AgentView; eventsUrl: string }) {
  const [view, setView] = useState(initial);
  const [lines, setLines] = useState<readonly AgentLogLine[]>([]);
  const [logError, setLogError] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    // EventSource reconnects by itself; each connection starts with the lines the agent keeps, which then
    // replace the ones shown.
    const source = new EventSource(eventsUrl);
    let pending: AgentLogLine[] = [];
    let replace = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      const replacing = replace;
      pending = [];
      replace = false;
      setLines((shown) => [...(replacing ? [] : shown), ...batch].slice(-MAX_LINES));
    };
    source.addEventListener('open', () => {
      setConnection('live');
      pending = [];
      replace = true;
    });
    source.addEventListener('error', () => setConnection('reconnecting'));
    source.addEventListener('status', (event) => {
      setView(JSON.parse((event as MessageEvent<string>).data) as AgentView);
    });
    source.addEventListener('log', (event) => {
      pending.push(JSON.parse((event as MessageEvent<string>).data) as AgentLogLine);
      setLogError(null);
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    source.addEventListener('unavailable', (event) => {
      setLogError((JSON.parse((event as MessageEvent<string>).data) as { error: string }).error);
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [eventsUrl]);
  return (
    <>
      <h1>
        {view.name} <ConnectionBadge connection={connection} />
      </h1>
      <div className="cards">
        <div className="card">
          Agent <code>{view.address}</code>
          <AgentState agent={view} />
        </div>
        {view.up && (
          <>
            <div className="card">
              Started<strong>{formatTime(view.status.startedAtMs)}</strong>
            </div>
            <div className="card">
              Batches applied
              <strong data-testid="batches-applied">{view.status.batchesApplied}</strong>
            </div>
          </>
        )}
      </div>
      {view.up && (
        <>
          <h2>Last batch</h2>
          <LastBatch batch={view.status.lastBatch} />
          <h2>Events</h2>
          <AgentEvents events={view.status.events} />
        </>
      )}
      <h2>Log</h2>
      {logError !== null && (
        <p className="error" data-testid="log-error">
          Log stream unavailable: {logError}
        </p>
      )}
      <LogLines lines={lines} />
    </>
  );
}
