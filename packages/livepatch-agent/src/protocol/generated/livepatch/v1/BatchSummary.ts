// Original file: proto/livepatch/v1/livepatch.proto

import type { ReloadReport as _livepatch_v1_ReloadReport, ReloadReport__Output as _livepatch_v1_ReloadReport__Output } from '../../livepatch/v1/ReloadReport.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A batch the agent applied.
 */
export interface BatchSummary {
  'batchId'?: (string);
  /**
   * When it was written, Unix time in ms.
   */
  'appliedAtMs'?: (number | string | Long);
  'filesChanged'?: (number);
  'filesDeleted'?: (number);
  /**
   * Bytes the agent wrote.
   */
  'bytesWritten'?: (number | string | Long);
  /**
   * From the agent starting to read the batch to its answer, reloads included, in ms.
   */
  'latencyMs'?: (number);
  'reloads'?: (_livepatch_v1_ReloadReport)[];
}

/**
 * A batch the agent applied.
 */
export interface BatchSummary__Output {
  'batchId': (string);
  /**
   * When it was written, Unix time in ms.
   */
  'appliedAtMs': (number);
  'filesChanged': (number);
  'filesDeleted': (number);
  /**
   * Bytes the agent wrote.
   */
  'bytesWritten': (number);
  /**
   * From the agent starting to read the batch to its answer, reloads included, in ms.
   */
  'latencyMs': (number);
  'reloads': (_livepatch_v1_ReloadReport__Output)[];
}
