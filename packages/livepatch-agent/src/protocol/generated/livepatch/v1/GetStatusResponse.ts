// Original file: proto/livepatch/v1/livepatch.proto

import type { BatchSummary as _livepatch_v1_BatchSummary, BatchSummary__Output as _livepatch_v1_BatchSummary__Output } from '../../livepatch/v1/BatchSummary.js';
import type { LogEvent as _livepatch_v1_LogEvent, LogEvent__Output as _livepatch_v1_LogEvent__Output } from '../../livepatch/v1/LogEvent.js';
import type { Long } from '@grpc/proto-loader';

export interface GetStatusResponse {
  /**
   * When the agent started serving, Unix time in ms.
   */
  'startedAtMs'?: (number | string | Long);
  /**
   * Batches applied since then.
   */
  'batchesApplied'?: (number);
  /**
   * Unset until the first batch is applied.
   */
  'lastBatch'?: (_livepatch_v1_BatchSummary | null);
  /**
   * The most recent agent events (stream "event"), oldest first, at most 100.
   */
  'events'?: (_livepatch_v1_LogEvent)[];
}

export interface GetStatusResponse__Output {
  /**
   * When the agent started serving, Unix time in ms.
   */
  'startedAtMs': (number);
  /**
   * Batches applied since then.
   */
  'batchesApplied': (number);
  /**
   * Unset until the first batch is applied.
   */
  'lastBatch': (_livepatch_v1_BatchSummary__Output | null);
  /**
   * The most recent agent events (stream "event"), oldest first, at most 100.
   */
  'events': (_livepatch_v1_LogEvent__Output)[];
}
