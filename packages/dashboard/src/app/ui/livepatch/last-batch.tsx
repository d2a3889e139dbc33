import type { AgentBatch } from '../../../lib/agents';
import { formatBytes, formatTime } from './format';

/** The last batch an agent applied, as cards, with the reload actions it triggered. */
export function LastBatch({ batch }: { batch: AgentBatch | null }) {
  if (batch === null)
    return (
      <p className="muted" data-testid="last-batch">
        No batch applied since the agent started.
      </p>
    );
  return (
    <div data-testid="last-batch" data-batch-id={batch.batchId}>
      <p>
        Batch <code>{batch.batchId}</code>, applied {formatTime(batch.appliedAtMs)}
      </p>
      <div className="cards">
        <div className="card">
          Files changed<strong data-testid="batch-files-changed">{batch.filesChanged}</strong>
        </div>
        <div className="card">
          Files deleted<strong data-testid="batch-files-deleted">{batch.filesDeleted}</strong>
        </div>
        <div className="card">
          Written<strong data-testid="batch-bytes">{formatBytes(batch.bytesWritten)}</strong>
        </div>
        <div className="card">
          Latency<strong data-testid="batch-latency">{batch.latencyMs} ms</strong>
          <span className="muted">reloads included</span>
        </div>
      </div>
      {batch.reloads.length === 0 ? (
        <p className="muted">It triggered no reload.</p>
      ) : (
        <ul className="livepatch-reloads" data-testid="batch-reloads">
          {batch.reloads.map((reload, index) => (
            <li key={index} data-action={reload.action} data-ok={reload.ok}>
              <span className={`state ${reload.ok ? 'state-passed' : 'state-failed'}`}>
                {reload.action}
              </span>{' '}
              {reload.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
