/** State of a page's event stream: `EventSource` reconnects by itself after a dropped connection. */
export type Connection = 'connecting' | 'live' | 'reconnecting';

/** The "● live" badge of a page that follows an event stream (`data-connection` for tests). */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  return (
    <span
      className={`live ${connection === 'live' ? 'live-open' : 'live-closed'}`}
      data-testid="connection"
      data-connection={connection}
    >
      ● {connection}
    </span>
  );
}
