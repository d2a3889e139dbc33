import type { AgentBatch } from '../../../lib/agents';
import { formatBytes, formatTime } from './format';

/** A batch on one line, for tables: files changed and deleted, bytes written, latency, when. */
export function BatchSummary({ batch }: { batch: AgentBatch | null }) {
  if (batch === null)
    return (
      <span className="muted" data-testid="batch-summary">
        none yet
      </span>
    );
  return (
    <span data-testid="batch-summary" data-batch-id={batch.batchId}>
      {batch.filesChanged} changed, {batch.filesDeleted} deleted, {formatBytes(batch.bytesWritten)}{' '}
      in {batch.latencyMs} ms <span className="muted">at {formatTime(batch.appliedAtMs)}</span>
    </span>
  );
}
