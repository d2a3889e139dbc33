// Original file: proto/livepatch/v1/livepatch.proto

import type { ReloadReport as _livepatch_v1_ReloadReport, ReloadReport__Output as _livepatch_v1_ReloadReport__Output } from '../../livepatch/v1/ReloadReport.js';
import type { Long } from '@grpc/proto-loader';

export interface ApplyResult {
  'batchId'?: (string);
  'filesChanged'?: (number);
  'filesDeleted'?: (number);
  /**
   * Bytes the agent wrote.
   */
  'bytesWritten'?: (number | string | Long);
  'reloads'?: (_livepatch_v1_ReloadReport)[];
  /**
   * Agent's tree root hash after the batch.
   */
  'rootHash'?: (Buffer | Uint8Array | string);
}

export interface ApplyResult__Output {
  'batchId': (string);
  'filesChanged': (number);
  'filesDeleted': (number);
  /**
   * Bytes the agent wrote.
   */
  'bytesWritten': (number);
  'reloads': (_livepatch_v1_ReloadReport__Output)[];
  /**
   * Agent's tree root hash after the batch.
   */
  'rootHash': (Buffer);
}
