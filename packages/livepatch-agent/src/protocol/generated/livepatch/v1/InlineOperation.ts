// Original file: proto/livepatch/v1/livepatch.proto

import type { Operation as _livepatch_v1_Operation, Operation__Output as _livepatch_v1_Operation__Output } from '../../livepatch/v1/Operation.js';

/**
 * One operation with its whole payload.
 */
export interface InlineOperation {
  'operation'?: (_livepatch_v1_Operation | null);
  /**
   * The payload; its length must equal the write's payload_size (empty for other changes).
   */
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * One operation with its whole payload.
 */
export interface InlineOperation__Output {
  'operation': (_livepatch_v1_Operation__Output | null);
  /**
   * The payload; its length must equal the write's payload_size (empty for other changes).
   */
  'data': (Buffer);
}
