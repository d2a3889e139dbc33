// Original file: proto/livepatch/v1/livepatch.proto

import type { BatchHeader as _livepatch_v1_BatchHeader, BatchHeader__Output as _livepatch_v1_BatchHeader__Output } from '../../livepatch/v1/BatchHeader.js';
import type { Operation as _livepatch_v1_Operation, Operation__Output as _livepatch_v1_Operation__Output } from '../../livepatch/v1/Operation.js';
import type { BatchEnd as _livepatch_v1_BatchEnd, BatchEnd__Output as _livepatch_v1_BatchEnd__Output } from '../../livepatch/v1/BatchEnd.js';
import type { OperationBundle as _livepatch_v1_OperationBundle, OperationBundle__Output as _livepatch_v1_OperationBundle__Output } from '../../livepatch/v1/OperationBundle.js';

/**
 * An Apply stream: a header; then operations, each either followed by its payload in data chunks or
 * carried, with its payload, in a bundle; then the end.
 */
export interface ApplyChunk {
  'header'?: (_livepatch_v1_BatchHeader | null);
  'operation'?: (_livepatch_v1_Operation | null);
  'data'?: (Buffer | Uint8Array | string);
  'end'?: (_livepatch_v1_BatchEnd | null);
  'bundle'?: (_livepatch_v1_OperationBundle | null);
  'part'?: "header"|"operation"|"data"|"end"|"bundle";
}

/**
 * An Apply stream: a header; then operations, each either followed by its payload in data chunks or
 * carried, with its payload, in a bundle; then the end.
 */
export interface ApplyChunk__Output {
  'header'?: (_livepatch_v1_BatchHeader__Output | null);
  'operation'?: (_livepatch_v1_Operation__Output | null);
  'data'?: (Buffer);
  'end'?: (_livepatch_v1_BatchEnd__Output | null);
  'bundle'?: (_livepatch_v1_OperationBundle__Output | null);
  'part'?: "header"|"operation"|"data"|"end"|"bundle";
}
