import type { AgentLogLine } from '../../../lib/agents';
import { formatTime } from './format';

/** Event kinds shown in red: the app crashed or a batch was undone. */
const BAD_KINDS = new Set(['rollback', 'crash']);

/** An agent's events (batch applied, reload, restart, rollback, crash), newest first; the last `limit` of them. */
export function AgentEvents({
  events,
  limit = events.length,
}: {
  events: readonly AgentLogLine[];
  limit?: number;
}) {
  if (events.length === 0)
    return (
      <p className="muted" data-testid="agent-events">
        No event yet.
      </p>
    );
  const shown = events.slice(-limit).reverse();
  return (
    <table className="livepatch-events" data-testid="agent-events">
      <thead>
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>Batch</th>
          <th>What happened</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((event, index) => (
          <tr key={`${event.timeMs}-${index}`} data-kind={event.kind} data-batch-id={event.batchId}>
            <td>{formatTime(event.timeMs)}</td>
            <td className={`state ${BAD_KINDS.has(event.kind) ? 'state-failed' : ''}`}>
              {event.kind}
            </td>
            <td>{event.batchId === '' ? '—' : <code>{event.batchId}</code>}</td>
            <td>{event.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
